from django.conf import settings

from .models import Section
from .topics import current_bar


def site(request):
    """Site-wide template values: the name, the section navigation and the trending bar (cached)."""
    page = request.GET.get("page", "")
    canonical = request.build_absolute_uri(request.path) + (f"?page={page}" if page.isdigit() and page != "1" else "")
    return {
        "site_name": settings.SITE_NAME,
        "nav_sections": Section.objects.all(),
        "trending": current_bar(),
        "canonical_url": canonical,
    }
