"""The search page, the box on every page, and a search followed as a feed."""

import re
from datetime import timedelta

import feedparser
import pytest
from django.utils import timezone

from cupure.news.models import Section

from .personas import outlet, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def articles():
    bbc, planet = outlet("BBC News", key="bbc.co.uk"), outlet("Daily Planet")
    world = Section.objects.get(slug="world")
    for i in range(25):
        publish(
            bbc if i % 2 else planet,
            f"Drought grips the south, day {i}",
            "Reservoirs are at record lows.",
            at=timezone.now() - timedelta(days=i),
            section=world if i % 3 == 0 else None,
        )
    publish(bbc, "Heatwave and drought in Spain", "Temperatures passed 44 °C in Seville.", section=world)


def test_search_box_on_every_page_and_slash_focuses_it(client, articles):
    html = client.get("/").content.decode()
    assert '<form class="search" role="search" action="/search/"' in html and 'name="q"' in html
    assert "site.js" in html
    assert "/search/" in client.get("/sources/").content.decode()


def test_results_page(client, articles):
    resp = client.get("/search/", {"q": "drought spain"})
    html = resp.content.decode()
    assert resp.status_code == 200
    assert "<mark>drought</mark> in <mark>Spain</mark>" in html.replace("Heatwave and ", "")
    assert "1 result" in html
    # Narrowing links keep the words and add the filter.
    resp = client.get("/search/", {"q": "drought"})
    html = resp.content.decode()
    assert "26 results" in html
    assert 'href="?q=drought+section%3Aworld"' in html and "World news" in html
    assert 'href="?q=drought+source%3Abbc-news"' in html
    # Pages keep the query.
    assert 'href="?q=drought&amp;page=2"' in html
    page2 = client.get("/search/", {"q": "drought", "page": "2"}).content.decode()
    assert "Page 2 of 2" in page2
    assert client.get("/search/", {"q": "drought", "page": "x"}).status_code == 200


def test_sort_by_date(client, articles):
    html = client.get("/search/", {"q": "drought", "sort": "date"}).content.decode()
    days = [int(d) for d in re.findall(r"day (\d+)</a>", html.replace("</mark>", "").replace("<mark>", ""))]
    assert days == sorted(days)  # day 0 is the newest


def test_no_results_suggests_dropping_filters(client, articles):
    html = client.get("/search/", {"q": "reservoirs source:bbc section:world since:2030-01-01"}).content.decode()
    assert "No articles match" in html
    assert 'href="?q=reservoirs+section%3Aworld+since%3A2030-01-01"' in html  # without source:
    assert 'href="?q=reservoirs"' in html  # without any filter


def test_empty_and_explained_queries(client, articles):
    assert "exact phrase" in client.get("/search/").content.decode()
    html = client.get("/search/", {"q": "-drought"}).content.decode()
    assert "only says what to leave out" in html


@pytest.mark.parametrize("q", ['"', "NEAR(", "col:x", "^", "*", "\x00", "a" * 3000, "中", "🙂", "OR", "since:99999"])
def test_hostile_queries_render(client, articles, q):
    assert client.get("/search/", {"q": q}).status_code == 200


def test_a_search_is_a_feed(client, articles):
    for path, version in (("/search/rss/", "rss20"), ("/search/atom/", "atom10")):
        resp = client.get(path, {"q": "drought section:world"})
        assert resp.status_code == 200
        feed = feedparser.parse(resp.content)
        assert not feed.bozo and feed.version == version
        assert "drought" in feed.feed.title
        assert len(feed.entries) == 10
        assert feed.entries[0].title == "Heatwave and drought in Spain"
    page = client.get("/search/", {"q": "drought"}).content.decode()
    assert 'type="application/rss+xml"' in page and "/search/rss/?q=drought" in page
