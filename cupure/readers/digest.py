"""The digest: an email, daily or weekly, of the biggest stories on what a reader follows since their last
digest. Sent by the worker's scheduler (``send_due_digests``).

At most one digest per reader per period, whatever the number of workers: the job runs under a database
lease, and each reader is claimed by a conditional UPDATE of ``digest_sent_at`` before their email is
sent, so a second sender that slipped past the lease finds the reader claimed and skips them. A claim
whose send then fails is not retried within the period: one digest lost beats two sent.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from cupure.accounts.models import Profile
from cupure.lib.logs import kv
from cupure.news.models import JobState

from . import foryou
from .models import Mute

log = logging.getLogger("cupure.digest")

JOB = "digests"
LEASE = timedelta(minutes=30)
PERIODS = {Profile.Digest.DAILY: timedelta(days=1), Profile.Digest.WEEKLY: timedelta(days=7)}
# A digest is due a little before its full period is over, so a daily one does not creep later by the
# scheduler's tick every day.
EARLY = timedelta(minutes=15)
STORIES = 10
SALT = "cupure.digest.unsubscribe"


@dataclass
class Digest:
    subject: str
    text: str
    html: str
    unsubscribe: str  # the signed one-click address, also for the RFC 8058 headers


def unsubscribe_token(user) -> str:
    return signing.dumps({"u": user.pk}, salt=SALT)


def unsubscribe_url(user) -> str:
    return settings.SITE_URL + reverse("digest-unsubscribe", args=[unsubscribe_token(user)])


def user_for_unsubscribe(token: str):
    """The user a digest's unsubscribe link was made for, or None for a link that was not."""

    try:
        pk = signing.loads(token, salt=SALT)["u"]
    except (signing.BadSignature, KeyError, TypeError):
        return None
    return get_user_model().objects.filter(pk=pk).first()


def build(user, profile: Profile, now: datetime) -> Digest | None:
    """``user``'s digest for the period ending ``now``; None when nothing they follow had news."""
    period = PERIODS[profile.digest]
    start = max(profile.digest_sent_at or now - period, now - period * 2)
    entries = foryou.followed(user, Mute.rules_for(user), since=None, now=now, start=start, limit=STORIES * 3)
    # The biggest first: most sources, then the newest.
    entries.sort(key=lambda e: (-(e.story.source_count if e.story else 1), -e.latest.timestamp()))
    entries = entries[:STORIES]
    if not entries:
        return None
    ctx = {
        "user": user,
        "entries": entries,
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
        "period": "day" if profile.digest == Profile.Digest.DAILY else "week",
        "cadence": profile.digest,
        "unsubscribe": unsubscribe_url(user),
        "settings_url": settings.SITE_URL + reverse("account-settings"),
    }
    first = entries[0].story.headline if entries[0].story else entries[0].article.title
    more = f" and {len(entries) - 1} more" if len(entries) > 1 else ""
    return Digest(
        subject=f"Your {settings.SITE_NAME} {ctx['period']}: {first}{more}"[:200],
        text=render_to_string("readers/digest.txt", ctx),
        html=render_to_string("readers/digest.html", ctx),
        unsubscribe=ctx["unsubscribe"],
    )


def due(now: datetime):
    """Profiles whose digest is due at ``now``."""
    due_q = Q()
    for choice, period in PERIODS.items():
        due_q |= Q(digest=choice) & (Q(digest_sent_at__isnull=True) | Q(digest_sent_at__lte=now - period + EARLY))
    return (
        Profile.objects.filter(due_q, user__is_active=True)
        .exclude(user__email="")
        .select_related("user")
        .order_by("pk")
    )


def send_due_digests(now: datetime | None = None) -> int:
    """Send every digest that is due; returns how many emails went out. 0 when another process sends."""
    with JobState.lease(JOB, LEASE) as job:
        return _send(now or timezone.now()) if job else 0


def _send(now: datetime) -> int:
    sent = 0
    with get_connection() as connection:
        for profile in due(now).iterator(chunk_size=200):
            claimed = Profile.objects.filter(pk=profile.pk, digest_sent_at=profile.digest_sent_at).update(
                digest_sent_at=now
            )
            if not claimed:
                continue  # another sender has it
            digest = build(profile.user, profile, now)
            if digest is None:
                continue  # nothing new on what they follow: no email, the period is done
            message = EmailMultiAlternatives(
                digest.subject, digest.text, None, [profile.user.email], connection=connection
            )
            message.attach_alternative(digest.html, "text/html")
            url = digest.unsubscribe
            # RFC 8058: mail apps offer their own one-click unsubscribe, which POSTs to this address.
            message.extra_headers = {
                "List-Unsubscribe": f"<{url}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            }
            try:
                message.send()
            except Exception as exc:  # noqa: BLE001 - one reader's bad address must not stop the others
                log.warning("digest not sent", extra=kv(user_id=profile.user_id, error=exc))
                continue
            sent += 1
    if sent:
        log.info("digests sent", extra=kv(count=sent))
    return sent
