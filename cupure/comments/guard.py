"""Whether a comment may be posted. Each check returns ``(ok, reason)``; the reason is shown to the reader."""
from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from cupure.accounts.models import Profile, Throttle

MINUTE, HOUR = timedelta(minutes=1), timedelta(hours=1)


def author_ok(user) -> tuple[bool, str]:
    if not user.is_authenticated:
        return False, "Log in to comment."
    profile = Profile.of(user)
    user._cupure_profile = profile  # read again by the caller: one query, not two
    if profile.banned:
        reason = f" Reason: {profile.ban_reason}" if profile.ban_reason else ""
        return False, f"Your account may no longer comment.{reason}"
    return True, ""


def body_ok(body: str, honeypot: str = "") -> tuple[bool, str]:
    if honeypot:
        return False, "This form was filled in by a program, it seems: leave the hidden “Leave this empty” field empty."
    text = (body or "").strip()
    if not text:
        return False, "The comment is empty."
    if len(text) > settings.COMMENTS_MAX_LENGTH:
        return False, (f"The comment is {len(text):,} characters long; the limit is "
                       f"{settings.COMMENTS_MAX_LENGTH:,}. Shorten it and post again.")
    return True, ""


def rate_ok(user, address: str) -> tuple[bool, str]:
    """Per account (a minute and an hour) and per address (a minute). Staff are not limited."""
    if user.is_staff:
        return True, ""
    # One read for both of the account's windows: its posts of the last hour, newest first.
    recent = Throttle.recent("comment-user", str(user.pk), HOUR, settings.COMMENTS_PER_HOUR)
    in_minute = [t for t in recent if t >= recent[0] - MINUTE] if recent else []
    now = timezone.now()
    checks = ((recent, HOUR, settings.COMMENTS_PER_HOUR, "an hour"),
              ([t for t in in_minute if t >= now - MINUTE], MINUTE, settings.COMMENTS_PER_MINUTE, "a minute"),
              (Throttle.recent("comment-addr", address, MINUTE, settings.COMMENTS_PER_ADDRESS_MINUTE), MINUTE,
               settings.COMMENTS_PER_ADDRESS_MINUTE, "a minute from your address"))
    for times, window, limit, span in checks:
        if len(times) >= limit:
            wait = max(1, int((times[limit - 1] + window - now).total_seconds()) + 1)
            return False, (f"You have posted {limit} comments in {span}, the most allowed. "
                           f"Wait {wait} seconds and post again; your text is kept below.")
    return True, ""


def count_post(user, address: str) -> None:
    Throttle.hit_many([("comment-user", str(user.pk)), ("comment-addr", address)])
