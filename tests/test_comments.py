"""Readers' comments: posting, threads, editing, deleting, reporting, liking, and what each refusal says."""

from datetime import timedelta

import feedparser
import pytest
from django.test import Client
from django.utils import timezone

from cupure.comments.models import Comment

from .personas import article, reader, say

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice(client):
    user = reader("alice")
    client.force_login(user)
    return user


def as_reader(name, **kw):
    c = Client()
    user = reader(name, **kw)
    c.force_login(user)
    return c, user


def test_post_renders_markdown_safely_and_counts_on_cards(client, alice):
    art = article()
    resp = say(client, art, "I *like* it. See [the plan](https://city.example/plan) <b>now</b>")
    comment = Comment.objects.get()
    assert resp.status_code == 302 and resp["Location"] == f"/article/{art.pk}/#c{comment.pk}"
    assert "<em>like</em>" in comment.html
    assert 'rel="nofollow ugc noopener"' in comment.html and 'href="https://city.example/plan"' in comment.html
    assert "&lt;b&gt;now&lt;/b&gt;" in comment.html  # raw HTML is shown as text
    page = client.get(art.get_absolute_url()).content.decode()
    assert "<em>like</em>" in page and 'Comments <span class="count">(1)</span>' in page
    assert "1 comment" in client.get("/").content.decode()


def test_anonymous_readers_are_asked_to_log_in(client):
    art = article()
    page = client.get(art.get_absolute_url()).content.decode()
    assert "Log in</a> or <a" in page and "comment-form" not in page
    resp = client.post(f"/comments/post/article/{art.pk}/", {"body": "hi", "nonce": "a" * 32})
    assert resp.status_code == 403 and "Log in or sign up" in resp.content.decode()
    assert not Comment.objects.exists()


def test_replies_nest_to_depth_three_then_attach_beside(client, alice):
    art = article()
    say(client, art, "top")
    parent = Comment.objects.get()
    for i in range(2, 5):
        say(client, art, f"reply {i}", parent=parent)
        parent = Comment.objects.latest("id")
    depths = list(Comment.objects.order_by("id").values_list("depth", flat=True))
    assert depths == [1, 2, 3, 3]
    deepest = Comment.objects.latest("id")
    assert deepest.parent.depth == 2  # attached beside the depth-3 comment it answered


def test_orders(client, alice):
    art = article()
    for body in ("first", "second", "third"):
        say(client, art, body)
    second = Comment.objects.get(body="second")
    bob, _ = as_reader("bob")
    bob.post(f"/comments/{second.pk}/like/")

    def order(o):
        html = client.get(f"{art.get_absolute_url()}?comments={o}").content.decode()
        return sorted(("first", "second", "third"), key=lambda b: html.index(f"<p>{b}</p>"))

    assert order("oldest") == ["first", "second", "third"]
    assert order("newest") == ["third", "second", "first"]
    assert order("top") == ["second", "first", "third"]


def test_edit_within_the_window_only_by_the_author(client, alice):
    art = article()
    say(client, art, "teh tram")
    comment = Comment.objects.get()
    assert client.post(f"/comments/{comment.pk}/edit/", {"body": "the tram"}).status_code == 302
    comment.refresh_from_db()
    assert comment.body == "the tram" and comment.edited_at
    bob, _ = as_reader("bob")
    assert bob.post(f"/comments/{comment.pk}/edit/", {"body": "hacked"}).status_code == 403
    Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - timedelta(minutes=16))
    resp = client.post(f"/comments/{comment.pk}/edit/", {"body": "too late"})
    assert resp.status_code == 403 and "15 minutes" in resp.content.decode()
    comment.refresh_from_db()
    assert comment.body == "the tram"


def test_delete_own_leaves_deleted_marker_when_replied_to(client, alice):
    art = article()
    say(client, art, "a lonely remark")
    say(client, art, "a remark with replies")
    lonely, replied = Comment.objects.order_by("id")
    bob, _ = as_reader("bob")
    say(bob, art, "a reply", parent=replied)
    assert bob.post(f"/comments/{replied.pk}/delete/").status_code == 403  # not his
    client.post(f"/comments/{lonely.pk}/delete/")
    client.post(f"/comments/{replied.pk}/delete/")
    assert not Comment.objects.filter(pk=lonely.pk).exists()
    replied.refresh_from_db()
    assert replied.status == Comment.Status.DELETED and replied.body == ""
    page = client.get(art.get_absolute_url()).content.decode()
    assert "[deleted]" in page and "a reply" in page and "a remark with replies" not in page
    art.refresh_from_db()
    assert art.comment_count == 1


