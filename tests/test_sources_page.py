"""/sources for an operator with thousands of feeds: a page at a time, sources with feeds in error first,
the error count a link to them, a search by name or address, light pages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cupure.sources.models import Feed

from .personas import outlets

pytestmark = pytest.mark.django_db


@pytest.fixture
def fleet():
    """3,000 sources of one feed each; every tenth in error, one paused."""
    outlets(3000, paused=5)


def test_a_page_at_a_time_errors_first(client, fleet):
    with CaptureQueriesContext(connection) as queries:
        resp = client.get("/sources/")
    page = resp.content.decode()
    assert len(resp.content) < 60_000 and len(queries) < 12
    assert "3,000 sources, 3,000 feeds" in page and 'href="?state=error"><strong>300 in error' in page
    assert page.count('<section class="source">') == 50 and "Page 1 of 60" in page
    assert page.index("Outlet 0007") < page.index("Outlet 0017")  # in error, first
    assert "Outlet 0000" not in page  # healthy sources come after the 300 in error


def test_filters_and_search(client, fleet):
    page = client.get("/sources/?state=error&page=6").content.decode()
    assert "300 sources with a feed error" in page and "Page 6 of 6" in page and "HTTP 503" in page
    assert "page=5" in page and "state=error" in page  # the pager keeps the filter
    page = client.get("/sources/?state=paused").content.decode()
    assert "Outlet 0005" in page and page.count('<section class="source">') == 1
    page = client.get("/sources/?q=outlet1234.example").content.decode()
    assert "Outlet 1234" in page and page.count('<section class="source">') == 1
    page = client.get("/sources/?q=no such outlet").content.decode()
    assert "No source matches" in page


def test_a_paused_feed_is_paused_whatever_its_last_poll_said(client, fleet):
    """The state a feed shows and the filter that finds it are one rule: a feed paused after failures is
    listed as paused, not counted among the feeds in error."""
    Feed.objects.filter(url="https://outlet17.example/feed.xml").update(active=False)
    feed = Feed.objects.get(url="https://outlet17.example/feed.xml")
    assert feed.status == Feed.Status.PAUSED and feed.error_count == 3
    page = client.get("/sources/").content.decode()
    assert 'href="?state=error"><strong>299 in error' in page
    assert "Outlet 0017" in client.get("/sources/?state=paused").content.decode()
    assert "No source matches" in client.get("/sources/?state=error&q=outlet17.example").content.decode()
    assert Feed.objects.in_state(Feed.Status.ERROR).count() == 299 == Feed.objects.in_error().count()
