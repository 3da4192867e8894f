"""The ceiling for bench/serving.py: cupure's settings and middleware, one view that returns a constant string."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cupure.settings")

from django.conf import settings  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.urls import path  # noqa: E402


def constant(request):
    return HttpResponse("ok")


urlpatterns = [path("", constant)]
settings.ROOT_URLCONF = __name__
application = get_wsgi_application()