def test_reports_hide_a_comment_pending_review(client, alice, settings):
    settings.COMMENTS_FLAGS_TO_HIDE = 3
    art = article()
    say(client, art, "buy cheap watches")
    comment = Comment.objects.get()
    assert client.post(f"/comments/{comment.pk}/flag/").status_code == 302  # own: refused with a message
    comment.refresh_from_db()
    assert comment.flags == 0
    readers = [as_reader(f"r{i}")[0] for i in range(3)]
    readers[0].post(f"/comments/{comment.pk}/flag/", {"reason": "spam"})
    readers[0].post(f"/comments/{comment.pk}/flag/", {"reason": "spam"})  # twice: counted once
    readers[1].post(f"/comments/{comment.pk}/flag/", {"reason": "spam"})
    comment.refresh_from_db()
    assert comment.flags == 2 and comment.status == Comment.Status.VISIBLE
    readers[2].post(f"/comments/{comment.pk}/flag/")
    comment.refresh_from_db()
    assert comment.status == Comment.Status.HIDDEN
    assert "cheap watches" not in readers[1].get(art.get_absolute_url()).content.decode()
    assert "Hidden after readers reported it" in client.get(art.get_absolute_url()).content.decode()


def test_refusals_say_why_and_keep_the_text(client, alice, settings):
    art = article()
    settings.COMMENTS_MAX_LENGTH = 100
    resp = say(client, art, "x" * 150)
    assert (
        resp.status_code == 400 and "the limit is 100" in resp.content.decode() and "x" * 150 in resp.content.decode()
    )
    resp = say(client, art, "   ")
    assert resp.status_code == 400 and "empty" in resp.content.decode()
    resp = say(client, art, "nul\x00byte")
    assert resp.status_code == 400 and "null character" in resp.content.decode()
    resp = say(client, art, "I am a bot", website="http://spam.example")
    assert resp.status_code == 400 and "filled in by a program" in resp.content.decode()
    settings.COMMENTS_PER_MINUTE = 2
    assert say(client, art, "one").status_code == 302 and say(client, art, "two").status_code == 302
    resp = say(client, art, "three")
    assert resp.status_code == 429 and "Wait" in resp.content.decode() and "three" in resp.content.decode()
    assert Comment.objects.count() == 2


def test_per_address_limit(settings):
    settings.COMMENTS_PER_ADDRESS_MINUTE = 2
    art = article()
    posted = [say(as_reader(f"n{i}")[0], art, f"comment {i}").status_code for i in range(3)]
    assert posted == [302, 302, 429]


def test_the_same_form_posted_twice_stores_one_comment(client, alice):
    art = article()
    page = client.get(art.get_absolute_url()).content.decode()
    from .personas import nonce_of

    data = {"body": "double click", "nonce": nonce_of(page)}
    first = client.post(f"/comments/post/article/{art.pk}/", data)
    second = client.post(f"/comments/post/article/{art.pk}/", data)
    assert first.status_code == second.status_code == 302 and first["Location"] == second["Location"]
    assert Comment.objects.count() == 1


def test_csrf_is_enforced():
    art = article()
    c = Client(enforce_csrf_checks=True)
    c.force_login(reader("carol"))
    resp = c.post(f"/comments/post/article/{art.pk}/", {"body": "no token", "nonce": "b" * 32})
    assert resp.status_code == 403 and not Comment.objects.exists()
    # With the token from the page, the same post goes through.
    page = c.get(art.get_absolute_url())
    token = c.cookies["csrftoken"].value
    from .personas import nonce_of

    resp = c.post(
        f"/comments/post/article/{art.pk}/",
        {"body": "with token", "nonce": nonce_of(page.content.decode()), "csrfmiddlewaretoken": token},
    )
    assert resp.status_code == 302 and Comment.objects.count() == 1


def test_held_comments_are_seen_by_their_author_and_moderators_only(client, settings):
    settings.COMMENTS_HOLD_FIRST = 1
    art = article()
    newbie, _ = as_reader("newbie")
    say(newbie, art, "my first words")
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.HELD
    assert "Awaiting a moderator" in newbie.get(art.get_absolute_url()).content.decode()
    bob, _ = as_reader("bob")
    assert "my first words" not in bob.get(art.get_absolute_url()).content.decode()
    assert "my first words" not in Client().get(art.get_absolute_url()).content.decode()
    assert "my first words" not in bob.get("/u/newbie/").content.decode()
    mo, _ = as_reader("mo", staff=True)
    assert "my first words" in mo.get("/moderation/").content.decode()
    mo.post(f"/comments/{comment.pk}/moderate/", {"action": "approve"})
    assert "my first words" in bob.get(art.get_absolute_url()).content.decode()
    say(newbie, art, "second, straight through")  # approved once: trusted now
    assert Comment.objects.get(body="second, straight through").status == Comment.Status.VISIBLE


