"""Readers' profiles, and the throttle that counts logins and posts."""

from __future__ import annotations

import hashlib
import random
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import connection, models
from django.utils import timezone

from cupure.lib.db import fetch


class Profile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    about = models.TextField(blank=True, max_length=1000, help_text="Shown as plain text on the profile page.")
    notify_replies = models.BooleanField(default=False, help_text="Email me when someone replies to my comment.")
    # A new account's first CUPURE_COMMENTS_HOLD_FIRST comments wait for a moderator; approved ones count here.
    approved_comments = models.PositiveIntegerField(default=0)
    banned_at = models.DateTimeField(null=True, blank=True)
    ban_reason = models.CharField(max_length=500, blank=True)

    class Digest(models.TextChoices):
        OFF = "off", "No digest"
        DAILY = "daily", "Daily"
        WEEKLY = "weekly", "Weekly"

    digest = models.CharField(
        max_length=10,
        choices=Digest.choices,
        default=Digest.OFF,
        help_text="An email of the biggest stories on what you follow.",
    )
    digest_sent_at = models.DateTimeField(null=True, blank=True)
    # The secret in the address of the reader's personal feeds; resetting it retires the old address.
    feed_key = models.CharField(max_length=64, blank=True, db_index=True)
    # When the reader last opened For you: what arrived since is "new".
    for_you_seen_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Profile of {self.user}"

    @property
    def banned(self) -> bool:
        return self.banned_at is not None

    def personal_feed_key(self) -> str:
        """The secret in the address of this reader's personal feeds, made on first need."""
        if not self.feed_key:
            self.feed_key = secrets.token_urlsafe(24)
            Profile.objects.filter(pk=self.pk, feed_key="").update(feed_key=self.feed_key)
            self.refresh_from_db(fields=["feed_key"])  # a concurrent first visit may have written its own
        return self.feed_key

    @classmethod
    def of(cls, user) -> Profile:
        """The user's profile, made on first need (accounts made by createsuperuser have none yet)."""
        try:
            # Read once per request at most, and kept on the user object by Django's own relation cache.
            return user.profile
        except cls.DoesNotExist:
            profile, _ = cls.objects.get_or_create(user=user)
            user.profile = profile
            return profile


class Throttle(models.Model):
    """One event (a log-in attempt, a comment, a reset request) by a key (an account, an address's hash), counted
    over a window.

    Rows in the database rather than a per-process cache: every web worker sees the same counts.
    """

    scope = models.CharField(max_length=30)
    key = models.CharField(max_length=200)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["scope", "key", "at"], name="throttle_lookup")]

    @classmethod
    def counts(cls, checks: list[tuple[str, str, timedelta, timedelta, int]]) -> list[tuple[int, int]]:
        """For each (scope, key, short, long, cap): the key's events within ``short`` and within ``long``
        (``short`` <= ``long``), counting at most ``cap``.

        One query for them all, on the (scope, key, at) index: it runs on every post, so it is SQL.
        """
        now = timezone.now()
        adapt = connection.ops.adapt_datetimefield_value
        parts, params = [], []
        for i, (scope, key, short, long, cap) in enumerate(checks):
            parts.append(
                f"SELECT {i} AS n, count(*), coalesce(sum(CASE WHEN at >= %s THEN 1 ELSE 0 END), 0) FROM "
                f"(SELECT at FROM {cls._meta.db_table} WHERE scope = %s AND key = %s AND at >= %s "
                f"ORDER BY at DESC LIMIT %s) r{i}"
            )
            params += [adapt(now - short), scope, key[:200], adapt(now - long), cap]
        with connection.cursor() as cur:
            cur.execute(" UNION ALL ".join(parts), params)
            rows = sorted(cur.fetchall())
        return [(int(in_short), int(in_long)) for _, in_long, in_short in rows]

    @classmethod
    def take(cls, limits: list[tuple[str, str, timedelta, int]]) -> tuple[int | None, list[int]]:
        """Record one event per distinct (scope, key) of ``limits`` if every (scope, key, window, limit)
        is under its limit. Returns (None, ids of the recorded events), or (index of the first limit
        reached, []) with nothing recorded.

        Check and record are one step for concurrent requests: run inside a transaction, which holds
        the keys' locks until it ends (PostgreSQL: advisory locks per key; SQLite: the transaction
        begins IMMEDIATE and so holds the database's one write lock). Forty requests at once for the
        last free slot: one gets it.
        """
        if not connection.in_atomic_block:
            raise RuntimeError("Throttle.take must run inside a transaction")
        keys = sorted({(scope, key[:200]) for scope, key, _, _ in limits})
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                for scope, key in keys:  # sorted: two requests never wait on each other's second lock
                    cur.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [f"throttle {scope} {key}"])
        counted = cls.counts([(scope, key, window, window, limit) for scope, key, window, limit in limits])
        for i, ((_, _, _, limit), (count, _)) in enumerate(zip(limits, counted)):
            if count >= limit:
                return i, []
        now = timezone.now()
        rows = cls.objects.bulk_create([cls(scope=scope, key=key, at=now) for scope, key in keys])
        if random.random() < 0.01:  # now and then, forget what no window reaches any more
            cls.objects.filter(at__lt=now - timedelta(days=1)).delete()
        return None, [r.pk for r in rows]  # bulk_create returns ids on PostgreSQL and SQLite >= 3.35

    @classmethod
    def recent(cls, scope: str, key: str, window: timedelta, limit: int) -> list:
        """Times of the key's last ``limit`` events within ``window``, newest first."""
        return list(
            cls.objects.filter(scope=scope, key=key[:200], at__gte=timezone.now() - window)
            .order_by("-at")
            .values_list("at", flat=True)[:limit]
        )

    @classmethod
    def clear(cls, scope: str, key: str) -> None:
        cls.objects.filter(scope=scope, key=key).delete()

    @classmethod
    def retry_after(cls, scope: str, key: str, window: timedelta, limit: int) -> int | None:
        """Seconds until the key is under ``limit`` again within ``window``; None if it is under now."""
        times = cls.recent(scope, key, window, limit)
        if len(times) < limit:
            return None
        return max(1, int((times[-1] + window - timezone.now()).total_seconds()) + 1)


