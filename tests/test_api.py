"""The JSON API as a program uses it: pages, filters, conditional GET, tokens, errors, staff feed management."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from cupure.accounts.models import ApiToken, Profile
from cupure.comments.models import Comment
from cupure.news.models import Article, ArticleTopic, Section, Story, Topic
from cupure.search.engine import search
from cupure.sources.models import Feed, Source

from .conftest import rss
from .personas import publish, reader

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive():
    world, business = Section.objects.get(slug="world"), Section.objects.get(slug="business")
    bbc = Source.objects.create(name="BBC News", slug="bbc-news", key="bbc.co.uk")
    ft = Source.objects.create(name="Financial Post", slug="financial-post", key="fp.example")
    now = timezone.now()
    arts = []
    for i in range(7):
        arts.append(
            publish(
                source=bbc if i % 2 else ft,
                section=world if i < 4 else business,
                url=f"https://n.example/{i}",
                title=f"Headline {i}",
                text=f"Body {i}.",
                at=now - timedelta(days=i),
            )
        )
    topic = Topic.objects.create(key="port strike", name="Port strike", slug="port-strike", mentions=2)
    for a in arts[:2]:
        ArticleTopic.objects.create(article=a, topic=topic, published_at=a.published_at, source_id=a.source_id)
    Story.objects.create(
        id=5,
        headline="Headline 0",
        lead=arts[0],
        section=world,
        first_seen=now,
        last_updated=now,
        article_count=2,
        source_count=2,
    )
    Article.objects.filter(pk__in=[arts[0].pk, arts[1].pk]).update(story_id=5)
    return arts


def token_client(user) -> Client:
    _, token = ApiToken.issue(user, "test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def test_cursor_pages_walk_everything_once(client, archive):
    seen, url = [], "/api/v1/articles?limit=3"
    while url:
        body = client.get(url).json()
        seen += [a["title"] for a in body["items"]]
        url = body["next"]
    assert seen == [f"Headline {i}" for i in range(7)]
    # A new article arriving between pages does not shift the pages already handed out.
    first = client.get("/api/v1/articles?limit=3").json()
    publish(
        source=archive[0].source,
        url="https://n.example/new",
        title="Breaking",
        at=timezone.now(),
    )
    second = client.get(f"/api/v1/articles?limit=3&cursor={first['next_cursor']}").json()
    assert [a["title"] for a in second["items"]] == ["Headline 3", "Headline 4", "Headline 5"]


def test_filters_match_the_search_filters(client, archive):
    def titles(query):
        return [a["title"] for a in client.get(f"/api/v1/articles?{query}").json()["items"]]

    assert titles("section=world") == [f"Headline {i}" for i in range(4)]
    assert titles("source=bbc") == ["Headline 1", "Headline 3", "Headline 5"]
    assert titles("topic=Port%20strike") == ["Headline 0", "Headline 1"]
    day = (timezone.now() - timedelta(days=2)).date()
    assert titles(f"since={day}&until={day}") == ["Headline 2"]
    resp = client.get("/api/v1/articles?section=nowhere")
    said = search("x section:nowhere").problems
    assert resp.status_code == 404 and [resp.json()["message"]] == said  # one message, as search says it
    assert said[0].startswith("There is no section “nowhere”. Sections: world, politics")


def test_a_filter_the_address_does_not_take_is_refused_not_ignored(client, archive):
    resp = client.get("/api/v1/articles?story=5&sectoin=world")
    assert resp.status_code == 400
    assert resp.json()["message"] == (
        "Unknown query parameter: sectoin, story. This address takes: cursor, limit, section, since, source, "
        "topic, until."
    )
    assert client.get("/api/v1/trending?limit=3").json()["message"].endswith("This address takes: none.")
    assert client.get("/api/v1/articles?section=world&limit=2").status_code == 200


def test_details(client, archive):
    art = client.get(f"/api/v1/articles/{archive[0].pk}").json()
    assert art["text"] == "Body 0." and art["topics"] == [{"slug": "port-strike", "name": "Port strike"}]
    assert art["story_id"] == 5 and art["source"]["slug"] == "financial-post"
    story = client.get("/api/v1/stories/5").json()
    assert [a["title"] for a in story["coverage"]] == ["Headline 1", "Headline 0"]
    assert [s["id"] for s in client.get("/api/v1/stories").json()["items"]] == [5]
    assert client.get("/api/v1/topics/port-strike").json()["mentions"] == 2
    assert [s["slug"] for s in client.get("/api/v1/sections").json()][:2] == ["world", "politics"]
    assert client.get("/api/v1/sources?limit=1").json()["items"][0]["name"] == "BBC News"
    hits = client.get("/api/v1/search?q=headline%20source:bbc&sort=date").json()
    assert hits["total"] == 3 and hits["hits"][0]["article"]["title"] == "Headline 1"
    assert "<mark>Headline</mark>" in hits["hits"][0]["title_html"]


def test_conditional_get(client, archive):
    first = client.get(f"/api/v1/articles/{archive[0].pk}")
    etag, modified = first["ETag"], first["Last-Modified"]
    again = client.get(f"/api/v1/articles/{archive[0].pk}", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag
    assert client.get(f"/api/v1/articles/{archive[0].pk}", HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    listing = client.get("/api/v1/articles")
    assert client.get("/api/v1/articles", HTTP_IF_NONE_MATCH=listing["ETag"]).status_code == 304
    Article.objects.filter(pk=archive[0].pk).update(title="Headline 0, updated")
    assert client.get("/api/v1/articles", HTTP_IF_NONE_MATCH=listing["ETag"]).status_code == 200


@pytest.mark.parametrize(
    "method,url,status",
    [
        ("get", "/api/v1/nowhere", 404),
        ("get", "/api/v1/articles/999999", 404),
        ("delete", "/api/v1/articles", 405),
        ("get", "/api/v1/articles?limit=many", 422),
        ("get", "/api/v1/articles?cursor=%%%", 404),
        ("get", "/api/v1/articles?limit=101", 422),
        ("get", "/api/v1/articles?limit=0", 422),
        ("get", "/api/v1/search", 422),
        ("get", "/api/v1/search?q=x&sort=best", 422),
        ("post", "/api/v1/articles/1/comments", 401),
        ("get", "/api/v1/feeds", 401),
        # PostgreSQL cannot hold a NUL character: refused before any query, on both databases.
        ("get", "/api/v1/articles?source=bb%00c", 400),
        ("get", "/api/v1/topics/a%00b", 404),
    ],
)
def test_every_error_is_json_with_a_message(client, archive, method, url, status):
    resp = getattr(client, method)(url)
    assert resp.status_code == status
    assert resp["Content-Type"].startswith("application/json") and resp.json()["message"]


def test_posting_comments_with_a_token(archive, settings):
    alice = reader("alice")
    api = token_client(alice)
    url = f"/api/v1/articles/{archive[0].pk}/comments"
    resp = api.post(url, {"body": "Good *news*", "nonce": "n1"}, content_type="application/json")
    assert resp.status_code == 201 and "<em>news</em>" in resp.json()["html"] and resp.json()["author"] == "alice"
    again = api.post(url, {"body": "Good *news*", "nonce": "n1"}, content_type="application/json")
    assert again.status_code == 201 and again.json()["id"] == resp.json()["id"]  # a retry stores one comment
    reply = api.post(url, {"body": "me too", "parent": resp.json()["id"]}, content_type="application/json").json()
    assert reply["parent_id"] == resp.json()["id"] and reply["depth"] == 2
    listed = Client().get(url).json()["items"]
    assert [c["id"] for c in listed] == [resp.json()["id"], reply["id"]]
    assert api.post(url, {"body": ""}, content_type="application/json").status_code == 400
    broken = api.post(url, "not json", content_type="application/json")
    assert broken.status_code == 400 and broken.json()["message"] == "The request body is not valid JSON."
    assert api.post(url, {"text": "wrong field"}, content_type="application/json").status_code == 422
    bad = Client(HTTP_AUTHORIZATION="Bearer cpr_forged").post(url, {"body": "x"}, content_type="application/json")
    assert bad.status_code == 401
    settings.COMMENTS_PER_MINUTE = 2  # two posted already
    limited = api.post(url, {"body": "one more"}, content_type="application/json")
    assert limited.status_code == 429 and "Wait" in limited.json()["message"]
    profile = Profile.of(alice)
    profile.banned_at = timezone.now()
    profile.save()
    assert api.post(url, {"body": "hi"}, content_type="application/json").status_code == 403
    assert Comment.objects.count() == 2


def test_staff_manage_feeds(archive, web, settings):
    web.add(
        "/feed.xml",
        rss([{"title": "One", "link": web.url("/1"), "guid": "1"}], title="Loopback Times"),
        content_type="application/rss+xml",
    )
    assert token_client(reader("bob")).get("/api/v1/feeds").status_code == 403
    staff = token_client(reader("mo", staff=True))
    resp = staff.post(
        "/api/v1/feeds", {"url": web.url("/feed.xml"), "section": "world"}, content_type="application/json"
    )
    assert resp.status_code == 201 and resp.json()["section"] == "world" and resp.json()["status"] == "waiting"
    feed_id = resp.json()["id"]
    assert (
        staff.post("/api/v1/feeds", {"url": web.url("/feed.xml")}, content_type="application/json")
        .json()["message"]
        .startswith("already subscribed")
    )
    assert staff.post("/api/v1/feeds", {"url": web.url("/missing")}, content_type="application/json").status_code == 400
    paused = staff.patch(f"/api/v1/feeds/{feed_id}", {"active": False}, content_type="application/json").json()
    assert paused["status"] == "paused" and paused["active"] is False
    assert [f["id"] for f in staff.get("/api/v1/feeds").json()["items"]] == [feed_id]
    assert staff.delete(f"/api/v1/feeds/{feed_id}").status_code == 204
    assert not Feed.objects.exists()


def test_tokens_from_the_settings_page(client):
    user = reader("kim")
    client.force_login(user)
    page = client.post("/accounts/tokens/", {"name": "my app"}).content.decode()
    token = page.split('<code class="token">')[1].split("<")[0]
    assert token.startswith("cpr_") and not ApiToken.objects.filter(key_hash=token).exists()  # stored hashed
    assert ApiToken.user_for(token) == user
    settings_page = client.get("/accounts/settings/").content.decode()
    assert token not in settings_page  # shown once
    assert "<title>Your settings · cupure</title>" in settings_page and settings_page.count("Make a token") == 1
    client.post(f"/accounts/tokens/{ApiToken.objects.get().pk}/revoke/")
    assert ApiToken.user_for(token) is None


def test_reference_page_lists_every_operation(client):
    spec = client.get("/api/v1/openapi.json").json()
    assert spec["openapi"].startswith("3.1")
    html = client.get("/api/v1/").content.decode()
    for path, methods in spec["paths"].items():
        for method in methods:
            assert f"{method.upper()} {path}" in html


def test_hand_built_article_json_matches_the_schema(archive):
    import json

    from cupure.api.schemas import ArticleOut
    from cupure.api.views import article_json

    Article.objects.filter(pk=archive[1].pk).update(section=None, author="Ana", image_url="https://i.example/1.jpg")
    for art in Article.objects.select_related("source", "section"):
        by_schema = json.loads(ArticleOut.from_orm(art).model_dump_json())
        assert json.loads(json.dumps(article_json(art))) == by_schema
        assert article_json(art)["url"] == art.get_absolute_url()
