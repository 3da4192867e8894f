"""The story job: assigns articles to stories, one ordered stream at a time, and keeps stories' summaries.

Ingestion runs on any number of workers; this job runs under a lease on one
database row, so exactly one process assigns at a time, and it takes the
unassigned articles in publication order, so the result does not depend on
how many workers fetched them. The clusterer's active stories are saved with
the lease row after every batch: a restart continues where it stopped.

Lead article rule: the earliest article whose text was extracted from its
page and runs to at least LEAD_MIN_WORDS words (a full report rather than a
teaser); when no article qualifies, the earliest article.

Top-stories score (home page), for stories with at least two sources updated
in the last TOP_WINDOW: (1 + ln(1 + distinct sources)) x (1 + ln(1 + articles
in the last GROWTH_WINDOW)) x 0.5 ** (hours since the last article / HALF_LIFE_H).
Distinct sources count, not articles, so one busy feed cannot lift a story.
"""
from __future__ import annotations

import hashlib
import json
import logging
import math
import zlib
from collections import Counter
from datetime import timedelta

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Max, Sum
from django.utils import timezone

from cupure.analysis.stories import NewsItem, StoryClusterer
from cupure.lib.logs import kv
from cupure.sources.models import Source

from .models import Article, JobState, Story

log = logging.getLogger("cupure.stories")

JOB = "stories"
LEASE = timedelta(minutes=10)
BATCH = 2000
LEAD_MIN_WORDS = 150
TOP_WINDOW = timedelta(hours=48)
GROWTH_WINDOW = timedelta(hours=6)
HALF_LIFE_H = 8.0


def _load(blob: bytes) -> StoryClusterer:
    if not blob:
        return StoryClusterer()
    return StoryClusterer.from_state(json.loads(zlib.decompress(bytes(blob))))


def _dump(clusterer: StoryClusterer) -> bytes:
    return zlib.compress(json.dumps(clusterer.state(), separators=(",", ":")).encode(), 6)


def assign_stories(batch: int = BATCH) -> int:
    """Assign up to ``batch`` unassigned articles to stories; returns how many. 0 when another process holds
    the lease."""
    with JobState.lease(JOB, LEASE) as job:
        return _assign(job, batch) if job else 0


def _assign(job: JobState, batch: int) -> int:
    articles = list(Article.objects.filter(story__isnull=True, duplicate_of__isnull=True)
                    .order_by("published_at", "id").only("id", "title", "text", "url", "source_id", "published_at")[:batch])
    if not articles:
        return 0
    clusterer = _load(job.state)
    assigned: dict[int, list[int]] = {}
    for a in articles:
        sid = clusterer.add(NewsItem(id=a.pk, title=a.title, published=a.published_at, text=a.text[:800],
                                     url=a.url, source=str(a.source_id)))
        assigned.setdefault(sid, []).append(a.pk)
    # Consolidating after every batch, not only every hour of news, lets a reader see one story for an
    # event minutes after its reports arrive; merges are all it can make, so nothing shown is taken back.
    merges = clusterer.settle()
    touched = {clusterer.resolve(sid) for sid in assigned} | {big for _, big in merges}
    with transaction.atomic():
        existing = set(Story.objects.filter(pk__in=touched | set(assigned)).values_list("pk", flat=True))
        now = timezone.now()
        Story.objects.bulk_create([Story(id=sid, first_seen=now, last_updated=now)
                                   for sid in (touched | set(assigned)) - existing])
        for sid, ids in assigned.items():
            final = clusterer.resolve(sid)
            Article.objects.filter(pk__in=ids).update(story_id=final)
            # Near-duplicate copies belong to their original's story.
            Article.objects.filter(duplicate_of_id__in=ids).update(story_id=final)
        for small, big in merges:
            Article.objects.filter(story_id=small).update(story_id=clusterer.resolve(big))
            Story.objects.filter(pk=small).update(merged_into_id=clusterer.resolve(big), article_count=0,
                                                  source_count=0)
        for story in Story.objects.filter(pk__in=touched):
            summarize(story)
        job.state = _dump(clusterer)
        job.updated_at = timezone.now()
        job.save(update_fields=["state", "updated_at"])
    log.info("stories assigned", extra=kv(articles=len(articles), stories=len(touched), merges=len(merges)))
    return len(articles)


def choose_lead(articles: list[Article]) -> Article:
    """See the module docstring: earliest full report, else earliest."""
    ordered = sorted(articles, key=lambda a: (a.published_at, a.pk))
    for a in ordered:
        if a.content_origin == "page" and a.word_count >= LEAD_MIN_WORDS:
            return a
    return ordered[0]


