"""Feed items that are not news are not shown as news: no card for an item with neither link nor title,
no headline repeated as its own summary or first heading, no site name glued to the headline, no profile
link as an author."""

from datetime import UTC, datetime

import pytest

from cupure.ingest.article import build_draft, without_site_name
from cupure.ingest.types import Block, Entry, ExtractedArticle
from cupure.news.models import Article
from cupure.sources.models import Feed, Source
from cupure.sources.refresh import refresh_feed

from .conftest import article_page, rss

NOW = datetime(2026, 12, 1, 9, tzinfo=UTC)


@pytest.mark.django_db
def test_items_with_neither_link_nor_title_are_skipped_and_said(web, client):
    web.add("/a.html", article_page("Council approves the tram", ["The council voted 31 to 9.", "Work starts in May."]))
    body = rss(
        [
            {"title": "Council approves the tram", "link": web.url("/a.html")},
            {"id": "urn:x:1", "description": "no link, no title"},
            {"id": "urn:x:2"},
        ]
    )
    source = Source.objects.create(name="City Times", slug="city-times")
    feed = Feed.objects.create(source=source, url=web.add("/feed.xml", body, content_type="application/rss+xml"))
    report = refresh_feed(feed)
    assert report.new_articles == 1
    assert list(Article.objects.values_list("title", flat=True)) == ["Council approves the tram"]
    feed.refresh_from_db()
    # (the parser itself drops the bare GUID: it has nothing at all)
    assert feed.last_entry_error == "1 entry skipped: no link and no title"
    assert "1 entry skipped: no link and no title" in client.get("/source/city-times/").content.decode()
    assert refresh_feed(feed).new_articles == 0  # remembered: not looked at again


def test_a_headline_only_item_does_not_repeat_its_headline():
    entry = Entry(key="1", url="https://city.example/1", title="Tram approved", summary_html="<p>Tram approved</p>")
    draft = build_draft(entry, None, now=NOW)
    assert draft.title == "Tram approved" and draft.summary == "" and draft.content_html == ""


def test_site_names_leave_the_headline_and_its_first_heading():
    page = ExtractedArticle(
        url="https://www.bbc.co.uk/news/1",
        title="Brexit deal agreed - BBC News",
        site_name="BBC News",
        author="https://www.facebook.com/bbcnews",
        blocks=[Block("h", "Brexit deal agreed"), Block("p", "Negotiators agreed a deal on Thursday night.")],
    )
    draft = build_draft(Entry(key="1", url="https://www.bbc.co.uk/news/1", title=""), page, now=NOW)
    assert draft.title == "Brexit deal agreed"
    assert draft.text == "Negotiators agreed a deal on Thursday night."  # the heading that repeats it is gone
    assert draft.author == ""


@pytest.mark.parametrize(
    "title, names, expected",
    [
        ("Brexit deal agreed | The Guardian", ("", "Guardian", "theguardian.com"), "Brexit deal agreed"),
        ("Reuters - Brexit deal agreed", ("", "Reuters", "reuters.com"), "Brexit deal agreed"),
        ("Market wrap :: Nikkei Asia", ("", "Nikkei Asia", "asia.nikkei.com"), "Market wrap"),
        ("Brexit: what happens next", ("BBC News", "BBC", "bbc.co.uk"), "Brexit: what happens next"),
        ("Review - Apple", ("", "Daily Planet", "planet.example"), "Review - Apple"),
        ("Obama - BBC News", ("BBC News", "", "bbc.co.uk"), "Obama - BBC News"),  # one word is no headline
    ],
)
def test_site_name_segments(title, names, expected):
    assert without_site_name(title, names) == expected
