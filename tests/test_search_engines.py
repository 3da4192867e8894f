"""What search engines read: the sitemap index and its sitemaps, a Google News sitemap, robots.txt,
canonical links, Open Graph and schema.org NewsArticle metadata."""

import json
import re
from datetime import timedelta

import lxml.etree as etree
import lxml.html
import pytest
from django.utils import timezone

from cupure.news.models import Article, ArticlePicture, Section, Story, Topic
from cupure.sources.models import Source

from .personas import publish

pytestmark = pytest.mark.django_db
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


@pytest.fixture
def content():
    src = Source.objects.create(name="City Times", slug="city-times")
    world = Section.objects.get(slug="world")
    now = timezone.now()
    fresh = publish(
        source=src,
        section=world,
        url="https://city.example/fresh",
        title='Mayor says "<yes>" & more',
        summary="The mayor agreed.",
        author="Ana Lima",
        language="en-GB",
        image_url="https://city.example/i.jpg",
        at=now - timedelta(hours=2),
    )
    old = publish(
        source=src,
        url="https://city.example/old",
        title="Old news",
        at=now - timedelta(days=5),
    )
    Story.objects.create(
        id=3, headline="Mayor", lead=fresh, first_seen=now, last_updated=now, article_count=2, source_count=2
    )
    Topic.objects.create(key="mayor", name="Mayor", slug="mayor", mentions=5)
    return fresh, old


def xml(client, url):
    resp = client.get(url)
    assert resp.status_code == 200, url
    return etree.fromstring(resp.content)


def test_sitemap_index_and_sitemaps(client, content):
    fresh, old = content
    index = xml(client, "/sitemap.xml")
    locs = [e.text for e in index.iter(f"{SM}loc")]
    assert {re.sub(r".*/sitemap-(\w+)\.xml.*", r"\1", u) for u in locs} == {
        "news",
        "articles",
        "stories",
        "topics",
        "sections",
    }
    articles = [e.text for e in xml(client, "/sitemap-articles.xml").iter(f"{SM}loc")]
    assert articles == [f"http://testserver/article/{fresh.pk}/", f"http://testserver/article/{old.pk}/"]
    assert [e.text for e in xml(client, "/sitemap-stories.xml").iter(f"{SM}loc")] == ["http://testserver/story/3/"]
    assert [e.text for e in xml(client, "/sitemap-topics.xml").iter(f"{SM}loc")] == ["http://testserver/topic/mayor/"]
    assert len(list(xml(client, "/sitemap-sections.xml").iter(f"{SM}loc"))) == Section.objects.count()
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_google_news_sitemap_has_the_last_48_hours(client, content):
    fresh, old = content
    doc = xml(client, "/sitemap-news.xml")
    urls = doc.findall(f"{SM}url")
    assert [u.findtext(f"{SM}loc") for u in urls] == [f"http://testserver/article/{fresh.pk}/"]
    news = urls[0].find(f"{NEWS}news")
    assert news.findtext(f"{NEWS}title") == 'Mayor says "<yes>" & more'
    assert news.find(f"{NEWS}publication").findtext(f"{NEWS}language") == "en"
    assert news.findtext(f"{NEWS}publication_date").startswith(str(fresh.published_at.date()))


def test_robots(client):
    text = client.get("/robots.txt").content.decode()
    assert "Disallow: /admin/" in text and "Sitemap: http://testserver/sitemap.xml" in text


def test_canonical_links(client, content):
    fresh, _ = content

    def canonical(url):
        return lxml.html.fromstring(client.get(url).content).xpath("//link[@rel='canonical']/@href")

    assert canonical(f"/article/{fresh.pk}/") == ["https://city.example/fresh"]  # credit the publisher
    assert canonical("/section/world/") == ["http://testserver/section/world/"]
    assert canonical("/?page=2&utm_source=x") == ["http://testserver/?page=2"]


def test_article_open_graph_and_news_article(client, content):
    fresh, _ = content
    ArticlePicture.objects.create(article=fresh, thumb=b"t", lead=b"l", width=640, height=360)
    Article.objects.filter(pk=fresh.pk).update(has_picture=True)
    doc = lxml.html.fromstring(client.get(f"/article/{fresh.pk}/").content)
    og = {m.get("property"): m.get("content") for m in doc.xpath("//meta[@property]")}
    picture = f"http://testserver/picture/{fresh.pk}/lead.webp"  # cupure's copy, not the publisher's
    assert og["og:type"] == "article" and og["og:title"] == fresh.title and og["og:image"] == picture
    assert og["article:section"] == "World news"
    ld = json.loads(doc.xpath("//script[@type='application/ld+json']")[0].text)
    assert ld["@type"] == "NewsArticle" and ld["headline"] == fresh.title and ld["image"] == [picture]
    assert ld["author"] == {"@type": "Person", "name": "Ana Lima"} and ld["isBasedOn"] == fresh.url
    raw = client.get(f"/article/{fresh.pk}/").content.decode()
    assert "\\u003cyes\\u003e" in raw  # escaped inside the script element


def test_sources_opml_round_trips_into_a_fresh_site(client):
    from cupure.sources.models import Feed
    from cupure.sources.subscribe import import_opml

    world = Section.objects.get(slug="world")
    src = Source.objects.create(name="Harbour Post", slug="harbour-post", site_url="https://harbour.example/")
    Feed.objects.create(source=src, url="https://harbour.example/world.xml", title="World", section=world)
    Feed.objects.create(source=src, url="https://harbour.example/all.xml", title="All")
    resp = client.get("/sources.opml")
    assert resp["Content-Type"].startswith("text/x-opml")
    before = sorted((f.url, f.source.name, f.section.slug if f.section else None) for f in Feed.objects.all())
    Feed.objects.all().delete()
    Source.objects.all().delete()
    import_opml(resp.content)
    after = sorted((f.url, f.source.name, f.section.slug if f.section else None) for f in Feed.objects.all())
    assert after == before
