"""A reader follows topics, sources, sections and stories from their pages, with plain forms, and For you
puts what they follow first, saying why."""

import pytest

from cupure.news.models import Section, Topic
from cupure.readers.models import Follow

from .personas import news_day, reader

pytestmark = pytest.mark.django_db


def follow(client, kind, thing, action="follow"):
    return client.post(
        "/you/follow/", {"kind": kind, "id": thing.pk, "action": action, "next": thing.get_absolute_url()}
    )


def test_follow_from_a_topic_page_puts_its_story_first_on_for_you(client):
    outlets, stories = news_day()
    ana = reader("ana")
    client.force_login(ana)
    topic = Topic.objects.get(name="Peaches Geldof")
    page = client.get(topic.get_absolute_url()).content.decode()
    assert 'name="kind" value="topic"' in page and ">Follow</button>" in page

    resp = follow(client, "topic", topic)
    assert resp.status_code == 302 and resp["Location"] == topic.get_absolute_url()
    page = client.get(topic.get_absolute_url()).content.decode()
    assert "Following ✓" in page and "You follow Peaches Geldof" in page  # the button and the message

    page = client.get("/for-you/").content.decode()
    mine, top = page.split("Top stories", 1)
    assert stories["geldof"].headline in mine and "You follow Peaches Geldof" in mine
    assert stories["turkey"].headline not in mine and stories["turkey"].headline in top


def test_each_kind_of_follow_and_unfollow(client):
    outlets, stories = news_day()
    ana = reader("ana")
    client.force_login(ana)
    world = Section.objects.get(slug="world")
    follow(client, "source", outlets["Star City Sun"])
    follow(client, "section", world)
    follow(client, "story", stories["geldof"])
    follow(client, "story", stories["geldof"])  # a double click follows once
    assert Follow.objects.filter(user=ana).count() == 3
    page = client.get("/for-you/").content.decode()
    assert "You follow Star City Sun, World news" in page or "You follow World news, Star City Sun" in page
    assert page.count(stories["turkey"].headline) == 1  # once, with every reason it is there
    assert "You follow this story" in page

    follow(client, "section", world, action="unfollow")
    follow(client, "source", outlets["Star City Sun"], action="unfollow")
    page = client.get("/for-you/").content.decode()
    assert "You follow World news" not in page
    assert list(Follow.objects.filter(user=ana).values_list("story_id", flat=True)) == [stories["geldof"].pk]


def test_a_reader_not_signed_in_is_asked_to_log_in_and_comes_back(client):
    news_day()
    topic = Topic.objects.get(name="Peaches Geldof")
    page = client.get(topic.get_absolute_url()).content.decode()
    assert "Log in to follow" in page and 'action="/you/follow/"' not in page
    resp = follow(client, "topic", topic)
    assert resp.status_code == 302 and resp["Location"].startswith("/accounts/login/?next=")
    assert client.get("/for-you/").status_code == 302  # For you is a signed-in page


def test_bad_follow_requests_are_refused(client):
    news_day()
    client.force_login(reader("ana"))
    assert client.post("/you/follow/", {"kind": "user", "id": "1"}).status_code == 400
    assert client.post("/you/follow/", {"kind": "topic", "id": "x"}).status_code == 400
    assert client.post("/you/follow/", {"kind": "topic", "id": "999999"}).status_code == 404
    assert client.get("/you/follow/").status_code == 405
    assert Follow.objects.count() == 0


def test_follows_need_the_csrf_token(client):
    from django.test import Client

    news_day()
    ana = reader("ana")
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(ana)
    topic = Topic.objects.get(name="Peaches Geldof")
    assert strict.post("/you/follow/", {"kind": "topic", "id": topic.pk}).status_code == 403
    assert not Follow.objects.exists()


def test_for_you_with_nothing_followed_says_how_and_shows_top_stories(client):
    outlets, stories = news_day()
    client.force_login(reader("ana"))
    page = client.get("/for-you/").content.decode()
    assert "You follow nothing yet" in page and stories["turkey"].headline in page
