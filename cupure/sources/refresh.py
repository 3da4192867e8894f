"""Refresh orchestration: the one place where the pure ingest stages meet the ORM.

fetch feed -> parse -> (for new entries, in a small thread pool) fetch page ->
extract -> build draft (fingerprint, sanitize) -> store, in this process's
main thread only. A feed is refreshed by one worker at a time (a lease on the
row); its errors are recorded on it with exponential backoff.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from typing import ClassVar

from django.conf import settings
from django.db import DatabaseError, IntegrityError, InterfaceError, OperationalError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from cupure.analysis.sections import section_from_url
from cupure.ingest import fetch, schedule
from cupure.ingest.article import build_draft, not_news
from cupure.ingest.errors import ExtractionError, FetchError, IngestError, InternalError, ParseError, Stopping
from cupure.ingest.extract import extract_article
from cupure.ingest.fingerprint import NEAR_JACCARD, similarity
from cupure.ingest.parse import discover_feeds, looks_like_html, parse_feed
from cupure.ingest.types import ArticleDraft, Entry
from cupure.lib.logs import kv
from cupure.lib.urls import canonicalize
from cupure.news.models import Article, ArticleBand, Section, SectionOrigin, Tombstone
from cupure.ops import metrics

from .models import Feed, FeedEntry

log = logging.getLogger("cupure.refresh")

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/rdf+xml;q=0.9, "
    "application/xml;q=0.8, text/xml;q=0.8, */*;q=0.5"
)
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
NEAR_DUP_WINDOW = timedelta(days=14)


class Outcome(StrEnum):
    """How one refresh of a feed ended (Report.status)."""

    OK = "ok"
    NOT_MODIFIED = "not-modified"
    ERROR = "error"
    BUSY = "busy"  # another worker holds the feed's lease
    SUPERSEDED = "superseded"  # a newer task took the refresh over
    LOST = "lost"  # the lease ran out mid-refresh; another worker has the feed
    STOPPED = "stopped"  # the worker was stopping: given up, nothing recorded, the feed is due again


class Stored(StrEnum):
    """What store_draft did with a draft."""

    NEW = "new"  # stored
    DUPLICATE = "duplicate"  # stored as a near-duplicate copy of an earlier article
    LINKED = "linked"  # its canonical URL was stored already (another feed, a concurrent worker)
    DELETED = "deleted"  # an operator deleted it before: not stored again


class Tally:
    """Counts store_draft's results: FIELDS names the field each result adds one to (others are not counted)."""

    FIELDS: ClassVar[dict[Stored, str]] = {}

    def count(self, status: Stored) -> None:
        name = self.FIELDS.get(status)
        if name:
            setattr(self, name, getattr(self, name) + 1)


@dataclass
class Report(Tally):
    FIELDS: ClassVar[dict[Stored, str]] = {
        Stored.NEW: "new_articles",
        Stored.DUPLICATE: "duplicates",
        Stored.LINKED: "linked",
    }
    feed_id: int
    status: Outcome = Outcome.OK
    new_articles: int = 0
    linked: int = 0  # entries that were already stored from another feed
    duplicates: int = 0  # near-duplicates stored under their original
    page_errors: int = 0
    entry_errors: int = 0  # entries that raised: recorded on the feed, tried again on the next poll
    error: str = ""


def fetch_policy() -> fetch.Policy:
    return fetch.Policy(
        allow_private=settings.ALLOW_PRIVATE_NETWORKS,
        timeout=settings.FETCH_TIMEOUT,
        deadline=settings.FETCH_DEADLINE,
        max_bytes=settings.FETCH_MAX_BYTES,
        per_host=settings.FETCH_PER_HOST,
    )


def _bounds() -> tuple[timedelta, timedelta]:
    return timedelta(minutes=settings.POLL_FLOOR_MINUTES), timedelta(minutes=settings.POLL_CEILING_MINUTES)


