"""One rule wherever a thing can be done: a reply to a comment that does not exist is refused by the page's
form as by the API; resuming a feed polls it at once from the admin as from the API."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from cupure.accounts.models import ApiToken
from cupure.comments.models import Comment
from cupure.sources.models import Feed, Source

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
