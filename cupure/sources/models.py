"""Sources (publishers) and their feeds, with each feed's polling state and health."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from cupure.lib.text import unique_slug


class Source(models.Model):
    """A publisher. Several feeds (sections of one site) may belong to one source."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    site_url = models.URLField(max_length=1000, blank=True)
    key = models.CharField(
        max_length=255, blank=True, db_index=True, help_text="The site's host, shared by all of a publisher's feeds."
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("source", args=[self.slug])

    @classmethod
    def unique_slug(cls, name: str) -> str:
        return unique_slug(cls.objects, name, "source")


class FeedQuerySet(models.QuerySet):
    def due(self, now=None):
        now = now or timezone.now()
        return self.filter(active=True, next_check_at__lte=now).filter(
            models.Q(locked_until__isnull=True) | models.Q(locked_until__lt=now)
        )

    def in_error(self):
        return self.filter(error_count__gt=0)

    def pause(self) -> int:
        return self.update(active=False)

    def resume(self) -> int:
        """Poll again, and at once: a feed resumed after days must not wait out its old interval."""
        return self.update(active=True, next_check_at=timezone.now())


class Feed(models.Model):
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="feeds")
    url = models.URLField(max_length=2000, unique=True)
    title = models.CharField(max_length=500, blank=True)
    section = models.ForeignKey(
        "news.Section",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        help_text="Default section for this feed's articles.",
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    # Polling state (cupure.ingest.schedule decides; cupure.sources.refresh writes).
    etag = models.CharField(max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    last_checked_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    next_check_at = models.DateTimeField(default=timezone.now, db_index=True)
    interval_seconds = models.PositiveIntegerField(default=1800)
    # A lease, not a flag: a worker killed mid-refresh frees the feed when it expires.
    locked_until = models.DateTimeField(null=True, blank=True)

    # Health, shown on /sources and in the admin. A feed in error is retried with backoff, never dropped.
    error_count = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    last_error_kind = models.CharField(max_length=30, blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    last_new_entries = models.PositiveIntegerField(default=0)
    parser_warning = models.CharField(max_length=300, blank=True)
    # The last poll's entries that could not be stored (the others were); they are tried again next poll.
    last_entry_error = models.TextField(blank=True)

    objects = FeedQuerySet.as_manager()

    class Meta:
        ordering = ["source__name", "url"]

    def __str__(self):
        return self.title or self.url

    @property
    def status(self) -> str:
        if not self.active:
            return "paused"
        if self.error_count:
            return "error"
        if self.last_success_at is None:
            return "waiting"
        return "ok"

    def claim(self, lease: timedelta | None = None, *, only_if_due: bool = False):
        """Take the feed's lease (CUPURE_FEED_LEASE_SECONDS unless given) atomically. Returns the lease's
        expiry, which is also its token (see take_over), or None when another worker holds the feed (or it
        is not due)."""
        lease = settings.FEED_LEASE if lease is None else lease
        now = timezone.now()
        until = now + lease
        qs = Feed.objects.filter(pk=self.pk).filter(
            models.Q(locked_until__isnull=True) | models.Q(locked_until__lt=now)
        )
        if only_if_due:
            qs = qs.filter(next_check_at__lte=now, active=True)
        return until if qs.update(locked_until=until) == 1 else None

    @staticmethod
    def hand_over(feed_id: int, held, lease: timedelta | None = None):
        """Swap the lease whose token is ``held`` for a fresh one; returns the new token, or None when
        ``held`` is no longer the feed's (it ran out and another scheduler or worker took the feed)."""
        until = timezone.now() + (settings.FEED_LEASE if lease is None else lease)
        return until if Feed.objects.filter(pk=feed_id, locked_until=held).update(locked_until=until) == 1 else None


class FeedEntry(models.Model):
    """An entry key already seen in a feed (GUID dedup within a feed), and the article it became."""

    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="entries")
    key = models.CharField(max_length=520)
    article = models.ForeignKey("news.Article", null=True, blank=True, on_delete=models.SET_NULL)
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["feed", "key"], name="feedentry_unique_key")]


class SiteFlag(models.Model):
    """One-time facts about this site (e.g. that the starter feeds were offered once)."""

    name = models.CharField(max_length=100, unique=True)
    set_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return self.name
