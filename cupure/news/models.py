"""Articles and sections."""

from __future__ import annotations

import re
from contextlib import contextmanager

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from cupure.analysis.topics import ALIASES, CaseBook
from cupure.ingest.types import ContentOrigin
from cupure.lib.db import NamedPage, rows_by_keys
from cupure.lib.html import sanitize


class SectionOrigin(models.TextChoices):
    """Where an article's section came from (blank: none yet)."""

    FEED = "feed", "feed default"
    URL = "url", "URL path"
    IMPORT = "import", "import"
    MODEL = "model", "classifier"
    MANUAL = "manual", "operator"


class SectionQuerySet(models.QuerySet):
    def find(self, value: str) -> Section | None:
        """The section a person or a feed means: by slug or name, any case ("world", "World news", "WORLD"),
        "business news" for business, the first known one of a list ("world/politics", "local, world"), as
        OPML categories and feed folders write them. None when none is meant."""
        for part in re.split(r"[/,]", value or ""):
            part = " ".join(part.split())
            if not part:
                continue
            found = self.filter(models.Q(slug__iexact=slugify(part)) | models.Q(name__iexact=part)).first()
            if found is None and part.lower().endswith(" news"):
                found = self.filter(slug__iexact=slugify(part[:-5])).first()
            if found is not None:
                return found
        return None


class Section(NamedPage, models.Model):
    """A fixed, editable list ("World news", Business, ...), ordered by ``position``."""

    slug = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=100)
    position = models.PositiveSmallIntegerField(default=0)

    objects = SectionQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]

    url_name = "section"


class ArticleQuerySet(models.QuerySet):
    def visible(self):
        """What readers see in lists: near-duplicate copies are shown once, under their original."""
        return self.filter(duplicate_of__isnull=True)

    def latest(self):
        """For lists of cards: newest first, without the columns a card never shows (kilobytes a row)."""
        return (
            self.visible()
            .select_related("source", "section")
            .defer("text", "content_html", "minhash")
            .order_by("-published_at", "-id")
        )


