"""Refreshing feeds end to end against a loopback server: articles stored once, errors recorded, nothing lost."""

import time
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from cupure.news.models import Article, Section, Tombstone
from cupure.sources import refresh as refresh_module
from cupure.sources.models import Feed, FeedEntry, Source
from cupure.sources.refresh import refresh_feed

from .conftest import LOREM, Response, article_page, distinct_item, item, make_feed, rss

pytestmark = pytest.mark.django_db

OTHER = [
    "The football club confirmed on Monday that its manager had left by mutual consent after a run of seven "
    "defeats, and named the academy coach as interim manager for the weekend match against the leaders.",
    "Supporters had protested outside the stadium before the last home game, and the board said a permanent "
    "appointment would follow before the transfer window opens in January, according to a statement.",
]


def test_new_entries_become_articles_with_paragraphs(web):
    world = Section.objects.get(slug="world")
    feed = make_feed(web, items=[item(web, 1), item(web, 2, OTHER, description="Teaser")], section=world)
    report = refresh_feed(feed)
    assert report.status == "ok" and report.new_articles == 2
    art = Article.objects.get(title="Story 1")
    assert art.section == world and art.source.name == "Daily Planet"
    assert "this year.\n\nWhy it matters:" in art.text
    assert art.content_html.count("<p>") == 4 and "<script" not in art.content_html
    assert art.url.endswith("/story-1.html")  # tracking parameter gone, original link kept
    assert art.content_origin == "page"
    feed.refresh_from_db()
    assert feed.error_count == 0 and feed.last_success_at and feed.next_check_at > timezone.now()


def test_second_refresh_stores_nothing_twice(web):
    feed = make_feed(web, items=[item(web, 1), item(web, 2, OTHER)])
    refresh_feed(feed)
    hits = dict(web.hits)
    report = refresh_feed(feed)
    assert report.new_articles == 0 and Article.objects.count() == 2
    assert web.hits["/story-1.html"] == hits["/story-1.html"]  # known entries' pages are not fetched again


def test_duplicate_guids_within_a_feed(web):
    a, b = item(web, 1), item(web, 2, OTHER)
    b["guid"] = a["guid"]
    feed = make_feed(web, items=[a, b])
    refresh_feed(feed)
    assert Article.objects.count() == 1


def test_same_article_from_two_feeds_is_stored_once(web):
    one = make_feed(web, "/a.xml", items=[item(web, 1)])
    two = make_feed(web, "/b.xml", items=[dict(item(web, 1), guid="other-guid")], name="Other Paper")
    refresh_feed(one)
    report = refresh_feed(two)
    assert Article.objects.count() == 1 and report.linked == 1
    assert FeedEntry.objects.filter(article__isnull=False).count() == 2


def test_rel_canonical_joins_two_links(web):
    web.add("/amp/s1.html", article_page("Story 1", LOREM, canonical=web.url("/story-1.html")))
    one = make_feed(web, "/a.xml", items=[item(web, 1)])
    two = make_feed(
        web,
        "/b.xml",
        items=[{"title": "Story 1 (AMP)", "link": web.url("/amp/s1.html"), "guid": "amp"}],
        name="Aggregator",
    )
    refresh_feed(one)
    refresh_feed(two)
    assert Article.objects.count() == 1


def test_wire_copy_across_sources_is_shown_once(web, client):
    one = make_feed(web, "/a.xml", items=[item(web, 1)])
    copy = ["By Staff and wire reports."] + LOREM[:-1] + [LOREM[-1].replace("little changed", "flat")]
    two = make_feed(
        web,
        "/b.xml",
        items=[item(web, 7, copy, title="Central bank holds rates", path="/wire.html")],
        name="Other Paper",
    )
    refresh_feed(one)
    report = refresh_feed(two)
    assert report.duplicates == 1
    original, dup = Article.objects.get(title="Story 1"), Article.objects.get(title="Central bank holds rates")
    assert dup.duplicate_of == original
    home = client.get("/").content.decode()
    assert "Story 1" in home and "Central bank holds rates" not in home
    page = client.get(original.get_absolute_url()).content.decode()
    assert "Also published by" in page and "Other Paper" in page


def test_deleted_article_never_comes_back(web):
    feed = make_feed(web, items=[item(web, 1)])
    refresh_feed(feed)
    Article.objects.get(title="Story 1").delete()
    assert Tombstone.objects.count() == 1
    FeedEntry.objects.all().delete()  # even if the feed's memory of the entry is lost
    other = make_feed(web, "/again.xml", items=[dict(item(web, 1), guid="new-guid")], name="Other Paper")
    refresh_feed(feed)
    refresh_feed(other)
    assert Article.objects.count() == 0


