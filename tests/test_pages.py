"""Reader pages: home, article, section, sources, source; safe with hostile stored data."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cupure.news.models import Section
from cupure.sources.models import Feed, Source

from .personas import publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def planet():
    src = Source.objects.create(name="Daily Planet", slug="daily-planet", site_url="https://planet.example/")
    feed = Feed.objects.create(
        url="https://planet.example/rss",
        source=src,
        title="Daily Planet - World",
        section=Section.objects.get(slug="world"),
    )
    return src, feed


def make_article(src, n, **kw):
    """Article ``n`` of ``src``, ``n`` minutes old, two paragraphs long."""
    fields = (
        dict(
            title=f"Headline {n}",
            text="First para.\n\nSecond para.",
            at=timezone.now() - timedelta(minutes=n),
            content_html="<p>First para.</p><p>Second para.</p>",
            summary=f"Summary {n}",
            url=f"https://planet.example/{n}",
        )
        | kw
    )
    return publish(src, fields.pop("title"), fields.pop("text"), **fields)


def test_home_lists_latest_first_and_paginates(client, planet):
    src, _ = planet
    for n in range(35):
        make_article(src, n)
    first = client.get("/").content.decode()
    assert first.index("Headline 0<") < first.index("Headline 1<")
    assert "Headline 29<" in first and "Headline 30<" not in first and "Page 1 of 2" in first
    second = client.get("/?page=2").content.decode()
    assert "Headline 30<" in second
    assert client.get("/?page=999").status_code == 200 and client.get("/?page=abc").status_code == 200


def test_article_page(client, planet):
    src, _ = planet
    art = make_article(src, 1, author="Lois Lane", section=Section.objects.get(slug="world"))
    page = client.get(art.get_absolute_url()).content.decode()
    for expected in (
        "Headline 1",
        "Lois Lane",
        "Daily Planet",
        "World news",
        "<p>First para.</p><p>Second para.</p>",
        'href="https://planet.example/1"',
        "Read at source",
    ):
        assert expected in page
    assert client.get("/article/999999/").status_code == 404


def test_section_pages(client, planet):
    src, _ = planet
    world, sports = Section.objects.get(slug="world"), Section.objects.get(slug="sports")
    make_article(src, 1, section=world)
    make_article(src, 2, section=sports)
    page = client.get("/section/world/").content.decode()
    assert "World news" in page and "Headline 1" in page and "Headline 2" not in page
    nav = client.get("/").content.decode()
    for name in ("World news", "Politics", "Business", "Technology", "Science", "Health", "Sports", "Entertainment"):
        assert name in nav
    assert client.get("/section/nope/").status_code == 404


def test_sources_page_shows_health(client, planet):
    src, feed = planet
    Feed.objects.filter(pk=feed.pk).update(
        error_count=3, last_error="HTTP 500 Internal Server Error", last_checked_at=timezone.now()
    )
    Feed.objects.create(url="https://planet.example/sport", source=src)
    page = client.get("/sources/").content.decode()
    assert "Daily Planet" in page and "Error" in page and "3 in a row" in page and "HTTP 500" in page
    assert "Waiting for the first poll" in page and "2 feeds" in page and "1 in error" in page
    source_page = client.get(src.get_absolute_url()).content.decode()
    assert "HTTP 500" in source_page


def test_stored_text_is_escaped(client, planet):
    src, feed = planet
    art = make_article(
        src,
        1,
        title="<script>alert(1)</script>",
        author="<img src=x onerror=alert(2)>",
        summary="<b onmouseover=alert(3)>x</b>",
    )
    Feed.objects.filter(pk=feed.pk).update(error_count=1, last_error="<script>alert(4)</script>")
    for url in ("/", art.get_absolute_url(), "/sources/", src.get_absolute_url()):
        page = client.get(url).content.decode()
        assert "<script>alert" not in page and "<img src=x" not in page and "<b onmouseover" not in page


def test_empty_site_explains_itself(client):
    assert "No articles yet" in client.get("/").content.decode()
    assert "cupure add-feed" in client.get("/sources/").content.decode()


def test_dark_and_light_styles_served(client):
    css = b"".join(client.get("/static/cupure/site.css").streaming_content)
    assert b"prefers-color-scheme: dark" in css and b"max-width" in css