class Story(models.Model):
    """An event: its lead article plus every other source's coverage.

    Ids are the story clusterer's own (cupure.analysis.stories), so the
    persisted clusterer and these rows always agree. A story merged into
    another keeps its row, with ``merged_into`` set, so its URL redirects.
    """

    id = models.BigIntegerField(primary_key=True)
    headline = models.CharField(max_length=1000, blank=True)
    lead = models.ForeignKey("Article", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    section = models.ForeignKey(Section, null=True, blank=True, on_delete=models.SET_NULL, related_name="stories")
    first_seen = models.DateTimeField(db_index=True)
    last_updated = models.DateTimeField(db_index=True)
    article_count = models.PositiveIntegerField(default=0)
    source_count = models.PositiveIntegerField(default=0, db_index=True)
    comment_count = models.PositiveIntegerField(default=0, db_default=0)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # The clusterer's signature of the story (its heaviest words): top stories list one event once.
    terms = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        ordering = ["-last_updated"]
        verbose_name_plural = "stories"

    def __str__(self):
        return self.headline or f"Story {self.pk}"

    def get_absolute_url(self):
        return reverse("story", args=[self.pk])


class JobState(models.Model):
    """A background job's lease and saved state (the story clusterer's active stories, say)."""

    name = models.CharField(max_length=50, unique=True)
    locked_until = models.DateTimeField(null=True, blank=True)
    state = models.BinaryField(blank=True, default=b"")
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return self.name

    @classmethod
    @contextmanager
    def lease(cls, name: str, duration):
        """Hold job ``name`` for at most ``duration``; yields the row, or None when another process holds it.

        A lease rather than a lock: a process killed mid-job frees the job when the lease runs out.
        """
        job, _ = cls.objects.get_or_create(name=name)
        now = timezone.now()
        free = models.Q(locked_until__isnull=True) | models.Q(locked_until__lt=now)
        if not cls.objects.filter(pk=job.pk).filter(free).update(locked_until=now + duration):
            yield None
            return
        try:
            job.refresh_from_db()
            yield job
        finally:
            cls.objects.filter(pk=job.pk).update(locked_until=None)


class Topic(NamedPage, models.Model):
    """A person, place, organisation or key phrase. Operators rename, hide (never trends) and merge them."""

    key = models.CharField(max_length=200, unique=True, help_text="cupure.analysis.topics.topic_key")
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    hidden = models.BooleanField(default=False, help_text="Hidden topics never trend and have no page.")
    # How many articles carry the topic: its document frequency, kept as tagging goes (counting the
    # ArticleTopic rows of a popular topic on a large site would read millions of them per batch).
    mentions = models.PositiveIntegerField(default=0)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    url_name = "topic"


class TopicAlias(models.Model):
    """An operator's alias: text that names a topic ("Big Apple" = "New York City"), on top of the built-in table."""

    alias = models.CharField(max_length=200, unique=True, help_text="As it appears in articles; case does not matter.")
    name = models.CharField(max_length=200, help_text="The topic it stands for.")

    class Meta:
        ordering = ["alias"]
        verbose_name_plural = "topic aliases"

    def __str__(self):
        return f"{self.alias} = {self.name}"

    def save(self, *args, **kwargs):
        self.alias = self.alias.strip().lower()
        super().save(*args, **kwargs)

    @classmethod
    def table(cls) -> dict[str, str]:
        return {**ALIASES, **dict(cls.objects.values_list("alias", "name"))}


class CaseCount(models.Model):
    """How the site's articles write a headline word, or a name, inside sentences: the evidence that tells a
    name ("Ukraine") from a common noun ("banana") in Title Case headlines (cupure.analysis.topics.CaseBook)."""

    key = models.CharField(max_length=200, primary_key=True, help_text="cupure.analysis.topics.topic_key")
    capitalised = models.PositiveIntegerField(default=0)
    lowercase = models.PositiveIntegerField(default=0)

    @classmethod
    def book(cls, keys: set[str]):
        """A CaseBook holding the counts of ``keys``."""

        rows = rows_by_keys(cls.objects, "key", {k for k in keys if len(k) <= 200}, "key", "capitalised", "lowercase")
        return CaseBook({k: [c, lc] for k, c, lc in rows})

    @classmethod
    def save_book(cls, book) -> None:
        """Write the counts ``book`` changed. The caller holds the tagging lease: one writer at a time."""
        rows = [
            cls(key=k, capitalised=book.counts[k][0], lowercase=book.counts[k][1])
            for k in book.touched
            if len(k) <= 200
        ]
        cls.objects.bulk_create(
            rows,
            batch_size=1000,
            update_conflicts=True,
            unique_fields=["key"],
            update_fields=["capitalised", "lowercase"],
        )
        book.touched.clear()


class Article(models.Model):
    source = models.ForeignKey("sources.Source", on_delete=models.CASCADE, related_name="articles")
    feed = models.ForeignKey("sources.Feed", null=True, blank=True, on_delete=models.SET_NULL, related_name="articles")
    section = models.ForeignKey(Section, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles")
    # Where the section came from: the feed's default, the URL path, an import, the model, or an operator.
    section_origin = models.CharField(max_length=10, blank=True, choices=SectionOrigin.choices)
    section_confidence = models.FloatField(null=True, blank=True)

    url = models.URLField(max_length=2000, help_text="The original link, for “Read at source”.")
    canonical_url = models.CharField(max_length=2000, unique=True)
    title = models.CharField(max_length=1000)
    author = models.CharField(max_length=300, blank=True)
    published_at = models.DateTimeField(db_index=True)
    fetched_at = models.DateTimeField(default=timezone.now)
    language = models.CharField(max_length=12, blank=True)
    site_name = models.CharField(max_length=200, blank=True)
    image_url = models.URLField(max_length=2000, blank=True)
    summary = models.TextField(blank=True)
    content_html = models.TextField(blank=True, help_text="Sanitized HTML (cupure.lib.html).")
    text = models.TextField(blank=True)
    word_count = models.PositiveIntegerField(default=0)
    content_origin = models.CharField(
        max_length=10,
        default=ContentOrigin.PAGE,
        choices=[(o.value, o.value) for o in ContentOrigin],
        help_text="page: extracted; feed: the feed's own",
    )

    content_hash = models.CharField(max_length=64, blank=True, db_index=True)
    minhash = models.BinaryField(blank=True, default=b"", help_text="cupure.ingest.fingerprint signature")
    duplicate_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies")
    story = models.ForeignKey(Story, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles")
    topics_done = models.BooleanField(default=False, db_index=True)
    comment_count = models.PositiveIntegerField(default=0, db_default=0, help_text="Visible comments.")
    has_picture = models.BooleanField(default=False, db_default=False, help_text="An ArticlePicture to serve.")

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["duplicate_of", "-published_at"], name="article_visible_recent"),
            models.Index(fields=["section", "-published_at"], name="article_section_recent"),
            models.Index(fields=["source", "-published_at"], name="article_source_recent"),
            # A story's coverage in time order: without it SQLite walks every visible article.
            models.Index(fields=["story", "published_at"], name="article_story_time"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # Whoever writes the body (the refresh, an import, a staff edit in the admin), readers get it
        # through the allowlist: sanitizing is the last step before storage on every path.
        fields = kwargs.get("update_fields")
        if fields is None or "content_html" in fields:
            self.content_html = sanitize(self.content_html or "")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("article", args=[self.pk])


class ArticlePicture(models.Model):
    """An article's picture as cupure serves it (cupure.ingest.images): fetched once by the worker, stored
    with the article, so that readers' browsers never ask a publisher. ``error`` records why there is
    none, so a picture that cannot be had is not fetched again."""

    article = models.OneToOneField("Article", on_delete=models.CASCADE, primary_key=True, related_name="picture")
    thumb = models.BinaryField(blank=True, default=b"")
    lead = models.BinaryField(blank=True, default=b"")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)
    fetched_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"picture of article {self.article_id}" + (f" (none: {self.error})" if self.error else "")


class ArticleTopic(models.Model):
    """A topic an article mentions, with its day and source kept here so trending counts need no join."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="article_topics")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="article_topics")
    published_at = models.DateTimeField()
    source_id = models.BigIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["article", "topic"], name="articletopic_unique")]
        indexes = [
            models.Index(fields=["published_at"], name="articletopic_when"),
            models.Index(fields=["topic", "published_at"], name="articletopic_topic_when"),
        ]


class ArticleBand(models.Model):
    """One LSH band key of an article's MinHash: near-duplicate candidates share a key."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bands")
    key = models.BigIntegerField(db_index=True)


class Tombstone(models.Model):
    """A deleted article, remembered so that no feed brings it back."""

    canonical_url = models.CharField(max_length=2000, unique=True)
    content_hash = models.CharField(max_length=64, blank=True, db_index=True)
    title = models.CharField(max_length=1000, blank=True)
    deleted_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return self.title or self.canonical_url
