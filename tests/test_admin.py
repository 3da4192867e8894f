"""Operators manage sources, feeds and articles in the admin; readers cannot."""
import pytest
from django.contrib.auth.models import User

from cupure.news.models import Article, Tombstone
from cupure.sources.models import Feed, Source

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
    return Feed.objects.create(url="https://planet.example/rss", source=src, error_count=2,
                               last_error="HTTP 500 Internal Server Error")


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
    art = Article.objects.create(source=feed.source, url="https://planet.example/a", canonical_url="https://planet.example/a",
                                 title="Retracted", published_at="2026-11-20T08:00:00Z")
    operator.post(f"/admin/news/article/{art.pk}/delete/", {"post": "yes"})
    assert not Article.objects.exists()
    assert Tombstone.objects.get().canonical_url == "https://planet.example/a"


def test_readers_are_kept_out(client, feed):
    response = client.get("/admin/sources/feed/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