def test_page_failure_falls_back_to_feed_content(web):
    it = {
        "title": "Only in feed",
        "link": web.url("/gone.html"),
        "guid": "g",
        "content": "<p>First paragraph of the feed.</p><p>Second paragraph.</p>",
    }
    feed = make_feed(web, items=[it])
    report = refresh_feed(feed)
    art = Article.objects.get()
    assert report.page_errors == 1
    assert art.content_origin == "feed" and art.text == "First paragraph of the feed.\n\nSecond paragraph."


def test_an_entry_with_only_a_link_takes_the_pages_headline_and_one_with_neither_is_skipped(web):
    feed = make_feed(
        web,
        items=[
            {"description": "A bulletin with no link at all, only this text.", "id": "x"},
            {"link": web.url("/story-3.html"), "guid": "y"},
        ],
    )
    web.add("/story-3.html", article_page("Headline from page", LOREM))
    refresh_feed(feed)
    assert list(Article.objects.values_list("title", flat=True)) == ["Headline from page"]
    feed.refresh_from_db()
    assert feed.last_entry_error == "1 entry skipped: no link and no title"


def test_javascript_links_never_reach_a_page(web, client):
    feed = make_feed(
        web,
        items=[
            {
                "title": "Trap",
                "link": "javascript:alert(document.cookie)",
                "guid": "t",
                "description": "Looks like news.",
            }
        ],
    )
    refresh_feed(feed)
    page = client.get(Article.objects.get().get_absolute_url()).content.decode()
    assert "javascript:" not in page


def test_not_modified_keeps_everything(web):
    calls = {"n": 0}
    doc = rss([item(web, 1)], link=web.url("/"))

    def handler(h):
        calls["n"] += 1
        if h.headers.get("If-None-Match") == '"abc"':
            return Response(b"", status=304)
        return Response(doc, headers={"ETag": '"abc"'}, content_type="application/rss+xml")

    url = web.add("/cond.xml", handler)
    feed = Feed.objects.create(url=url, source=Source.objects.create(name="C", slug="c"))
    refresh_feed(feed)
    report = refresh_feed(feed)
    assert report.status == "not-modified" and Article.objects.count() == 1
    feed.refresh_from_db()
    assert feed.etag == '"abc"' and feed.error_count == 0


@pytest.mark.parametrize(
    "route,kind,message",
    [
        (
            Response(b"<rss><channel><title>x</title><item><title>y", content_type="application/rss+xml"),
            "parse",
            "malformed",
        ),
        (Response(b"<html><body>Just a page</body></html>"), "parse", "HTML page, not a feed"),
        (Response(b"nope", status=404), "fetch", "HTTP 404"),
        (Response(b"gone", status=410), "fetch", "HTTP 410"),
        (Response(b"oops", status=500), "fetch", "HTTP 500"),
        (Response(b"x" * 3_000_000, content_type="application/rss+xml"), "too-large", "too large"),
        (Response(b"<rss>" + b" " * 2000, drip=0.05), "fetch", "longer than"),
    ],
)
def test_feed_errors_are_recorded_and_nothing_changes(web, settings, route, kind, message):
    settings.FETCH_MAX_BYTES = 1_000_000
    settings.FETCH_DEADLINE = 1.0
    feed = make_feed(web, items=[item(web, 1)])
    refresh_feed(feed)
    before = list(Article.objects.values_list("id", "title", "text"))
    web.routes["/feed.xml"] = route
    report = refresh_feed(feed)
    assert report.status == "error" and message in report.error
    feed.refresh_from_db()
    assert feed.error_count == 1 and feed.last_error_kind == kind and message in feed.last_error
    assert feed.next_check_at >= timezone.now() + timedelta(minutes=4)  # backed off, not dropped
    assert feed.active
    assert list(Article.objects.values_list("id", "title", "text")) == before


def test_errors_back_off_and_recovery_clears_them(web):
    feed = make_feed(web, items=[item(web, 1)])
    good = web.routes["/feed.xml"]
    web.routes["/feed.xml"] = Response(b"", status=503, headers={"Retry-After": "7200"})
    refresh_feed(feed)
    refresh_feed(feed)
    feed.refresh_from_db()
    assert feed.error_count == 2 and feed.interval_seconds == 7200
    web.routes["/feed.xml"] = good
    refresh_feed(feed)
    feed.refresh_from_db()
    assert feed.error_count == 0 and feed.last_error == "" and Article.objects.count() == 1


def test_redirect_loop_on_the_feed(web):
    feed = make_feed(web)
    web.routes["/feed.xml"] = Response(b"", status=302, headers={"Location": "/feed.xml?x=1"})
    web.add("/feed.xml?x=1", Response(b"", status=302, headers={"Location": "/feed.xml"}))
    report = refresh_feed(feed)
    assert report.status == "error" and "redirect" in report.error


def test_loopback_feed_refused_when_private_networks_are(web, settings):
    feed = make_feed(web, items=[item(web, 1)])
    settings.ALLOW_PRIVATE_NETWORKS = False
    report = refresh_feed(feed)
    assert report.status == "error" and "CUPURE_ALLOW_PRIVATE_NETWORKS" in report.error
    feed.refresh_from_db()
    assert feed.last_error_kind == "blocked"
    assert web.hits.get("/feed.xml") is None and Article.objects.count() == 0


