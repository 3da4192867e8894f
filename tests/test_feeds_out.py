"""Feeds out: every page's RSS 2.0, Atom 1.0 and JSON Feed 1.1 parse cleanly, and one cupure can follow another."""

import json
from datetime import timedelta

import feedparser
import jsonschema
import pytest
from django.utils import timezone

from cupure.comments.models import Comment
from cupure.ingest.parse import parse_json_feed
from cupure.news.models import Article, ArticleTopic, Section, Story, Topic

from .personas import publish, reader
from .server import live_site, sqlite_only

pytestmark = pytest.mark.django_db
VERSIONS = {"rss": "rss20", "atom": "atom10"}
# The required and typed members of JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/).
JSON_FEED_11 = {
    "type": "object",
    "required": ["version", "title", "items"],
    "properties": {
        "version": {"const": "https://jsonfeed.org/version/1.1"},
        "title": {"type": "string"},
        "home_page_url": {"type": "string", "format": "uri"},
        "feed_url": {"type": "string", "format": "uri"},
        "items": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id"],
                "properties": {
                    "id": {"type": "string"},
                    "url": {"type": "string"},
                    "title": {"type": "string"},
                    "content_html": {"type": "string"},
                    "date_published": {"type": "string", "format": "date-time"},
                    "date_modified": {"type": "string"},
                    "tags": {"type": "array", "items": {"type": "string"}},
                    "authors": {
                        "type": "array",
                        "items": {"type": "object", "properties": {"name": {"type": "string"}}},
                    },
                },
                "anyOf": [{"required": ["content_html"]}, {"required": ["content_text"]}],
            },
        },
    },
}


@pytest.fixture
def site_content():
    from cupure.sources.models import Source

    world = Section.objects.get(slug="world")
    src = Source.objects.create(name="City Times", slug="city-times")
    other = Source.objects.create(name="Harbour Post", slug="harbour-post")
    now = timezone.now()
    arts = [
        publish(
            source=s,
            section=world,
            url=f"https://news.example/{i}",
            title=f"Bridge reopens after repairs, part {i}",
            summary="Traffic flows again & ferries stop.",
            text="Traffic flows again.",
            at=now - timedelta(hours=i),
        )
        for i, s in enumerate([src, other, src])
    ]
    story = Story.objects.create(
        id=1,
        headline=arts[0].title,
        lead=arts[0],
        section=world,
        first_seen=arts[2].published_at,
        last_updated=arts[0].published_at,
        article_count=3,
        source_count=2,
    )
    Article.objects.filter(pk__in=[a.pk for a in arts]).update(story=story)
    topic = Topic.objects.create(key="bridge", name="Bridge", slug="bridge", mentions=3)
    for a in arts:
        ArticleTopic.objects.create(article=a, topic=topic, published_at=a.published_at, source_id=a.source_id)
    Comment.objects.create(article=arts[0], author=reader("ann"), body="Finally!", html="<p>Finally!</p>", nonce="x")
    return arts


@pytest.mark.parametrize("fmt", ["rss", "atom", "json"])
@pytest.mark.parametrize(
    "page,count",
    [
        ("/feed/", 1),
        ("/section/world/", 3),
        ("/topic/bridge/", 3),
        ("/source/city-times/", 2),
        ("/story/1/", 3),
        ("/search/", 3),
        ("/article/{a0}/comments/", 1),
    ],
)
def test_every_feed_parses_cleanly(client, site_content, page, count, fmt):
    url = page.format(a0=site_content[0].pk) + f"{fmt}/" + ("?q=bridge" if page == "/search/" else "")
    resp = client.get(url)
    assert resp.status_code == 200
    if fmt == "json":
        # feedparser reads no JSON Feed: check the document against the specification, then read it as cupure does.
        assert resp["Content-Type"].startswith("application/feed+json")
        jsonschema.validate(json.loads(resp.content), JSON_FEED_11)
        parsed = parse_json_feed(resp.content, "http://testserver" + url)
        assert len(parsed.entries) == count
        assert all(e.url.startswith("http://testserver/") and e.published for e in parsed.entries)
        return
    parsed = feedparser.parse(resp.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == VERSIONS[fmt]
    assert len(parsed.entries) == count
    assert all(e.link.startswith("http://testserver/") for e in parsed.entries)


def test_pages_advertise_their_feeds(client, site_content):
    html = client.get("/section/world/").content.decode()
    for fmt, mime in (
        ("rss", "application/rss+xml"),
        ("atom", "application/atom+xml"),
        ("json", "application/feed+json"),
    ):
        assert f'<link rel="alternate" type="{mime}"' in html and f"/section/world/{fmt}/" in html


def test_merged_story_feed_redirects(client, site_content):
    Story.objects.create(id=2, headline="old", first_seen=timezone.now(), last_updated=timezone.now(), merged_into_id=1)
    resp = client.get("/story/2/atom/")
    assert resp.status_code == 301 and resp["Location"] == "/story/1/atom/"


def test_unknown_things_have_no_feed(client, site_content):
    for url in (
        "/section/nope/rss/",
        "/topic/nope/json/",
        "/source/nope/atom/",
        "/story/999/rss/",
        "/article/999/comments/rss/",
    ):
        assert client.get(url).status_code == 404


SEED = """
from datetime import timedelta
from django.utils import timezone
from cupure.news.models import Article, Section
from cupure.sources.models import Source
s = Source.objects.create(name="City Times", slug="city-times")
world = Section.objects.get(slug="world")
body = " ".join(["The harbour bridge reopened on Monday after eighteen months of repairs, and the first buses "
                 "crossed at six in the morning while cyclists waited for their own lane to open."] * 4)
for i in range(3):
    Article.objects.create(source=s, section=world, url=f"https://city.example/{i}",
                           canonical_url=f"https://city.example/{i}", title=f"Harbour bridge story number {i}",
                           text=body, content_html="".join(f"<p>{body}</p>" for _ in range(2)),
                           published_at=timezone.now() - timedelta(hours=i))
"""


@sqlite_only  # the other site serves SQLite; storing what it publishes is the ingestion tests' concern
@pytest.mark.parametrize("fmt", ["rss", "json"])
def test_one_cupure_subscribes_to_another(tmp_path, settings, fmt):
    from cupure.sources.models import Feed
    from cupure.sources.refresh import refresh_feed
    from cupure.sources.subscribe import add_feed

    settings.ALLOW_PRIVATE_NETWORKS = True
    with live_site(tmp_path) as other:
        other.manage(code=SEED)
        feed = add_feed(f"{other.url}/section/world/{fmt}/", section="world")
        report = refresh_feed(feed)
    assert Feed.objects.get().last_error == ""
    titles = sorted(Article.objects.values_list("title", flat=True))
    assert titles == [f"Harbour bridge story number {i}" for i in range(3)], report
    art = Article.objects.get(title="Harbour bridge story number 0")
    assert "eighteen months of repairs" in art.text and art.section.slug == "world"
