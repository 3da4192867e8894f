from django.conf import settings

from .models import Section


def site(request):
    """Site-wide template values: the name and the section navigation."""
    return {"site_name": settings.SITE_NAME, "nav_sections": Section.objects.all()}
