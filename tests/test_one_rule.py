"""One rule wherever a thing can be done: a reply to a comment that does not exist is refused by the page's
form as by the API; resuming a feed polls it at once from the admin as from the API; a section is found by
the same names in the API, the command line, OPML, imports and search."""

import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from cupure.accounts.models import ApiToken
from cupure.comments.models import Comment
from cupure.news.models import Section
from cupure.search.engine import search
from cupure.sources.models import Feed, Source

from .conftest import rss
from .personas import article, reader, say

pytestmark = pytest.mark.django_db


def test_a_reply_to_a_missing_comment_is_refused_everywhere(client, settings):
    settings.COMMENTS_HOLD_FIRST = 0
    art, ann = article(), reader("ann")
    client.force_login(ann)
    ghost = Comment(pk=999999)  # never stored
    form = say(client, art, "Replying to a ghost", parent=ghost)
    assert form.status_code == 400 and "does not exist" in form.content.decode()
    _, token = ApiToken.issue(ann, "t")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}").post(
        f"/api/v1/articles/{art.pk}/comments",
        {"body": "Replying to a ghost", "parent": 999999},
        content_type="application/json",
    )
    assert api.status_code == 400 and "does not exist" in api.json()["message"]
    assert not Comment.objects.exists()


def test_resuming_a_feed_polls_it_at_once_from_the_admin_and_the_api(client):
    later = timezone.now() + timedelta(days=3)
    src = Source.objects.create(name="Paused Post", slug="paused-post")
    feeds = [
        Feed.objects.create(url=f"https://paused.example/{n}", source=src, active=False, next_check_at=later)
        for n in range(2)
    ]
    boss = User.objects.create_superuser("olivia", "o@example.org", "correct horse battery")
    client.force_login(boss)
    client.post("/admin/sources/feed/", {"action": "resume", "_selected_action": [feeds[0].pk]})
    _, token = ApiToken.issue(boss, "t")
    Client(HTTP_AUTHORIZATION=f"Bearer {token}").patch(
        f"/api/v1/feeds/{feeds[1].pk}", {"active": True}, content_type="application/json"
    )
    for feed in feeds:
        feed.refresh_from_db()
        assert feed.active and feed.next_check_at <= timezone.now()


@pytest.mark.parametrize("name", ["business", "Business", "business news", "BUSINESS NEWS", "local/business"])
def test_a_section_is_found_by_the_same_names_everywhere(web, name):
    business = Section.objects.get(slug="business")
    assert Section.objects.find(name) == business
    feeds = {
        way: web.add(f"/{way}.xml", rss([], link=web.url("/")), content_type="application/rss+xml")
        for way in ("api", "cli")
    }
    _, token = ApiToken.issue(reader("mo", staff=True), "t")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}").post(
        "/api/v1/feeds", {"url": feeds["api"], "section": name}, content_type="application/json"
    )
    assert api.status_code == 201, api.content
    call_command("add_feed", feeds["cli"], section=name, stdout=io.StringIO())
    assert [f.section for f in Feed.objects.filter(url__in=feeds.values())] == [business, business]
    assert search(f'tram section:"{name}"').problems == []
