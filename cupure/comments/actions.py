"""What readers and moderators do to comments. Views parse the request and call these.

Each function checks what it may do and returns ``(ok, reason)`` or the comment; the reason is
shown to the reader as is.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from cupure.accounts.models import Profile
from cupure.lib.clients import anonymised
from cupure.lib.db import writing
from cupure.lib.logs import kv
from cupure.lib.text import xml_safe
from cupure.ops import pagecache

from . import guard
from .models import MAX_DEPTH, Comment, Flag, Like
from .render import render

log = logging.getLogger(__name__)


def post(
    *,
    user,
    target,
    body: str,
    nonce: str,
    address: str,
    parent: Comment | None = None,
    honeypot: str = "",
    base_url: str = "",
) -> tuple[Comment | None, str, int]:
    """Store a comment on ``target`` (an Article or a Story).

    Returns (comment, "", 200), or (None, reason, HTTP status): 403 for who may not post, 429 for too
    many posts, 400 for what was posted.

    A reply to a comment at MAX_DEPTH attaches beside it, to the same parent. The same form (nonce)
    posted twice returns the first comment.
    """
    for (ok, reason), status in ((guard.author_ok(user), 403), (guard.body_ok(body, honeypot), 400)):
        if not ok:
            return None, reason, status
    if not nonce or len(nonce) > 64:
        return None, "The form is incomplete; reload the page and post again.", 400
    if parent is not None:
        if parent.target != target or parent.status not in (Comment.Status.VISIBLE, Comment.Status.HIDDEN):
            return None, "The comment you replied to is no longer there.", 400
        while parent.depth >= MAX_DEPTH and parent.parent_id:
            parent = parent.parent
    profile = Profile.of(user)
    held = not user.is_staff and profile.approved_comments < settings.COMMENTS_HOLD_FIRST
    kind = target._meta.model_name  # "article" or "story": the comment's field for it
    text = clean_body(body)
    try:
        with writing():
            ok, reason = guard.take_post(user, address)
            if not ok:
                return None, reason, 429
            comment = Comment.objects.create(
                **{kind: target},
                parent=parent,
                depth=(parent.depth + 1 if parent else 1),
                author=user,
                body=text,
                html=render(text),
                nonce=nonce,
                status=Comment.Status.HELD if held else Comment.Status.VISIBLE,
                address=anonymised(address),
            )
            if not held:  # one more visible comment: an increment, not a recount, on this busy path
                type(target).objects.filter(pk=target.pk).update(comment_count=F("comment_count") + 1)
    except IntegrityError:
        # The same form posted again (a double click, a resent request): the first one stands.
        earlier = Comment.objects.filter(author=user, nonce=nonce).first()
        if earlier is None:
            raise
        return earlier, "", 200
    if not held:
        notify_reply(comment, base_url)
    return comment, "", 200


def clean_body(body: str) -> str:
    """What is stored of a posted body: without surrounding space or the control characters XML forbids
    (they would break the comment feeds of the whole article)."""
    return xml_safe(body).strip()


def parent_of(parent_id) -> tuple[Comment | None, str]:
    """The comment a reply answers, or why the reply cannot be posted: every way in (the page's form, the
    API) refuses a reply to a comment that does not exist, rather than posting it at the top."""
    if parent_id in (None, ""):
        return None, ""
    parent = Comment.objects.filter(pk=int(parent_id)).first() if str(parent_id).isdigit() else None
    return (parent, "") if parent is not None else (None, "The comment you replied to does not exist.")


def may_edit(comment: Comment, user) -> tuple[bool, str]:
    ok, reason = guard.author_ok(user, "edit comments")
    if not ok:
        return False, reason
    if not comment.editable_by(user):
        return False, (
            f"Comments can be edited for {_minutes(settings.COMMENTS_EDIT_WINDOW)} minutes after "
            "posting, by their author only."
        )
    return True, ""


def edit(comment: Comment, user, body: str) -> tuple[bool, str]:
    ok, reason = may_edit(comment, user)
    if not ok:
        return False, reason
    ok, reason = guard.body_ok(body)
    if not ok:
        return False, reason
    text = clean_body(body)
    comment.body, comment.html, comment.edited_at = text, render(text), timezone.now()
    comment.save(update_fields=["body", "html", "edited_at"])
    return True, ""


def delete(comment: Comment, user) -> tuple[bool, str]:
    """The author's delete: gone, or "[deleted]" in place while replies hang from it."""
    if not user.is_authenticated or user.pk != comment.author_id:
        return False, "Only its author can delete a comment."
    with transaction.atomic():
        if comment.replies.exists():
            comment.status, comment.body, comment.html = Comment.Status.DELETED, "", ""
            comment.save(update_fields=["status", "body", "html"])
            recount(comment)
        else:
            comment.delete()
            recount(comment)
    return True, ""


