"""A banned reader takes no further part: no new comment, no edit of an old one, no report, no like."""

import pytest

from cupure.comments import actions
from cupure.comments.models import Comment, Flag, Like

from .personas import article, reader, say

pytestmark = pytest.mark.django_db


def test_a_ban_stops_posting_editing_reporting_and_liking(client, settings):
    settings.COMMENTS_HOLD_FIRST = 0
    art, moderator = article(), reader("mo", staff=True)
    troll, ann = reader("troll"), reader("ann")
    client.force_login(ann)
    say(client, art, "A fair point about the tram.")
    theirs = Comment.objects.get(author=ann)
    client.force_login(troll)
    say(client, art, "Something rude.")
    mine = Comment.objects.get(author=troll)
    actions.ban(troll, moderator, "abuse")

    assert say(client, art, "And more.").status_code == 403
    edit = client.post(f"/comments/{mine.pk}/edit/", {"body": "Edited after the ban"})
    assert edit.status_code == 403 and "may no longer edit comments" in edit.content.decode()
    client.post(f"/comments/{theirs.pk}/flag/", {"reason": "spite"})
    client.post(f"/comments/{theirs.pk}/like/")
    assert not Flag.objects.exists() and not Like.objects.exists()
    mine.refresh_from_db()
    assert mine.body == "Something rude."
    page = client.get(theirs.get_absolute_url().split("#")[0], follow=True).content.decode()
    assert "may no longer like comments" in page or "may no longer report comments" in page
