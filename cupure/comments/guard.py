"""Whether a comment may be posted. Each check returns ``(ok, reason)``; the reason is shown to the reader."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings

from cupure.accounts.models import Profile, Throttle
from cupure.lib.clients import address_key

MINUTE, HOUR = timedelta(minutes=1), timedelta(hours=1)


def author_ok(user, doing: str = "comment") -> tuple[bool, str]:
    """May ``user`` take part (``doing``: comment, edit, report, like)? A banned reader may do none of it."""
    if not user.is_authenticated:
        return False, f"Log in to {doing}."
    profile = Profile.of(user)
    if profile.banned:
        reason = f" Reason: {profile.ban_reason}" if profile.ban_reason else ""
        return False, f"Your account may no longer {doing}.{reason}"
    return True, ""


def body_ok(body: str, honeypot: str = "") -> tuple[bool, str]:
    if honeypot:
        return False, "This form was filled in by a program, it seems: leave the hidden “Leave this empty” field empty."
    text = (body or "").strip()
    if "\x00" in text:
        return False, "The comment contains a null character; remove it and post again."
    if not text:
        return False, "The comment is empty."
    if len(text) > settings.COMMENTS_MAX_LENGTH:
        return False, (
            f"The comment is {len(text):,} characters long; the limit is "
            f"{settings.COMMENTS_MAX_LENGTH:,}. Shorten it and post again."
        )
    return True, ""


def take_post(user, address: str) -> tuple[bool, str]:
    """Count a post against its account (a minute and an hour) and its address (a minute), or say which
    limit it would pass. Staff are not limited. Runs inside the transaction that stores the comment:
    checked and counted in one step (Throttle.take), so concurrent posts cannot pass a limit together,
    and a post that is not stored after all is not counted."""
    if user.is_staff:
        return True, ""
    limits = [
        ("comment-user", str(user.pk), MINUTE, settings.COMMENTS_PER_MINUTE, "a minute"),
        ("comment-user", str(user.pk), HOUR, settings.COMMENTS_PER_HOUR, "an hour"),
        (
            "comment-addr",
            address_key(address),
            MINUTE,
            settings.COMMENTS_PER_ADDRESS_MINUTE,
            "a minute from your address",
        ),
    ]
    blocked, _ = Throttle.take([limit[:4] for limit in limits])
    if blocked is None:
        return True, ""
    scope, key, window, limit, span = limits[blocked]
    wait = Throttle.retry_after(scope, key, window, limit) or 1
    return False, (
        f"You have posted {limit} comments in {span}, the most allowed. "
        f"Wait {wait} seconds and post again; your text is kept below."
    )