def summarize(story: Story) -> None:
    arts = list(story.articles.only("id", "title", "published_at", "source_id", "section_id", "content_origin",
                                    "word_count"))
    if not arts:
        return
    lead = choose_lead(arts)
    sections = Counter(a.section_id for a in arts if a.section_id)
    story.lead = lead
    story.headline = lead.title
    story.first_seen = min(a.published_at for a in arts)
    story.last_updated = max(a.published_at for a in arts)
    story.article_count = len(arts)
    story.source_count = len({a.source_id for a in arts})
    story.section_id = sections.most_common(1)[0][0] if sections else None
    story.save()


def top_stories(limit: int = 20, section=None, now=None) -> list[Story]:
    """Stories ranked by the score in the module docstring."""
    fixed_time = now is not None  # a replay or a test: rank for that moment, bypassing the cache
    now = now or timezone.now()
    qs = Story.objects.filter(merged_into__isnull=True, source_count__gte=2, last_updated__gte=now - TOP_WINDOW)
    if section is not None:
        qs = qs.filter(section=section)
    # The ranking is kept a minute (scores decay with time) under a key that any change to the candidate
    # stories alters: every page and the top-stories feed would otherwise rank 500 stories per request.
    state = qs.aggregate(n=Count("id"), last=Max("last_updated"), sources=Sum("source_count"),
                         articles=Sum("article_count"), newest=Max("id"))
    fingerprint = "|".join(str(state[k]) for k in ("n", "last", "sources", "articles", "newest"))
    key = f"top-stories:{limit}:{section.pk if section is not None else ''}:" + hashlib.blake2b(
        fingerprint.encode(), digest_size=12).hexdigest()
    ranked = None if fixed_time else cache.get(key)
    if ranked is None:
        ranked = _rank(qs, now, limit)
        cache.set(key, ranked, 60)
    rows = Story.objects.select_related("lead__source", "section").in_bulk([pk for pk, _ in ranked])
    stories = []
    for pk, score in ranked:
        if pk in rows:
            rows[pk].score = score
            stories.append(rows[pk])
    return stories


def _rank(qs, now, limit: int) -> list[tuple[int, float]]:
    """(story id, score) of the best ``limit`` of up to 500 candidates, ranked on three columns."""
    candidates = list(qs.order_by("-last_updated").values_list("id", "last_updated", "source_count")[:500])
    ids = [c[0] for c in candidates]
    recent = dict(Article.objects.filter(story_id__in=ids, published_at__gte=now - GROWTH_WINDOW)
                  .values_list("story").annotate(n=Count("id")).values_list("story", "n"))
    scores = {}
    for pk, last_updated, source_count in candidates:
        age_h = max(0.0, (now - last_updated).total_seconds() / 3600)
        scores[pk] = (1 + math.log1p(source_count)) * (1 + math.log1p(recent.get(pk, 0))) * 0.5 ** (age_h / HALF_LIFE_H)
    best = sorted(ids, key=lambda pk: scores[pk], reverse=True)[:limit]
    return [(pk, scores[pk]) for pk in best]


def other_coverage(story: Story, n: int = 3) -> list[Article]:
    """Up to ``n`` headlines from sources other than the lead's, one per source, earliest first."""
    return with_coverage([story], n)[0][1]


def with_coverage(stories: list[Story], n: int = 3) -> list[tuple[Story, list[Article]]]:
    """Each story with its ``other_coverage``, read in one query for all of them (a page shows twenty)."""
    # Ordered exactly as the (story, published_at) index runs, and copies dropped here rather than in SQL:
    # otherwise SQLite may judge (from statistics taken while few articles had stories) that scanning every
    # article beats looking up these few stories' (42 ms against 0.2 ms on 100,000 articles).
    articles = [a for a in Article.objects.filter(story__in=stories).order_by("story_id", "published_at", "id")
                .only("id", "title", "url", "published_at", "story_id", "source_id", "duplicate_of_id")
                if a.duplicate_of_id is None]
    # Their sources in a second query, not a join: joined, SQLite scans the sources and walks each one's
    # articles (180 ms on 100,000 articles) instead of looking up the stories' (1 ms).
    sources = Source.objects.only("id", "name", "slug").in_bulk({a.source_id for a in articles})
    for a in articles:
        a.source = sources[a.source_id]
    by_story: dict[int, list[Article]] = {}
    for a in articles:
        by_story.setdefault(a.story_id, []).append(a)
    out = []
    for story in stories:
        seen = {story.lead.source_id} if story.lead else set()
        picked = []
        for a in by_story.get(story.pk, []):
            if a.source_id not in seen and len(picked) < n:
                seen.add(a.source_id)
                picked.append(a)
        out.append((story, picked))
    return out