def test_moderators_remove_and_ban(client):
    art = article()
    troll, troll_user = as_reader("troll")
    say(troll, art, "something vile")
    comment = Comment.objects.get()
    bob, _ = as_reader("bob")
    assert bob.get("/moderation/").status_code == 302  # not staff: to the log-in page
    assert bob.post(f"/comments/{comment.pk}/moderate/", {"action": "remove"}).status_code == 302
    comment.refresh_from_db()
    assert comment.status == Comment.Status.VISIBLE
    mo, _ = as_reader("mo", staff=True)
    mo.post(f"/comments/{comment.pk}/moderate/", {"action": "ban", "reason": "abuse"})
    comment.refresh_from_db()
    assert comment.status == Comment.Status.REMOVED and comment.moderation_reason == "abuse"
    assert "something vile" not in bob.get(art.get_absolute_url()).content.decode()
    resp = say(troll, art, "I'm back")
    assert (
        resp.status_code == 403
        and "may no longer comment" in resp.content.decode()
        and "abuse" in resp.content.decode()
    )
    assert Comment.objects.count() == 1


def test_story_comments(client, alice):
    from cupure.news.models import Story

    art = article()
    story = Story.objects.create(
        id=7,
        headline="Tram line",
        lead=art,
        first_seen=art.published_at,
        last_updated=art.published_at,
        article_count=1,
        source_count=1,
    )
    say(client, story, "on the story")
    comment = Comment.objects.get()
    assert comment.story_id == 7 and comment.article_id is None
    assert "on the story" in client.get("/story/7/").content.decode()
    story.refresh_from_db()
    assert story.comment_count == 1


def test_comments_feed(client, alice):
    art = article()
    say(client, art, "first **bold** take")
    feed = feedparser.parse(client.get(f"/article/{art.pk}/comments/rss/").content)
    assert not feed.bozo and len(feed.entries) == 1
    assert feed.entries[0].author == "alice" and "<strong>bold</strong>" in feed.entries[0].summary


def test_reply_notifications_are_opt_in(client, alice, mailoutbox, django_capture_on_commit_callbacks):
    art = article()
    quiet, _ = as_reader("quiet")
    keen, _ = as_reader("keen", notify=True)
    say(quiet, art, "quiet's comment")
    say(keen, art, "keen's comment")
    q, k = Comment.objects.order_by("id")
    with django_capture_on_commit_callbacks(execute=True):
        say(client, art, "reply to quiet", parent=q)
        say(client, art, "reply to keen", parent=k)
        say(keen, art, "keen answers keen", parent=k)  # no mail about one's own reply
    assert [m.to for m in mailoutbox] == [["keen@example.org"]]
    assert "alice replied" in mailoutbox[0].subject and "reply to keen" in mailoutbox[0].body


def test_the_cached_thread_of_anonymous_readers_follows_every_change(client, alice):
    art = article()
    anon = Client()
    say(client, art, "version one")
    comment = Comment.objects.get()
    assert "version one" in anon.get(art.get_absolute_url()).content.decode()
    client.post(f"/comments/{comment.pk}/edit/", {"body": "version two"})
    assert "version two" in anon.get(art.get_absolute_url()).content.decode()
    bob, _ = as_reader("bob")
    bob.post(f"/comments/{comment.pk}/like/")
    assert "1 like" in anon.get(f"{art.get_absolute_url()}?comments=top").content.decode()
    mo, _ = as_reader("mo", staff=True)
    mo.post(f"/comments/{comment.pk}/moderate/", {"action": "remove", "reason": "test"})
    html = anon.get(art.get_absolute_url()).content.decode()
    assert "version two" not in html and "No comments yet" in html


def test_a_client_without_an_address_can_post(alice):
    """Behind a proxy on a unix socket there is no REMOTE_ADDR: the comment is stored all the same."""
    art = article()
    c = Client(REMOTE_ADDR="")
    c.force_login(alice)
    assert say(c, art, "from nowhere").status_code == 302
    assert Comment.objects.get().address is None