def flag(comment: Comment, user, reason: str = "") -> tuple[bool, str]:
    """A reader's report; COMMENTS_FLAGS_TO_HIDE reports hide the comment until a moderator decides."""
    ok, reason = guard.author_ok(user, "report comments")
    if not ok:
        return False, reason
    if user.pk == comment.author_id:
        return False, "You cannot report your own comment; delete or edit it instead."
    if comment.status != Comment.Status.VISIBLE:
        return False, "This comment is already waiting for a moderator."
    try:
        with transaction.atomic():
            Flag.objects.create(comment=comment, user=user, reason=reason[:200])
            Comment.objects.filter(pk=comment.pk).update(flags=F("flags") + 1)
            comment.refresh_from_db(fields=["flags"])
            if comment.flags >= settings.COMMENTS_FLAGS_TO_HIDE and not comment.moderated_by_id:
                comment.status = Comment.Status.HIDDEN
                comment.save(update_fields=["status"])
                recount(comment)
    except IntegrityError:
        return False, "You have reported this comment already."
    return True, ""


def like(comment: Comment, user) -> tuple[bool, str]:
    """Like, or take the like back."""
    ok, reason = guard.author_ok(user, "like comments")
    if not ok:
        return False, reason
    if user.pk == comment.author_id:
        return False, "You cannot like your own comment."
    with transaction.atomic():
        deleted, _ = Like.objects.filter(comment=comment, user=user).delete()
        if not deleted:
            Like.objects.create(comment=comment, user=user)
        Comment.objects.filter(pk=comment.pk).update(likes=F("likes") + (-1 if deleted else 1))
    pagecache.bump()
    return True, ""


def approve(comment: Comment, moderator, base_url: str = "") -> None:
    """Visible again (held or flagged); flags after an approval no longer hide it."""
    was_held = comment.status == Comment.Status.HELD
    with transaction.atomic():
        comment.status, comment.moderated_by, comment.moderation_reason = Comment.Status.VISIBLE, moderator, ""
        comment.save(update_fields=["status", "moderated_by", "moderation_reason"])
        if was_held:
            Profile.objects.filter(user_id=comment.author_id).update(approved_comments=F("approved_comments") + 1)
        recount(comment)
    if was_held:
        notify_reply(comment, base_url)


def remove(comment: Comment, moderator, reason: str) -> None:
    with transaction.atomic():
        comment.status, comment.moderated_by, comment.moderation_reason = (
            Comment.Status.REMOVED,
            moderator,
            reason[:500],
        )
        comment.save(update_fields=["status", "moderated_by", "moderation_reason"])
        recount(comment)


def ban(user, moderator, reason: str) -> int:
    """The user may no longer post; their comments still waiting for approval are removed. Returns how many."""
    profile = Profile.of(user)
    profile.banned_at, profile.ban_reason = timezone.now(), reason[:500]
    profile.save(update_fields=["banned_at", "ban_reason"])
    waiting = list(Comment.objects.filter(author=user, status__in=[Comment.Status.HELD, Comment.Status.HIDDEN]))
    for comment in waiting:
        remove(comment, moderator, f"author banned: {reason}")
    return len(waiting)


def recount(comment: Comment) -> None:
    """The target's visible-comment count, kept on the row so lists of cards need no join. One statement."""
    target = comment.target
    model = type(target)
    visible = Comment.objects.public().filter(**{model._meta.model_name: OuterRef("pk")}).order_by()
    count = Subquery(visible.values(model._meta.model_name).annotate(n=Count("id")).values("n")[:1])
    model.objects.filter(pk=target.pk).update(comment_count=Coalesce(count, 0))
    pagecache.bump()


def notify_reply(comment: Comment, base_url: str = "") -> None:
    """Email the parent's author about a visible reply, if they asked for it, after the transaction commits."""
    parent = comment.parent
    if parent is None or parent.author_id == comment.author_id or not parent.author.email:
        return
    if not Profile.of(parent.author).notify_replies:
        return

    def send():
        try:
            send_mail(
                f"{comment.author.username} replied to your comment",
                f"{comment.author.username} wrote:\n\n{comment.body}\n\nRead it and reply: "
                f"{base_url}{comment.get_absolute_url()}\n\nYou get these emails because you asked for them; "
                f"turn them off in your settings: {base_url}/accounts/settings/",
                None,
                [parent.author.email],
            )
        except Exception:  # a mail server's trouble must not lose the comment
            log.exception("reply notification failed", extra=kv(comment_id=comment.pk))

    transaction.on_commit(send)


def _minutes(delta) -> int:
    return int(delta.total_seconds() // 60)