def refresh_feed(feed: Feed | int, *, reserved=None) -> Report:
    """Refresh one feed now. Never raises for a feed's own problems: they are recorded on the feed.

    ``reserved``: the token of the reservation the scheduler took when it enqueued this refresh. The
    refresh swaps it for a running lease, and gives up ("superseded") when the reservation is no longer
    the feed's: it ran out while the task waited, and a newer task for the same feed was enqueued.
    Without it, the refresh takes the feed's lease itself ("busy" when another worker holds it)."""
    feed_id = feed.pk if isinstance(feed, Feed) else int(feed)
    if reserved is not None:
        held = Feed.hand_over(feed_id, reserved)
        if held is None:
            return Report(feed_id, status=Outcome.SUPERSEDED, error="a newer task took this refresh over")
    else:
        held = Feed(pk=feed_id).claim()
        if held is None:
            return Report(feed_id, status=Outcome.BUSY, error="another worker is refreshing this feed")
    lease = _Lease(feed_id, held)
    try:
        # Read the row only once we hold the lease: validators, error count and the rest are current.
        return _refresh(Feed.objects.select_related("source", "section").get(pk=feed_id), lease)
    except Stopping:
        log.info("refresh given up, the worker is stopping", extra=kv(feed_id=feed_id))
        return Report(feed_id, status=Outcome.STOPPED, error="the worker stopped; the feed is refreshed again later")
    except LeaseLost:
        log.warning("feed lease lost, refresh abandoned", extra=kv(feed_id=feed_id))
        return Report(feed_id, status=Outcome.LOST, error="the feed's lease ran out; another worker has it")
    except (OperationalError, InterfaceError):
        raise  # the database went away: nothing can be recorded; the task fails and the feed comes back
    except Exception as exc:  # noqa: BLE001 - whatever the feed does, it is recorded and backed off
        log.exception("feed refresh crashed", extra=kv(feed_id=feed_id))
        error = InternalError(f"cupure could not read this feed ({type(exc).__name__}: {exc})"[:2000])
        _record_error(Feed.objects.get(pk=feed_id), error, timezone.now())
        metrics.FETCHES.labels(outcome="error").inc()
        metrics.FETCH_ERRORS.labels(kind=error.kind).inc()
        return Report(feed_id, status=Outcome.ERROR, error=str(error))
    finally:
        lease.release()


class LeaseLost(Exception):
    """The feed's lease ran out during its refresh and another worker took the feed."""


class _Lease:
    """The running refresh's hold on its feed, renewed by time: a heartbeat thread swaps it for a fresh one
    every third of CUPURE_FEED_LEASE_SECONDS for as long as the refresh runs, however long one page takes.
    A worker that dies (kill -9, a lost machine) stops beating and loses the feed within one lease. The
    refresh calls ``keep`` between steps, which raises LeaseLost once the heartbeat found the lease gone."""

    def __init__(self, feed_id: int, token):
        self.feed_id = feed_id
        self.token = token
        self._lock = threading.Lock()  # the token, between the heartbeat and release
        self._stop = threading.Event()
        self._lost = threading.Event()
        self._beat = threading.Thread(target=self._heartbeat, name=f"lease-{feed_id}", daemon=True)
        self._beat.start()

    def _heartbeat(self) -> None:
        period = settings.FEED_LEASE.total_seconds() / 3
        try:
            while not self._stop.wait(period):
                try:
                    with self._lock:
                        token = Feed.hand_over(self.feed_id, self.token)
                        if token is None:
                            self._lost.set()
                            return
                        self.token = token
                except DatabaseError as exc:  # an outage: try again next beat, the lease has two left
                    log.warning("feed lease not renewed", extra=kv(feed_id=self.feed_id, error=exc))
        finally:
            connection.close()  # this thread's own connection, opened by its first renewal

    def keep(self) -> None:
        if self._lost.is_set():
            raise LeaseLost

    def release(self) -> None:
        self._stop.set()
        self._beat.join()
        # Only our own lease: after LeaseLost the feed is another worker's.
        Feed.objects.filter(pk=self.feed_id, locked_until=self.token).update(locked_until=None)