class ApiToken(models.Model):
    """A reader's personal token for the JSON API (Authorization: Bearer <token>). Only a hash is kept."""

    PREFIX = "cpr_"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    hint = models.CharField(max_length=12, help_text="The token's first characters, to tell tokens apart.")
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.hint}…)"

    @staticmethod
    def digest(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def issue(cls, user, name: str) -> tuple[ApiToken, str]:
        """A new token; the clear text is returned once and never stored."""
        token = cls.PREFIX + secrets.token_urlsafe(32)
        return cls.objects.create(
            user=user, name=name[:100] or "API token", key_hash=cls.digest(token), hint=token[:10]
        ), token

    @classmethod
    def user_for(cls, token: str):
        """The active user a token belongs to, or None. Marks the token used (at most once a minute)."""
        if not token.startswith(cls.PREFIX) or len(token) > 100:
            return None
        row = cls.objects.select_related("user", "user__profile").filter(key_hash=cls.digest(token)).first()
        if row is None or not row.user.is_active:
            return None
        now = timezone.now()
        if row.last_used_at is None or now - row.last_used_at > timedelta(minutes=1):
            cls.objects.filter(pk=row.pk).update(last_used_at=now)
        return row.user


class ReaderGeneration(models.Model):
    """How many times a reader's account, follows, saves and mutes have changed. Each process keeps what
    every request reads of them (the account: accounts.backends; the rest: readers.state) per generation;
    the generation lives in the database, so a change made through one process shows on the reader's next
    page in every process.

    It is raised in the same transaction as the change (``bump``): both are seen together or not at all.
    ``user_id`` is a plain column, not a foreign key, and the row outlives its reader: an id SQLite gives
    again to a new account goes on from the old generation, so nothing kept of the old reader is taken
    for the new one."""

    user_id = models.BigIntegerField(primary_key=True)
    value = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return f"reader {self.user_id}: {self.value}"

    @classmethod
    def of(cls, user_id) -> int:
        rows = fetch(f"SELECT value FROM {cls._meta.db_table} WHERE user_id = %s", [user_id])  # every request
        return rows[0][0] if rows else 0

    @classmethod
    def bump(cls, user_id: int) -> None:
        table = cls._meta.db_table
        with connection.cursor() as cursor:  # one statement on SQLite and PostgreSQL alike
            cursor.execute(
                f"INSERT INTO {table} (user_id, value) VALUES (%s, 1) "
                f"ON CONFLICT (user_id) DO UPDATE SET value = {table}.value + 1",
                [user_id],
            )


def _account_changed(sender, instance, **kwargs):
    ReaderGeneration.bump(instance.pk)


def connect_signals() -> None:
    """A reader's account saved (a log-in, a new password, deactivated in the admin) or deleted."""
    models.signals.post_save.connect(_account_changed, sender=settings.AUTH_USER_MODEL, dispatch_uid="reader-saved")
    models.signals.post_delete.connect(_account_changed, sender=settings.AUTH_USER_MODEL, dispatch_uid="reader-deleted")
