"""The article filters readers use in search (``section:bbc``) and clients in the API (``?section=``): one
lookup of what each value names, one message when it names nothing, one meaning of a day."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.text import slugify

from cupure.analysis.topics import topic_key
from cupure.lib.dates import clamp_day
from cupure.sources.models import Source

from .models import ArticleTopic, Section, Topic


def source_ids(value: str) -> list[int]:
    """Sources a reader may mean by "bbc": slug, site (bbc.co.uk, www.bbc.com) or name."""
    v = value.strip().lower()
    host = v.removeprefix("www.")
    match = (
        Q(slug=slugify(v))
        | Q(slug__startswith=slugify(v) + "-")
        | Q(key=host)
        | Q(key__startswith=host + ".")
        | Q(key__endswith="." + host)
        | Q(name__iexact=value)
        | Q(name__istartswith=value + " ")
    )
    return list(Source.objects.filter(match).values_list("id", flat=True)[:100])


def find_topic(value: str) -> Topic | None:
    """The topic a reader means by a name or slug, followed through merges; None when hidden or unknown."""
    topic = Topic.objects.filter(
        Q(key=topic_key(value, aliases={})) | Q(key=topic_key(value)) | Q(slug=slugify(value))
    ).first()
    seen = set()
    while topic is not None and topic.merged_into_id and topic.pk not in seen:
        seen.add(topic.pk)
        topic = topic.merged_into
    return None if topic is None or topic.hidden else topic


def _section_ids(value: str) -> list[int]:
    found = Section.objects.find(value)
    return [found.pk] if found else []


def _topic_ids(value: str) -> list[int]:
    found = find_topic(value)
    return [found.pk] if found else []


def _no_section(value: str) -> str:
    return f"There is no section “{value}”. Sections: {', '.join(Section.objects.values_list('slug', flat=True))}."


def _no_source(value: str) -> str:
    return f"No source matches “{value}”: see the list of sources."


def _no_topic(value: str) -> str:
    return f"No topic is called “{value}”."


def day_start(day: date) -> datetime:
    """The first moment of ``day`` in the site's time zone (days outside the believed range clamped)."""
    return datetime.combine(clamp_day(day), time.min, tzinfo=timezone.get_current_timezone())


@dataclass
class ArticleFilter:
    """What a set of filters resolved to: ids to keep or leave out, and a time range [since, before)."""

    sections: list[int] = field(default_factory=list)
    not_sections: list[int] = field(default_factory=list)
    sources: list[int] = field(default_factory=list)
    not_sources: list[int] = field(default_factory=list)
    topics: list[int] = field(default_factory=list)
    not_topics: list[int] = field(default_factory=list)
    since: datetime | None = None
    before: datetime | None = None

    def apply(self, qs: QuerySet) -> QuerySet:
        """``qs`` (articles) narrowed by these filters."""
        if self.sections:
            qs = qs.filter(section_id__in=self.sections)
        if self.not_sections:
            qs = qs.exclude(section_id__in=self.not_sections)
        if self.sources:
            qs = qs.filter(source_id__in=self.sources)
        if self.not_sources:
            qs = qs.exclude(source_id__in=self.not_sources)
        for topic in self.topics:
            qs = qs.filter(pk__in=ArticleTopic.objects.filter(topic_id=topic).values("article_id"))
        for topic in self.not_topics:
            qs = qs.exclude(pk__in=ArticleTopic.objects.filter(topic_id=topic).values("article_id"))
        if self.since:
            qs = qs.filter(published_at__gte=self.since)
        if self.before:
            qs = qs.filter(published_at__lt=self.before)
        return qs


def resolve(
    *,
    section: str | None = None,
    source: str | None = None,
    topic: str | None = None,
    since: date | None = None,
    until: date | None = None,
    not_section: str | None = None,
    not_source: str | None = None,
    not_topic: str | None = None,
) -> tuple[ArticleFilter | None, list[str]]:
    """(the filter, problems). A value that names nothing is a problem said in words; a filter to keep what
    names nothing matches nothing (None), one to leave it out is dropped."""
    f, problems = ArticleFilter(), []
    for value, keep, drop, lookup, missing in (
        (section, f.sections, False, _section_ids, _no_section),
        (not_section, f.not_sections, True, _section_ids, _no_section),
        (source, f.sources, False, source_ids, _no_source),
        (not_source, f.not_sources, True, source_ids, _no_source),
        (topic, f.topics, False, _topic_ids, _no_topic),
        (not_topic, f.not_topics, True, _topic_ids, _no_topic),
    ):
        if not value:
            continue
        ids = lookup(value)
        if not ids:
            problems.append(missing(value))
            if not drop:
                return None, problems
        keep.extend(ids)
    f.since = day_start(since) if since else None
    f.before = day_start(clamp_day(until) + timedelta(days=1)) if until else None
    return f, problems