def _refresh(feed: Feed, lease: _Lease) -> Report:
    report = Report(feed.pk)
    now = timezone.now()
    policy = fetch_policy()
    try:
        result = fetch.fetch(feed.url, policy, etag=feed.etag, last_modified=feed.last_modified, accept=FEED_ACCEPT)
        if result.not_modified:
            _record_success(feed, now, headers=result.headers, published=[], ttl=None, new=0)
            report.status = Outcome.NOT_MODIFIED
            metrics.FETCHES.labels(outcome="not-modified").inc()
            return report
        try:
            parsed = parse_feed(result.content, result.url, result.headers.get("content-type", ""))
        except ParseError as exc:
            if looks_like_html(result.content, result.content_type):
                found = discover_feeds(result.content, result.url, result.headers.get("content-type", ""))
                if found:
                    raise ParseError(f"{exc}; the page advertises a feed at {found[0]}") from exc
            raise
    except Stopping:
        raise  # not the feed's fault: nothing recorded (refresh_feed)
    except IngestError as exc:
        _record_error(feed, exc, now)
        report.status, report.error = Outcome.ERROR, str(exc)
        metrics.FETCHES.labels(outcome="error").inc()
        metrics.FETCH_ERRORS.labels(kind=exc.kind or "other").inc()
        return report

    entries = _unseen_entries(feed, parsed.entries)
    todo: list[Entry] = []
    skipped: dict[str, int] = {}
    for entry in entries:
        existing = _existing_article(canonicalize(entry.url)) if entry.url else None
        if reason := not_news(entry):
            # Remembered, so it is not looked at again on every poll; said on the feed, for the operator.
            _remember(feed, entry.key, None)
            skipped[reason] = skipped.get(reason, 0) + 1
        elif existing is not None:
            _remember(feed, entry.key, existing)
            report.linked += 1
        elif entry.url and Tombstone.objects.filter(canonical_url=canonicalize(entry.url)).exists():
            _remember(feed, entry.key, None)
        else:
            todo.append(entry)

    site_name = feed.source.name
    entry_error = "; ".join(f"{n} entr{'y' if n == 1 else 'ies'} skipped: {why}" for why, n in skipped.items())
    with ThreadPoolExecutor(max_workers=settings.FETCH_THREADS, thread_name_prefix="page") as pool:
        # Threads only fetch (I/O). Extraction is CPU-bound: in threads it would fight this thread for the
        # GIL, so it runs here, in order, while the next pages download.
        # Prefetch a bounded number of pages: a 500-entry feed must not hold 500 bodies in memory.
        step = settings.FETCH_THREADS * 2
        pages = (
            page
            for i in range(0, len(todo), step)
            for page in pool.map(lambda e: _fetch_page(e, policy), todo[i : i + step])
        )
        for entry, (page, page_error) in zip(todo, pages):
            lease.keep()
            try:
                _store_entry(feed, entry, page, page_error, now, site_name, report)
            except (OperationalError, InterfaceError):
                raise  # the database, not the entry: the refresh stops and its feed is retried when its lease ends
            except Exception as exc:  # noqa: BLE001 - one entry must not cost the feed the entries after it
                log.exception("entry failed", extra=kv(feed_id=feed.pk, key=entry.key, url=entry.url))
                report.entry_errors += 1
                entry_error = f"{entry.title or entry.url or entry.key}: {type(exc).__name__}: {exc}"[:2000]

    _record_success(
        feed,
        now,
        headers=result.headers,
        published=[e.published for e in parsed.entries],
        ttl=parsed.ttl_minutes,
        new=report.new_articles + report.duplicates,
        title=parsed.title,
        warning=parsed.bozo_message,
        entry_error=entry_error,
    )
    metrics.FETCHES.labels(outcome="ok").inc()
    log.info(
        "feed refreshed",
        extra=kv(
            feed_id=feed.pk,
            url=feed.url,
            new=report.new_articles,
            linked=report.linked,
            duplicates=report.duplicates,
            page_errors=report.page_errors,
        ),
    )
    return report


def _store_entry(feed: Feed, entry: Entry, page, page_error: str, now, site_name: str, report: Report) -> None:
    draft = _draft_for(entry, page, page_error, now, site_name)
    if draft.page_error:
        report.page_errors += 1
    article, status = store_draft(draft, source_id=feed.source_id, feed=feed, key=entry.key)
    metrics.ARTICLES.labels(status=status).inc()
    if status in (Stored.NEW, Stored.DUPLICATE):
        log.info("article stored", extra=kv(article_id=article.pk, feed_id=feed.pk, url=draft.url, status=status))
    report.count(status)


