"""The site's URLs with one view that fails, for the 500 page's test."""

from django.urls import path

from cupure.urls import urlpatterns as site


def broken(request):
    raise RuntimeError("boom")


urlpatterns = [path("sources/", broken), *site]