def test_hostile_html_in_feed_is_sanitized(web):
    it = {
        "title": "<script>alert(1)</script>Breaking",
        "guid": "h",
        "content": '<p onclick="x()">Safe text</p><script>alert(2)</script><img src=x onerror=alert(3)>',
    }
    feed = make_feed(web, items=[it])
    refresh_feed(feed)
    art = Article.objects.get()
    assert "<script" not in art.content_html and "onclick" not in art.content_html and "onerror" not in art.content_html
    assert art.title == "Breaking"  # a script's text is no part of a headline


def test_a_feed_is_refreshed_by_one_worker_at_a_time(web):
    feed = make_feed(web, items=[item(web, 1)])
    assert feed.claim()
    assert refresh_feed(feed).status == "busy"
    assert web.hits.get("/feed.xml") is None
    Feed.objects.filter(pk=feed.pk).update(locked_until=timezone.now() - timedelta(seconds=1))  # lease expired
    assert refresh_feed(feed).status == "ok"


def test_a_task_whose_reservation_was_taken_over_stops_at_once(web):
    feed = make_feed(web, items=[item(web, 1)])
    stale = feed.claim(timedelta(seconds=-1))  # reserved for a task, and run out while it waited
    newer = feed.claim()  # the scheduler enqueued the feed again
    assert stale and newer
    assert refresh_feed(feed, reserved=stale).status == "superseded"
    assert web.hits.get("/feed.xml") is None
    assert refresh_feed(feed, reserved=newer).status == "ok"
    feed.refresh_from_db()
    assert feed.locked_until is None and Article.objects.count() == 1


@pytest.mark.django_db(transaction=True)  # the lease's heartbeat and the other "worker" use their own connections
def test_a_long_refresh_keeps_its_feed_and_one_that_lost_it_stops(web, settings):
    settings.FEED_LEASE = timedelta(seconds=0.6)  # renewed every 0.2 s by time, whatever the refresh is doing
    items = [distinct_item(web, n) for n in range(3)]
    feed = make_feed(web, items=items)
    feed_xml = web.routes["/feed.xml"]
    rivals = []

    def slow_feed(handler):
        # The feed answers after two leases: a scheduler tick in between must find the feed still held.
        time.sleep(1.2)
        rivals.append(Feed(pk=feed.pk).claim(only_if_due=False))
        connection.close()
        return feed_xml

    web.add("/feed.xml", slow_feed)
    assert refresh_feed(feed).status == "ok" and Article.objects.count() == 3
    assert rivals == [None]

    # Another worker takes the feed while this refresh is under way: the refresh stops, nothing is lost.
    more = [distinct_item(web, n) for n in range(3, 8)]
    web.add("/feed.xml", rss(more), content_type="application/rss+xml")
    Feed.objects.filter(pk=feed.pk).update(next_check_at=timezone.now())
    real_keep = refresh_module._Lease.keep

    def keep_after_a_takeover(lease):
        if Article.objects.count() == 5:
            Feed.objects.filter(pk=feed.pk).update(locked_until=timezone.now() + timedelta(minutes=5))
            time.sleep(0.5)  # the next heartbeat finds the lease gone
        real_keep(lease)

    refresh_module._Lease.keep = keep_after_a_takeover
    try:
        report = refresh_feed(feed)
    finally:
        refresh_module._Lease.keep = real_keep
    assert report.status == "lost" and Article.objects.count() == 5
    feed.refresh_from_db()
    assert feed.locked_until > timezone.now()  # still the other worker's: not released by the one that lost it


def test_page_metadata_fills_what_the_feed_lacks(web):
    page = article_page("Page title", LOREM).replace(
        "<head>",
        '<head><meta name="author" content="Jane Reporter"><meta property="og:image" '
        'content="https://img.example/lead.jpg"><meta property="og:site_name" content="Planet Site">',
    )
    web.add("/m1.html", page)
    web.add("/m2.html", page.replace("Page title", "Second page title"))
    feed = make_feed(
        web,
        items=[
            {
                "title": "Feed title",
                "link": web.url("/m1.html"),
                "guid": "1",
                "pubDate": "Wed, 25 Nov 2026 08:00:00 GMT",
            },
            {"link": web.url("/m2.html"), "guid": "2"},  # no title, no date: the page's full metadata is read
        ],
    )
    refresh_feed(feed)
    first = Article.objects.get(url=web.url("/m1.html"))
    second = Article.objects.get(url=web.url("/m2.html"))
    assert first.title == "Feed title" and first.author == "Jane Reporter"
    assert first.image_url == "https://img.example/lead.jpg" and first.site_name == "Planet Site"
    assert second.title == "Second page title" and second.author == "Jane Reporter"