def _unseen_entries(feed: Feed, entries: list[Entry]) -> list[Entry]:
    """Entries whose key this feed has not seen; duplicate keys within the document keep the first."""
    unique: dict[str, Entry] = {}
    for e in entries:
        unique.setdefault(e.key, e)
    seen = set(FeedEntry.objects.filter(feed=feed, key__in=list(unique)).values_list("key", flat=True))
    return [e for k, e in unique.items() if k not in seen]


def _fetch_page(entry: Entry, policy: fetch.Policy):
    """(FetchResult or None, error message) for the entry's link."""
    if not entry.url:
        return None, ""
    try:
        return fetch.fetch(entry.url, policy, accept=PAGE_ACCEPT), ""
    except FetchError as exc:
        return None, str(exc)


def _draft_for(entry: Entry, result, page_error: str, now, site_name: str) -> ArticleDraft:
    page = None
    if result is not None:
        try:
            # The feed's title and date beat the page's guesses; without them, ask for the full metadata.
            with metrics.EXTRACTION.time():
                page = extract_article(
                    result.content,
                    result.url,
                    result.headers.get("content-type", ""),
                    full_metadata=not (entry.title and entry.published),
                )
        except ExtractionError as exc:
            page_error = str(exc)
        except Exception as exc:  # noqa: BLE001 - one hostile page must not stop the feed
            log.exception("extraction crashed", extra=kv(url=entry.url))
            page_error = f"extraction failed: {type(exc).__name__}"
    return build_draft(entry, page, now=now, page_error=page_error, feed_site_name=site_name)


def _existing_article(canonical_url: str) -> Article | None:
    if not canonical_url:
        return None
    return Article.objects.filter(canonical_url=canonical_url).only("id", "canonical_url").first()


def _remember(feed: Feed, key: str, article: Article | None) -> None:
    FeedEntry.objects.get_or_create(feed=feed, key=key, defaults={"article": article})


def find_original(draft: ArticleDraft, now) -> Article | None:
    """The earlier article this draft copies: the same words, or a MinHash similarity >= NEAR_JACCARD."""
    if draft.content_hash:
        same = (
            Article.objects.filter(content_hash=draft.content_hash, duplicate_of__isnull=True)
            .order_by("published_at", "id")
            .first()
        )
        if same is not None:
            return same
    if not draft.band_keys:
        return None
    candidate_ids = set(ArticleBand.objects.filter(key__in=draft.band_keys).values_list("article_id", flat=True)[:500])
    if not candidate_ids:
        return None
    candidates = (
        Article.objects.filter(pk__in=candidate_ids, duplicate_of__isnull=True, published_at__gte=now - NEAR_DUP_WINDOW)
        .order_by("published_at", "id")
        .only("id", "minhash", "published_at")
    )
    for cand in candidates:
        if similarity(bytes(cand.minhash), draft.minhash) >= NEAR_JACCARD:
            return cand
    return None


