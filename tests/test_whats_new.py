"""What's new: a story page marks the articles that arrived since the reader last opened it, and For you
says how many arrived in each story since then."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cupure.accounts.models import Profile
from cupure.news.models import Article
from cupure.news.stories import assign_stories
from cupure.readers.models import Follow, StoryVisit

from .headlines import EVENT_B
from .personas import news_day, outlet, publish, reader

pytestmark = pytest.mark.django_db


def test_story_page_marks_what_arrived_since_the_last_visit(client):
    outlets, stories = news_day()
    Article.objects.update(fetched_at=timezone.now() - timedelta(hours=1))  # stored an hour ago
    geldof = stories["geldof"]
    ana = reader("ana")
    client.force_login(ana)
    first = client.get(geldof.get_absolute_url()).content.decode()
    assert "New</span>" not in first and "new since your last visit" not in first  # a first visit: nothing is new

    StoryVisit.objects.filter(user=ana).update(seen_at=timezone.now() - timedelta(minutes=5))
    late = publish(
        outlet("Quiet Times"),
        "Bob Geldof remembers daughter Peaches",
        "Bob Geldof spoke.",
        summary="Bob Geldof remembers daughter Peaches Geldof.",
    )
    assign_stories()
    late.refresh_from_db()
    assert late.story_id == geldof.pk
    page = client.get(geldof.get_absolute_url()).content.decode()
    assert "1 new since your last visit" in page
    assert page.count("New</span>") == 1 and page.index("New</span>") < page.index(late.title)
    again = client.get(geldof.get_absolute_url()).content.decode()
    assert "New</span>" not in again  # seen now


def test_for_you_counts_new_articles_per_story(client):
    outlets, stories = news_day()
    Article.objects.update(fetched_at=timezone.now() - timedelta(hours=1))  # stored an hour ago
    geldof = stories["geldof"]
    ana = reader("ana")
    Follow.objects.create(user=ana, story=geldof)
    client.force_login(ana)
    assert " new</strong>" not in client.get("/for-you/").content.decode()  # the first look

    StoryVisit.objects.create(user=ana, story=geldof, seen_at=timezone.now() - timedelta(minutes=5))
    for n, name in enumerate(("Quiet Times", "Coast Courier")):
        publish(outlet(name), f"{EVENT_B[0]} ({n})", summary=f"{EVENT_B[0]}.")
    assign_stories()
    assert Article.objects.filter(story=geldof).count() == 5
    page = client.get("/for-you/").content.decode()
    assert "2 new</strong>" in page


def test_followed_list_says_how_many_new_since_the_last_look(client):
    outlets, stories = news_day()
    ana = reader("ana")
    Follow.objects.create(user=ana, source=outlets["Daily Planet"])
    Follow.objects.create(user=ana, source=outlets["Star City Sun"])
    client.force_login(ana)
    client.get("/for-you/")
    Article.objects.filter(published_at__gt=timezone.now() - timedelta(minutes=10)).update(
        published_at=timezone.now() - timedelta(minutes=10)
    )  # the day's news came before the last look
    Profile.objects.filter(user=ana).update(for_you_seen_at=timezone.now() - timedelta(minutes=5))
    publish(outlets["Daily Planet"], "Tram line opens to the airport", "The line opened.")
    publish(outlets["Daily Planet"], "Harbour bridge closes for repairs", "It closed.")
    following = client.get("/for-you/").content.decode().split('id="following"', 1)[1]
    planet, sun = following.split("Daily Planet", 1)[1].split("Star City Sun", 1)
    assert "2 new</strong>" in planet and "new</strong>" not in sun
