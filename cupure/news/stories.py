"""The story job: assigns articles to stories, one ordered stream at a time, and keeps stories' summaries.

Ingestion runs on any number of workers; this job runs under a lease on one
database row, so exactly one process assigns at a time, and it takes the
unassigned articles in publication order, so the result does not depend on
how many workers fetched them. The clusterer's active stories are saved with
the lease row after every batch: a restart continues where it stopped.

The lead article and the top-stories ranking are the pure rules of
``cupure.analysis.stories`` (``choose_lead``, ``rank_top``), fed here from the
database: the lead is the most central full report (text extracted from its
page, at least LEAD_MIN_WORDS words), and the story's headline is the lead's,
so both change when a better lead arrives.
"""

from __future__ import annotations

import hashlib
import json
import logging
import zlib
from collections import Counter
from datetime import timedelta

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Max, Sum
from django.db.models.functions import Substr
from django.utils import timezone

from cupure.analysis.stories import (
    GROWTH_WINDOW_H,
    LEAD_MIN_WORDS,
    TOP_WINDOW_H,
    NewsItem,
    StoryActivity,
    StoryClusterer,
    rank_top,
    signature,
)
from cupure.analysis.stories import (
    choose_lead as choose_central,
)
from cupure.ingest.types import ContentOrigin
from cupure.lib.logs import kv
from cupure.sources.models import Source

from .models import Article, JobState, Story

log = logging.getLogger("cupure.stories")

JOB = "stories"
LEASE = timedelta(minutes=10)
BATCH = 2000
TOP_WINDOW = timedelta(hours=TOP_WINDOW_H)
GROWTH_WINDOW = timedelta(hours=GROWTH_WINDOW_H)


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
    articles = list(
        Article.objects.filter(story__isnull=True, duplicate_of__isnull=True)
        .order_by("published_at", "id")
        .only("id", "title", "text", "url", "source_id", "published_at")[:batch]
    )
    if not articles:
        return 0
    clusterer = _load(job.state)
    assigned: dict[int, list[int]] = {}
    for a in articles:
        sid = clusterer.add(as_item(a))
        assigned.setdefault(sid, []).append(a.pk)
    # Consolidating after every batch, not only every hour of news, lets a reader see one story for an
    # event minutes after its reports arrive; merges are all it can make, so nothing shown is taken back.
    merges = clusterer.settle()
    touched = {clusterer.resolve(sid) for sid in assigned} | {big for _, big in merges}
    with transaction.atomic():
        existing = set(Story.objects.filter(pk__in=touched | set(assigned)).values_list("pk", flat=True))
        now = timezone.now()
        Story.objects.bulk_create(
            [Story(id=sid, first_seen=now, last_updated=now) for sid in (touched | set(assigned)) - existing]
        )
        for sid, ids in assigned.items():
            final = clusterer.resolve(sid)
            Article.objects.filter(pk__in=ids).update(story_id=final)
            # Near-duplicate copies belong to their original's story.
            Article.objects.filter(duplicate_of_id__in=ids).update(story_id=final)
        for small, big in merges:
            Article.objects.filter(story_id=small).update(story_id=clusterer.resolve(big))
            Story.objects.filter(pk=small).update(
                merged_into_id=clusterer.resolve(big), article_count=0, source_count=0
            )
        for story in Story.objects.filter(pk__in=touched):
            summarize(story, clusterer)
        job.state = _dump(clusterer)
        job.updated_at = timezone.now()
        job.save(update_fields=["state", "updated_at"])
    log.info("stories assigned", extra=kv(articles=len(articles), stories=len(touched), merges=len(merges)))
    return len(articles)


# The clusterer reads the first 300 words of a text: this many characters hold them, so a story's members are
# read without their whole texts.
LEAD_CHARS = 4000