def store_draft(
    draft: ArticleDraft, *, source_id: int, feed: Feed | None = None, key: str = "", section: Section | None = None
) -> tuple[Article | None, Stored]:
    """Write one draft. Returns (article, status), status one of new, duplicate, linked, deleted.

    new: stored; duplicate: stored as a near-duplicate copy of an earlier
    article; linked: the canonical URL was already stored (from another feed,
    or by a concurrent worker); deleted: an operator deleted it before.
    """

    def remember(article):
        if feed is not None:
            _remember(feed, key, article)

    if Tombstone.objects.filter(
        Q(canonical_url=draft.canonical_url) | (Q(content_hash=draft.content_hash) & ~Q(content_hash=""))
    ).exists():
        remember(None)
        return None, Stored.DELETED
    existing = _existing_article(draft.canonical_url)
    if existing is not None:  # e.g. the page's rel=canonical names an article another feed brought
        remember(existing)
        return existing, Stored.LINKED
    original = find_original(draft, timezone.now())
    if draft.content_hash and (original is None or original.source_id != source_id):
        original = (
            Article.objects.filter(content_hash=draft.content_hash, source_id=source_id)
            .order_by("published_at", "id")
            .first()
        ) or original
    if original is not None and _same_article(original, draft, source_id):
        # The publisher's own article again under a new GUID or link (feeds that change them every poll):
        # the article it is, not another copy of it.
        remember(original)
        return original, Stored.LINKED
    origin = SectionOrigin.IMPORT if section else ""
    if section is None and feed is not None and feed.section is not None:
        section, origin = feed.section, SectionOrigin.FEED
    if section is None:
        section = _section_hint(draft.url)
        origin = SectionOrigin.URL if section else ""
    try:
        with transaction.atomic():
            article = Article.objects.create(
                source_id=source_id,
                feed=feed,
                section=section,
                section_origin=origin,
                url=draft.url,
                canonical_url=draft.canonical_url,
                title=draft.title,
                author=draft.author,
                published_at=draft.published,
                language=draft.language,
                site_name=draft.site_name,
                image_url=draft.image,
                summary=draft.summary,
                content_html=draft.content_html,
                text=draft.text,
                word_count=draft.word_count,
                content_origin=draft.content_origin,
                content_hash=draft.content_hash,
                minhash=draft.minhash,
                duplicate_of=original,
            )
            ArticleBand.objects.bulk_create([ArticleBand(article=article, key=k) for k in draft.band_keys])
            if feed is not None:
                FeedEntry.objects.create(feed=feed, key=key, article=article)
    except IntegrityError:
        # Another worker stored the same canonical URL between our check and our insert.
        existing = _existing_article(draft.canonical_url)
        remember(existing)
        return existing, Stored.LINKED
    return article, (Stored.DUPLICATE if original else Stored.NEW)


def _same_article(original: Article, draft: ArticleDraft, source_id: int) -> bool:
    """The same words from the same publisher under the same headline: one article. (Different headlines
    over one text, or another publisher's copy, stay separate rows: a near-duplicate, not the same.)"""
    return (
        original.source_id == source_id
        and " ".join(original.title.split()).lower() == " ".join(draft.title.split()).lower()
    )


def _section_hint(url: str) -> Section | None:
    slug = section_from_url(url)
    if not slug:
        return None
    # Sections are a short, rarely edited list: one query per process and refresh batch is plenty.
    if slug not in _sections:
        _sections.clear()
        _sections.update({s.slug: s for s in Section.objects.all()})
    return _sections.get(slug)


_sections: dict[str, Section] = {}


def _record_success(feed: Feed, now, *, headers, published, ttl, new, title="", warning="", entry_error="") -> None:
    floor, ceiling = _bounds()
    interval = schedule.next_poll(
        now, published=[p for p in published if p], ttl_minutes=ttl, headers=headers, floor=floor, ceiling=ceiling
    )
    updates = dict(
        last_checked_at=now,
        last_success_at=now,
        next_check_at=now + interval,
        interval_seconds=int(interval.total_seconds()),
        error_count=0,
        last_error="",
        last_error_kind="",
        last_new_entries=new,
        parser_warning=warning[:300],
        last_entry_error=entry_error,
    )
    if headers.get("etag") is not None or headers.get("last-modified") is not None:
        updates.update(etag=headers.get("etag", "")[:500], last_modified=headers.get("last-modified", "")[:100])
    if title and not feed.title:
        updates["title"] = title[:500]
    Feed.objects.filter(pk=feed.pk).update(**updates)


def _record_error(feed: Feed, exc: IngestError, now) -> None:
    floor, ceiling = _bounds()
    errors = feed.error_count + 1
    interval = schedule.backoff(errors, getattr(exc, "retry_after", None), floor=floor, ceiling=ceiling)
    Feed.objects.filter(pk=feed.pk).update(
        last_checked_at=now,
        error_count=errors,
        last_error=str(exc)[:2000],
        last_error_kind=exc.kind,
        last_error_at=now,
        next_check_at=now + interval,
        interval_seconds=int(interval.total_seconds()),
    )
    log.warning("feed error", extra=kv(feed_id=feed.pk, url=feed.url, kind=exc.kind, errors=errors, error=exc))
