"""The site's icon: every page names it, and /favicon.ico (what browsers and feed readers ask first) leads to it."""

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


def test_favicon_leads_to_the_icon_every_page_names(client):
    resp = client.get("/favicon.ico")
    assert resp.status_code == 301 and resp["Location"].endswith("/cupure/icon.svg")
    icon = finders.find("cupure/icon.svg")
    assert icon and open(icon).read().startswith("<svg")
    page = client.get("/").content.decode()
    assert '<link rel="icon" type="image/svg+xml" href="' in page and "cupure/icon.svg" in page