def as_item(article: Article) -> NewsItem:
    """An article as the clusterer reads it (``lead_text`` where the query cut the text short)."""
    text = getattr(article, "lead_text", None)
    return NewsItem(
        id=article.pk,
        title=article.title,
        published=article.published_at,
        text=(article.text if text is None else text) or "",
        url=article.url,
        source=str(article.source_id),
    )


def choose_lead(articles: list[Article], clusterer: StoryClusterer | None = None) -> Article:
    """The story's lead: the most central of its full reports (see cupure.analysis.stories.choose_lead)."""
    ordered = sorted(articles, key=lambda a: (a.published_at, a.pk))
    full = [a.content_origin == ContentOrigin.PAGE and a.word_count >= LEAD_MIN_WORDS for a in ordered]
    return ordered[choose_central(clusterer or StoryClusterer(), [as_item(a) for a in ordered], full)]


def summarize(story: Story, clusterer: StoryClusterer | None = None) -> None:
    arts = list(
        story.articles.filter(duplicate_of__isnull=True)
        .only("id", "title", "url", "published_at", "source_id", "section_id", "content_origin", "word_count")
        .annotate(lead_text=Substr("text", 1, LEAD_CHARS))
    )
    if not arts:
        return
    lead = choose_lead(arts, clusterer)
    sections = Counter(a.section_id for a in arts if a.section_id)
    story.lead = lead
    story.headline = lead.title
    story.first_seen = min(a.published_at for a in arts)
    story.last_updated = max(a.published_at for a in arts)
    story.article_count = len(arts)
    story.source_count = len({a.source_id for a in arts})
    story.section_id = sections.most_common(1)[0][0] if sections else None
    active = clusterer.stories.get(story.pk) if clusterer is not None else None
    if active is not None:
        story.terms = signature(active)
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
    state = qs.aggregate(
        n=Count("id"),
        last=Max("last_updated"),
        sources=Sum("source_count"),
        articles=Sum("article_count"),
        newest=Max("id"),
    )
    fingerprint = "|".join(str(state[k]) for k in ("n", "last", "sources", "articles", "newest"))
    key = (
        f"top-stories:{limit}:{section.pk if section is not None else ''}:"
        + hashlib.blake2b(fingerprint.encode(), digest_size=12).hexdigest()
    )
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
    """(story id, score) of the best ``limit`` of up to 500 candidates, by rank_top over their recent sources."""
    rows = {
        pk: (last, terms)
        for pk, last, terms in qs.order_by("-last_updated").values_list("id", "last_updated", "terms")[:500]
    }
    ids = list(rows)

    def sources_since(when) -> dict[int, int]:
        return dict(
            Article.objects.filter(story_id__in=ids, published_at__gt=when)
            .values_list("story")
            .annotate(n=Count("source_id", distinct=True))
            .values_list("story", "n")
        )

    recent, growth = sources_since(now - TOP_WINDOW), sources_since(now - GROWTH_WINDOW)
    return rank_top(
        [StoryActivity(pk, recent.get(pk, 0), growth.get(pk, 0), rows[pk][0].timestamp(), rows[pk][1]) for pk in ids],
        now.timestamp(),
        limit,
    )


def other_coverage(story: Story, n: int = 3) -> list[Article]:
    """Up to ``n`` headlines from sources other than the lead's, one per source, earliest first."""
    return with_coverage([story], n)[0][1]


def with_coverage(stories: list[Story], n: int = 3) -> list[tuple[Story, list[Article]]]:
    """Each story with its ``other_coverage``, read in one query for all of them (a page shows twenty)."""
    # Ordered exactly as the (story, published_at) index runs, and copies dropped here rather than in SQL:
    # otherwise SQLite may judge (from statistics taken while few articles had stories) that scanning every
    # article beats looking up these few stories' (42 ms against 0.2 ms on 100,000 articles).
    articles = [
        a
        for a in Article.objects.filter(story__in=stories)
        .order_by("story_id", "published_at", "id")
        .only("id", "title", "url", "published_at", "story_id", "source_id", "duplicate_of_id")
        if a.duplicate_of_id is None
    ]
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
