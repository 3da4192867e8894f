"""Dates from outside stay within what cupure believes: a feed item "published" in year 1 and searches or
API calls for year 9999 (or crafted cursors) give pages and clear answers, in any time zone."""

import base64
import json

import pytest
from django.utils import timezone

from cupure.lib.dates import parse_iso
from cupure.news.models import Article
from cupure.sources.models import Feed, Source
from cupure.sources.refresh import refresh_feed

pytestmark = pytest.mark.django_db


@pytest.fixture
def west(settings):
    settings.TIME_ZONE = "America/Los_Angeles"


def test_a_year_one_item_is_dated_when_it_was_fetched_and_every_page_serves(web, client, west):
    body = json.dumps(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "title": "Old clocks",
            "items": [
                {
                    "id": "1",
                    "title": "From the dawn of time",
                    "content_text": "Text of the item. " * 20,
                    "date_published": "0001-01-01T00:00:00Z",
                },
                {
                    "id": "2",
                    "title": "From the end of time",
                    "content_text": "Other text entirely. " * 20,
                    "date_published": "9999-12-31T23:59:59-12:00",
                },
            ],
        }
    )
    url = web.add("/feed.json", body, content_type="application/feed+json")
    feed = Feed.objects.create(url=url, source=Source.objects.create(name="Old Clocks", slug="old-clocks"))
    before = timezone.now()
    assert refresh_feed(feed).new_articles == 2
    for art in Article.objects.all():
        assert before <= art.published_at <= timezone.now()
        assert client.get(art.get_absolute_url()).status_code == 200
    for path in (
        "/",
        "/source/old-clocks/",
        "/search/?q=time",
        "/sitemap.xml",
        "/sitemap-news.xml",
        "/source/old-clocks/rss/",
        "/api/v1/articles",
    ):
        assert client.get(path).status_code == 200, path


@pytest.mark.parametrize("query", ["until:9999", "since:0001 until:9999-12-31", "until:9999-12", "since:9999"])
def test_extreme_search_dates_are_no_error(client, west, query):
    for path in ("/search/", "/search/rss/", "/search/atom/"):
        assert client.get(path, {"q": f"council {query}"}).status_code == 200


def test_extreme_api_dates_and_crafted_cursors_are_clear_answers(client, west):
    assert client.get("/api/v1/articles", {"until": "9999-12-31"}).status_code == 200
    assert client.get("/api/v1/articles", {"since": "0001-01-01"}).status_code == 200
    for when in ("0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00"):
        cursor = base64.urlsafe_b64encode(json.dumps([when, 5]).encode()).decode().rstrip("=")
        resp = client.get("/api/v1/articles", {"cursor": cursor})
        assert resp.status_code == 404 and "cursor" in resp.json()["message"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2014-05-28T10:00:00Z", "2014-05-28T10:00:00+00:00"),
        ("2014-05-28 10:00+02:00", "2014-05-28T10:00:00+02:00"),
        (" 2014-05-28 ", "2014-05-28T00:00:00+00:00"),  # a day alone: its start, in UTC
        ("20140528T100000", "2014-05-28T10:00:00+00:00"),
        ("Wed, 28 May 2014 10:00:00 GMT", None),  # RFC 822 is the feeds' business, not ISO's
        ("2014-13-01", None),
        ("", None),
        (1401271200, None),
    ],
)
def test_one_iso_reader_for_every_input(text, expected):
    """Feeds, imports, streams, page metadata and API cursors read ISO 8601 through one function."""
    got = parse_iso(text)
    assert (got.isoformat() if got else None) == expected
