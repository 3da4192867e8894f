"""A refresh survives its worst entry: whatever one entry does, the others are stored, the error is recorded
where the operator sees it, and a feed that fails as a whole is backed off, not fetched on every tick."""

import json
import random
from datetime import timedelta

import pytest
from django.utils import timezone

from cupure.news.models import Article
from cupure.sources import refresh as refresh_module
from cupure.sources.models import Feed, Source
from cupure.sources.refresh import refresh_feed

from .conftest import MALFORMED_URLS, Response, article_page, rss
from .fleet import prose

pytestmark = pytest.mark.django_db


def good_item(web, n):
    rng = random.Random(n)
    web.add(f"/good-{n}.html", article_page(f"Good story {n}", [prose(rng, 3), prose(rng, 3)]))
    return {"title": f"Good story {n}", "link": web.url(f"/good-{n}.html"), "guid": f"good-{n}"}


def make_feed(web, body, content_type="application/rss+xml"):
    url = web.add("/feed", body, content_type=content_type)
    source = Source.objects.create(name="Hostile Times", slug="hostile-times")
    return Feed.objects.create(url=url, source=source)


def test_hostile_links_and_redirects_do_not_stop_the_entries_after_them(web):
    items = [good_item(web, 0)]
    for n, link in enumerate(MALFORMED_URLS):
        items.append(
            {
                "title": f"Hostile link {n}",
                "link": link.replace("&", "&amp;"),
                "guid": f"bad-{n}",
                "description": "A teaser that is all the reader gets.",
            }
        )
    for n, target in enumerate(
        ["mailto:desk@example.com", "data:text/html,<p>x</p>", "javascript:alert(1)", "tel:+15551234", "http://[::1/"]
    ):
        web.add(f"/moved-{n}", Response(b"", status=302, headers={"Location": target}))
        items.append({"title": f"Redirected {n}", "link": web.url(f"/moved-{n}"), "guid": f"moved-{n}"})
    items.append(good_item(web, 1))
    feed = make_feed(web, rss(items))

    report = refresh_feed(feed)

    assert report.status == "ok"
    titles = set(Article.objects.values_list("title", flat=True))
    assert {"Good story 0", "Good story 1"} <= titles
    assert {f"Redirected {n}" for n in range(5)} <= titles  # kept with the feed's own text, page error noted
    assert report.page_errors >= 5
    feed.refresh_from_db()
    assert feed.error_count == 0 and feed.last_success_at is not None


def test_an_entry_that_raises_is_recorded_and_the_rest_stored(web, monkeypatch):
    items = [good_item(web, n) for n in range(3)]
    feed = make_feed(web, rss(items))
    real = refresh_module.build_draft

    def explode_on_the_second(entry, *args, **kwargs):
        if entry.title == "Good story 1":
            raise RuntimeError("a bug in one entry's draft")
        return real(entry, *args, **kwargs)

    monkeypatch.setattr(refresh_module, "build_draft", explode_on_the_second)
    report = refresh_feed(feed)
    assert report.status == "ok" and report.entry_errors == 1
    assert set(Article.objects.values_list("title", flat=True)) == {"Good story 0", "Good story 2"}
    feed.refresh_from_db()
    assert "Good story 1" in feed.last_entry_error and "RuntimeError" in feed.last_entry_error

    # The failed entry is tried again on the next poll (the bug may be fixed by then); the others are not.
    monkeypatch.setattr(refresh_module, "build_draft", real)
    Feed.objects.filter(pk=feed.pk).update(next_check_at=timezone.now())
    assert refresh_feed(feed).new_articles == 1
    assert Article.objects.count() == 3
    feed.refresh_from_db()
    assert feed.last_entry_error == ""


def test_a_json_feed_nested_200000_deep_is_a_recorded_error_with_backoff(web):
    feed = make_feed(
        web,
        '{"version": "https://jsonfeed.org/version/1.1", "items": ' + "[" * 200_000 + "]" * 200_000 + "}",
        content_type="application/feed+json",
    )
    report = refresh_feed(feed)
    assert report.status == "error" and "nested" in report.error
    feed.refresh_from_db()
    assert feed.error_count == 1 and feed.last_error_kind == "parse"
    assert feed.next_check_at > timezone.now() + timedelta(minutes=1)
    assert feed not in Feed.objects.due()


