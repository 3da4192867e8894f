"""The topic jobs: tag new articles with topics, and recompute the trending bar.

Tagging stores each article's topics (cupure.analysis.topics.tag_batch, names first) as ArticleTopic rows
that carry the article's time and source, so trending counts read one table. The bar is recomputed at
most every BAR_EVERY by the worker's scheduler: the last RECENT window against each candidate topic's mean
over the BASELINE_DAYS before it (cupure.analysis.trending), from the day's stories, one topic each; hidden
topics never trend. The result is saved on a JobState row and read by pages through a short per-process
cache, so a page view normally costs no query.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from datetime import timedelta

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, DateField, F, Func
from django.utils import timezone

from cupure.analysis.topics import TEXT_CHARS, CaseBook, TopicNamer, item_topics, tag_batch
from cupure.analysis.trending import BASELINE_DAYS, TrendCounter
from cupure.lib.db import rows_by_keys, unique_slug

from .models import Article, ArticleTopic, CaseCount, JobState, Topic, TopicAlias

log = logging.getLogger("cupure.topics")


# The database's own DATE(): native on SQLite and PostgreSQL alike (UTC), where Django's TruncDate runs a
# Python function per row on SQLite (0.8 s for 300,000 rows).
def SQL_DATE(field):
    return Func(field, function="DATE", output_field=DateField())


TAG_BATCH = 2000
RECENT = timedelta(hours=24)
BAR_EVERY = timedelta(minutes=5)
BAR_CACHE_SECONDS = 60
TAG_LEASE = timedelta(minutes=10)


def tag_topics(batch: int = TAG_BATCH) -> int:
    """Tag up to ``batch`` untagged articles; returns how many. 0 when another process holds the job:
    with schedulers on several machines, two taggers would both create the same new topics."""
    with JobState.lease("topics", TAG_LEASE) as job:
        return _tag(batch) if job else 0


def _tag(batch: int) -> int:
    articles = list(
        Article.objects.filter(topics_done=False)
        .order_by("id")
        .only("id", "title", "text", "language", "published_at", "source_id")[:batch]
    )
    if not articles:
        return 0
    n_tagged = Article.objects.filter(topics_done=True).count()
    aliases = TopicAlias.table()  # the built-in aliases and the operators' own
    extracted = [(a, item_topics(a.title, a.text[:TEXT_CHARS], aliases, a.language)) for a in articles]
    batch = [t for _, t in extracted]
    all_keys = {k for t in batch for k in t.keys()}
    mentions = Counter(dict(rows_by_keys(Topic.objects, "key", all_keys, "key", "mentions")))
    book = CaseCount.book(CaseBook.wanted(batch))
    with transaction.atomic():
        chosen = {a.pk: keys for (a, _), keys in zip(extracted, tag_batch(batch, mentions, n_tagged, book=book))}
        CaseCount.save_book(book)
        topics = _topics_for({k for keys in chosen.values() for k in keys}, extracted)
        rows = []
        for a, _ in extracted:
            seen = set()
            for key in chosen[a.pk]:
                topic = topics[key]
                if topic.pk not in seen:
                    seen.add(topic.pk)
                    rows.append(
                        ArticleTopic(article_id=a.pk, topic=topic, published_at=a.published_at, source_id=a.source_id)
                    )
        ArticleTopic.objects.bulk_create(rows, ignore_conflicts=True)
        per_topic = Counter(r.topic_id for r in rows)
        for topic_id, n in per_topic.items():
            Topic.objects.filter(pk=topic_id).update(mentions=F("mentions") + n)
        Article.objects.filter(pk__in=[a.pk for a in articles]).update(topics_done=True)
    return len(articles)


def _topics_for(keys: set[str], extracted) -> dict[str, Topic]:
    """Topic rows for ``keys``, created when new (named by the surface form seen most), merges followed."""
    existing = {t.key: t for t in Topic.objects.filter(key__in=keys).select_related("merged_into")}
    namer = TopicNamer()
    for _, t in extracted:
        namer.see(t)
    for key in keys - existing.keys():
        name = namer.name(key)[:200]
        existing[key] = Topic.objects.create(key=key[:200], name=name, slug=unique_slug(Topic.objects, name, "topic"))
    return {k: (t.merged_into or t) for k, t in existing.items()}


def compute_bar(now=None) -> list[dict]:
    """The trending bar now: [{name, slug, why}], at most 10, each topic once."""
    now = now or timezone.now()
    # Topic keys (strings), as `cupure trending` uses: the same code ranks and breaks ties the same way.
    recent = list(
        ArticleTopic.objects.filter(published_at__gte=now - RECENT, topic__hidden=False).values_list(
            "topic__key", "source_id", "article_id", "article__story_id"
        )
    )
    by_article: dict[int, tuple] = {}
    for key, source_id, article_id, story_id in recent:
        by_article.setdefault(article_id, (source_id, story_id, set()))[2].add(key)
    counter = TrendCounter()
    for article_id, (source_id, story_id, keys) in by_article.items():
        counter.add("now", source_id, article_id, keys, story=story_id if story_id is not None else f"a{article_id}")
    candidates = counter.bar_candidates("now")
    # Baseline: distinct sources per day over the days before the window, counted in the database, and only
    # for the topics that could make the bar.
    start = now - RECENT - timedelta(days=BASELINE_DAYS)
    per_day = (
        ArticleTopic.objects.filter(topic__key__in=candidates, published_at__gte=start, published_at__lt=now - RECENT)
        .annotate(day=SQL_DATE("published_at"))
        .values("topic__key", "day")
        .annotate(n=Count("source_id", distinct=True))
        .values_list("topic__key", "n")
    )
    totals: Counter = Counter()
    for key, n in per_day:
        totals[key] += n
    baseline = {t: n / BASELINE_DAYS for t, n in totals.items()}
    bar = counter.story_bar("now", [], baseline=baseline, volume=_volume(now, start))
    names = {t.key: t for t in Topic.objects.filter(key__in=[b.key for b in bar])}
    first = Article.objects.order_by("published_at").values_list("published_at", flat=True).first()
    history_days = max(0, ((now - RECENT) - first).days) if first else 0
    out = []
    for b in bar:
        topic = names.get(b.key)
        if topic is None or topic.hidden:
            continue
        out.append(
            {"name": topic.name, "slug": topic.slug, "why": why(b.sources, b.usual, min(history_days, BASELINE_DAYS))}
        )
    return out


def _volume(now, start) -> float:
    """Sources heard from in the window against a usual day's since ``start`` (TrendCounter.volume; 1 on a
    site with no history before the window)."""
    window = Article.objects.filter(published_at__gte=now - RECENT).values("source_id").distinct().count()
    per_day = (
        Article.objects.filter(published_at__gte=start, published_at__lt=now - RECENT)
        .annotate(day=SQL_DATE("published_at"))
        .values("day")
        .annotate(n=Count("source_id", distinct=True))
        .values_list("n", flat=True)
    )
    usual = sum(per_day) / BASELINE_DAYS
    return window / usual if usual else 1.0


def why(sources: int, usual: float, history_days: int) -> str:
    """What rose, in words: "31 sources in 24 h, up from 2 a day". A site without a day of history before
    the window has no baseline to compare with, and says so ("new"), not "usually 0"."""
    now = f"{sources} sources in {int(RECENT.total_seconds() // 3600)} h"
    if history_days < 1:
        return f"{now}; new (the site has no earlier day to compare with yet)"
    if usual == 0:
        days = "the day" if history_days == 1 else f"the {history_days} days"
        return f"{now}; none in {days} before"
    usual_text = f"{usual:.0f}" if usual >= 1 else "under 1"
    if sources <= usual:  # on the bar all the same: a quiet day expects less of everything (TrendCounter)
        return f"{now}, many for a quiet day ({usual_text} on a usual day)"
    return f"{now}, up from {usual_text} a day"


def refresh_bar(force: bool = False) -> list[dict] | None:
    """Recompute and save the bar if it is older than BAR_EVERY (or ``force``); None when not due."""
    with JobState.lease("trending", TAG_LEASE) as job:
        if job is None:  # another scheduler is computing it now
            return None
        now = timezone.now()
        if not force and job.state and now - job.updated_at < BAR_EVERY:
            return None
        return _save_bar(job, compute_bar(now), now)


def _save_bar(job: JobState, bar: list[dict], now) -> list[dict]:
    job.state = json.dumps(bar).encode()
    job.updated_at = now
    job.save(update_fields=["state", "updated_at"])
    cache.delete("cupure:trending")
    return bar


def current_bar() -> list[dict]:
    """The saved bar, through a per-process cache (one query per process per BAR_CACHE_SECONDS)."""
    bar = cache.get("cupure:trending")
    if bar is None:
        row = JobState.objects.filter(name="trending").values_list("state", flat=True).first()
        bar = json.loads(bytes(row)) if row else []
        cache.set("cupure:trending", bar, BAR_CACHE_SECONDS)
    return bar
