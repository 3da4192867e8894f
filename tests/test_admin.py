"""Operators manage sources, feeds and articles in the admin; readers cannot."""

import pytest
from django.contrib.auth.models import User

from cupure.news.models import Article, Tombstone
from cupure.sources.models import Feed, Source

from .personas import publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(client):
    """Olivia, who runs the site."""
    user = User.objects.create_superuser("olivia", "olivia@example.org", "correct horse battery")
    client.force_login(user)
    return client


@pytest.fixture
def feed():
    src = Source.objects.create(name="Daily Planet", slug="daily-planet")
    return Feed.objects.create(
        url="https://planet.example/rss", source=src, error_count=2, last_error="HTTP 500 Internal Server Error"
    )


def test_operator_sees_feed_health(operator, feed):
    page = operator.get("/admin/sources/feed/").content.decode()
    assert "planet.example/rss" in page and "error" in page
    detail = operator.get(f"/admin/sources/feed/{feed.pk}/change/").content.decode()
    assert "HTTP 500 Internal Server Error" in detail


def test_operator_pauses_a_feed(operator, feed):
    operator.post("/admin/sources/feed/", {"action": "pause", "_selected_action": [feed.pk]})
    feed.refresh_from_db()
    assert not feed.active


def test_operator_deletes_an_article_and_it_is_remembered(operator, feed):
    art = publish(feed.source, "Retracted", url="https://planet.example/a")
    operator.post(f"/admin/news/article/{art.pk}/delete/", {"post": "yes"})
    assert not Article.objects.exists()
    assert Tombstone.objects.get().canonical_url == "https://planet.example/a"


def test_readers_are_kept_out(client, feed):
    response = client.get("/admin/sources/feed/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_a_staff_edit_in_the_admin_is_sanitized_like_everything_else(operator, feed, client):
    art = publish(feed.source, "Edited", "Fine.", content_html="<p>Fine.</p>")
    form = operator.get(f"/admin/news/article/{art.pk}/change/").context["adminform"].form
    data = {k: ("" if v is None else v) for k, v in form.initial.items() if not isinstance(v, (list, bytes))}
    data.update(
        content_html='<p onclick="steal()">Changed.</p><script>alert(1)</script><img src="x" onerror="y">',
        published_at_0="2026-11-30",
        published_at_1="10:00:00",
        fetched_at_0="2026-11-30",
        fetched_at_1="10:00:00",
        source=feed.source.pk,
        feed=feed.pk,
    )
    resp = operator.post(f"/admin/news/article/{art.pk}/change/", data)
    assert resp.status_code == 302, resp.context["adminform"].form.errors if resp.context else resp
    art.refresh_from_db()
    assert "Changed." in art.content_html
    assert "<script" not in art.content_html and "onclick" not in art.content_html and "onerror" not in art.content_html
