"""Sources (publishers) and their feeds, with each feed's polling state and health."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from cupure.lib.db import NamedPage, unique_slug
from cupure.lib.urls import host_of, site_of


def display_name(title: str, url: str) -> str:
    """A publisher's name from a feed's title: "BBC News - World" -> "BBC News"; no title -> the host."""
    for sep in (" - ", " – ", " | ", ": "):
        if sep in title:
            title = title.split(sep)[0]
            break
    return (title.strip() or host_of(url) or url)[:200]


class SourceManager(models.Manager):
    """One home for publisher identity: subscriptions and imports find a publisher the same way, by its
    host (``host_of``) where one is known, and make it once."""

    def for_feed(self, url: str, title: str, site_url: str = "") -> Source:
        """The publisher of the feed at ``url``. The feed's own claim of its site (its channel <link>, an
        OPML htmlUrl) joins it to that site's source only on the feed's own site: any feed can name the
        BBC's home page. A feed served from another host than the site it names (FeedBurner, a CDN, a
        mirror, a feed service) is that host's feed *for* that site: a source of its own, keyed by both,
        so the many publishers one such host serves are not filed under one name, and none under the BBC."""
        if len(site_url) > self.model._meta.get_field("site_url").max_length:
            site_url = ""
        if site_url and site_of(site_url) != site_of(url):
            keys = [f"{host_of(url)}/{host_of(site_url)}"]
            site_url = ""
        else:
            keys = [k for k in dict.fromkeys((host_of(site_url), host_of(url))) if k]
        found = self.filter(key__in=keys).order_by("id").first()
        return found or self._make(display_name(title, url), keys[0] if keys else "", site_url)

    def for_name(self, name: str) -> Source:
        """The publisher an import names: a host ("bbc.co.uk", "www.bbc.co.uk") is looked up as a feed's
        host is, so imported and subscribed articles of one site share a source; a name by its name."""
        name = name.strip()[:200] or "Imported"
        key = host_of(f"http://{name}") if "." in name and " " not in name else ""
        found = (key and self.filter(key=key).order_by("id").first()) or self.filter(name=name).order_by("id").first()
        return found or self._make(name, key)

    def _make(self, name: str, key: str, site_url: str = "") -> Source:
        return self.create(name=name, slug=unique_slug(self, name, "source"), site_url=site_url, key=key)


class Source(NamedPage, models.Model):
    """A publisher. Several feeds (sections of one site) may belong to one source."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    site_url = models.URLField(max_length=1000, blank=True)
    key = models.CharField(
        max_length=255, blank=True, db_index=True, help_text="The site's host, shared by all of a publisher's feeds."
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = SourceManager()

    class Meta:
        ordering = ["name"]

    url_name = "source"


class FeedStatus(models.TextChoices):
    """A feed's state as the sources page and the admin show it (Feed.status, FeedQuerySet.in_state)."""

    ERROR = "error", "Error"
    OK = "ok", "OK"
    WAITING = "waiting", "Waiting for the first poll"
    PAUSED = "paused", "Paused"


# One rule for both: a paused feed is paused whatever its last poll said; an active one is in error after a
# failed poll, waiting before its first good one, OK after it.
_STATE_FILTERS = {
    FeedStatus.PAUSED: models.Q(active=False),
    FeedStatus.ERROR: models.Q(active=True, error_count__gt=0),
    FeedStatus.WAITING: models.Q(active=True, error_count=0, last_success_at__isnull=True),
    FeedStatus.OK: models.Q(active=True, error_count=0, last_success_at__isnull=False),
}


class FeedQuerySet(models.QuerySet):
    def due(self, now=None):
        now = now or timezone.now()
        return self.filter(active=True, next_check_at__lte=now).filter(
            models.Q(locked_until__isnull=True) | models.Q(locked_until__lt=now)
        )

    def in_error(self):
        return self.in_state(FeedStatus.ERROR)

    def in_state(self, status: FeedStatus):
        return self.filter(_STATE_FILTERS[status])

    def count_states(self) -> dict[str, int]:
        """{"total": n, "error": n, "ok": n, "waiting": n, "paused": n} in one query."""
        counts = {status.value: models.Count("id", filter=q) for status, q in _STATE_FILTERS.items()}
        return self.aggregate(total=models.Count("id"), **counts)

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

    Status = FeedStatus

    @property
    def status(self) -> FeedStatus:
        if not self.active:
            return FeedStatus.PAUSED
        if self.error_count:
            return FeedStatus.ERROR
        return FeedStatus.WAITING if self.last_success_at is None else FeedStatus.OK

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
        verbose_name_plural = "feed entries"
        constraints = [models.UniqueConstraint(fields=["feed", "key"], name="feedentry_unique_key")]


class SiteFlag(models.Model):
    """One-time facts about this site (e.g. that the starter feeds were offered once)."""

    name = models.CharField(max_length=100, unique=True)
    set_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return self.name