def test_any_crash_of_the_feed_is_recorded_with_backoff_not_retried_every_tick(web, monkeypatch):
    feed = make_feed(web, rss([good_item(web, 0)]))

    def crash(*args, **kwargs):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(refresh_module, "parse_feed", crash)
    for expected in (1, 2):
        Feed.objects.filter(pk=feed.pk).update(next_check_at=timezone.now())
        report = refresh_feed(feed)
        assert report.status == "error"
        feed.refresh_from_db()
        assert feed.error_count == expected and "RecursionError" in feed.last_error
        assert feed.next_check_at > timezone.now() and feed.locked_until is None


def test_json_feed_fields_of_the_wrong_type_are_ignored(web):
    body = json.dumps(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "title": ["not", "text"],
            "items": [
                {
                    "id": {"an": "object"},
                    "url": ["x"],
                    "title": 5,
                    "content_html": None,
                    "image": 3,
                    "tags": "a,b",
                    "date_published": 20260101,
                    "authors": "nobody",
                },
                {"id": 7, "title": "Plain item", "content_text": "Short text.", "url": "http://[::1/x"},
            ],
        }
    )
    feed = make_feed(web, body, content_type="application/feed+json")
    assert refresh_feed(feed).status == "ok"
    assert list(Article.objects.values_list("title", flat=True)) == ["Plain item"]


def test_a_feed_that_changes_guids_and_link_queries_every_poll_is_stored_once(web):
    rng = random.Random(5)
    web.add("/story.html", article_page("The same story", [prose(rng, 3), prose(rng, 3)]))
    feed = make_feed(web, rss([]))
    for poll in range(11):
        web.add(
            "/feed",
            rss(
                [
                    {
                        "title": "The same story",
                        "link": web.url(f"/story.html?session={poll}"),
                        "guid": f"random-guid-{poll}",
                    }
                ]
            ),
            content_type="application/rss+xml",
        )
        Feed.objects.filter(pk=feed.pk).update(next_check_at=timezone.now())
        assert refresh_feed(feed).status == "ok"
    assert Article.objects.count() == 1


def test_a_channel_link_to_another_publisher_does_not_file_the_feed_under_it(web):
    from cupure.sources.subscribe import add_feed

    bbc = Source.objects.create(name="BBC News", slug="bbc-news", key="bbc.co.uk", site_url="https://www.bbc.co.uk/")
    url = web.add(
        "/impostor.xml",
        rss([good_item(web, 0)], title="BBC News", link="https://www.bbc.co.uk/news"),
        content_type="application/rss+xml",
    )
    feed = add_feed(url)
    assert feed.source != bbc and feed.source.key == "127.0.0.1/bbc.co.uk"


def test_feeds_of_several_publishers_on_one_host_are_several_sources(web):
    """A feed service (or a mirror) serves many publishers' feeds from one host: each is its own source,
    named after its feed, and an article reads "Read at source" with its own publisher's name."""
    from cupure.sources.subscribe import add_feed

    feeds = []
    for name, site in (("BBC News", "https://www.bbc.co.uk/news"), ("9to5Mac", "https://9to5mac.com/")):
        body = rss([good_item(web, len(feeds))], title=name, link=site)
        url = web.add(f"/feed-{len(feeds)}.xml", body, content_type="application/rss+xml")
        feeds.append(add_feed(url))
        refresh_feed(feeds[-1])
    bbc, mac = (f.source for f in feeds)
    assert bbc != mac and (bbc.name, mac.name) == ("BBC News", "9to5Mac")
    assert Article.objects.get(feed=feeds[0]).source.name == "BBC News"
    again = add_feed(
        web.add(
            "/bbc-world.xml",
            rss([], title="BBC News - World", link="https://www.bbc.co.uk/news/world"),
            content_type="application/rss+xml",
        )
    )
    assert again.source == bbc  # the same publisher's other feed on that host joins it
