"""Error pages look like the site: a 404 keeps the header, the search box and the way back; a 500 says what
happened without asking the database (which may be what failed)."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_not_found_page_has_the_header_and_search(client):
    resp = client.get("/story/999999/")
    page = resp.content.decode()
    assert resp.status_code == 404
    assert "Page not found" in page and 'class="masthead"' in page and 'name="q"' in page
    assert "/story/999999/" in page and 'href="/"' in page
    resp = client.get("/no/such/page/")
    assert resp.status_code == 404 and "Page not found" in resp.content.decode()


def test_server_error_page(settings):
    from django.urls import clear_url_caches

    settings.ROOT_URLCONF = "tests.broken_urls"  # /sources/ raises
    clear_url_caches()
    resp = Client(raise_request_exception=False).get("/sources/")
    page = resp.content.decode()
    assert resp.status_code == 500
    assert "Something went wrong" in page and 'action="/search/"' in page and "boom" not in page
