"""What a reader follows, saves and hides, and when they last looked at a story.

Each row points at exactly one thing through its own foreign key, so deleting a topic, a source or a
story deletes what pointed at it, and the database itself refuses a second follow of the same thing.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from cupure.accounts.models import ReaderGeneration
from cupure.lib.db import fetch, load

from .mutes import MAX_PHRASE_WORDS, MuteRules, phrase_words, rules_of

FOLLOWABLE = ("topic", "source", "section", "story")
# Views of one page within this time are one visit: what was new stays marked, and a reader clicking
# around costs no write per page.
SEEN_EVERY = timedelta(minutes=1)
SAVEABLE = ("article", "story")


def _one_of(names: tuple[str, ...], label: str) -> models.CheckConstraint:
    """Exactly one of the foreign keys ``names`` is set."""
    options = [Q(**{f"{n}__isnull": False}, **{f"{o}__isnull": True for o in names if o != n}) for n in names]
    condition = options[0]
    for o in options[1:]:
        condition |= o
    return models.CheckConstraint(condition=condition, name=label)


class TargetQuerySet(models.QuerySet):
    def of(self, user, kind: str, pk: int):
        return self.filter(user=user, **{f"{kind}_id": pk})


class Follow(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows")
    topic = models.ForeignKey("news.Topic", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    source = models.ForeignKey("sources.Source", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    section = models.ForeignKey("news.Section", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    story = models.ForeignKey("news.Story", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = TargetQuerySet.as_manager()

    class Meta:
        constraints = [
            _one_of(FOLLOWABLE, "follow_one_thing"),
            *(
                models.UniqueConstraint(
                    fields=["user", k], condition=Q(**{f"{k}__isnull": False}), name=f"follow_{k}_once"
                )
                for k in FOLLOWABLE
            ),
        ]

    @property
    def kind(self) -> str:
        return next(k for k in FOLLOWABLE if getattr(self, f"{k}_id"))

    @property
    def target(self):
        return getattr(self, self.kind)

    def __str__(self):
        return f"{self.user} follows {self.kind} {self.target}"


class Saved(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved")
    article = models.ForeignKey("news.Article", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    story = models.ForeignKey("news.Story", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = TargetQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "saved items"
        constraints = [
            _one_of(SAVEABLE, "saved_one_thing"),
            *(
                models.UniqueConstraint(
                    fields=["user", k], condition=Q(**{f"{k}__isnull": False}), name=f"saved_{k}_once"
                )
                for k in SAVEABLE
            ),
        ]

    def __str__(self):
        return f"{self.user} saved {self.article or self.story}"


class Mute(models.Model):
    """A hidden source, or a muted word or phrase."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mutes")
    source = models.ForeignKey("sources.Source", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    phrase = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["phrase", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(source__isnull=False, phrase="") | Q(source__isnull=True) & ~Q(phrase="")),
                name="mute_source_or_phrase",
            ),
            models.UniqueConstraint(
                fields=["user", "source"], condition=Q(source__isnull=False), name="mute_source_once"
            ),
            models.UniqueConstraint(fields=["user", "phrase"], condition=~Q(phrase=""), name="mute_phrase_once"),
        ]

    def __str__(self):
        return f"{self.user} hides {self.source}" if self.source_id else f"{self.user} mutes '{self.phrase}'"

    @classmethod
    def check_phrase(cls, phrase: str) -> tuple[str, str]:
        """``(phrase, "")`` cleaned, or ``("", reason)`` when it cannot be a mute."""
        phrase = " ".join(phrase.split())
        words = phrase_words(phrase)
        if not words:
            return "", "Type a word or a phrase to mute (letters or digits)."
        if len(phrase) > 100 or len(words) > MAX_PHRASE_WORDS:
            return "", f"A muted phrase is at most {MAX_PHRASE_WORDS} words and 100 characters."
        return phrase, ""

    @classmethod
    def rules_for(cls, user) -> MuteRules:
        if not user.is_authenticated:
            return MuteRules()
        # Every page a signed-in reader opens reads them: plain rows, past the ORM (cupure.lib.db.fetch).
        sources_table = cls._meta.get_field("source").related_model._meta.db_table
        sql = (
            f"SELECT m.source_id, s.name, m.phrase FROM {cls._meta.db_table} m "
            f"LEFT JOIN {sources_table} s ON s.id = m.source_id WHERE m.user_id = %s ORDER BY m.id"
        )
        return rules_of(tuple(fetch(sql, [user.pk])))


class StoryVisit(models.Model):
    """When a reader last opened a story: what arrived after is new to them."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    story = models.ForeignKey("news.Story", on_delete=models.CASCADE, related_name="+")
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "story"], name="storyvisit_once")]

    def __str__(self):
        return f"{self.user} saw story {self.story_id} at {self.seen_at:%Y-%m-%d %H:%M}"

    @classmethod
    def mark(cls, user, story_id: int, now=None):
        """Record this visit; returns when the reader had last seen the story (None on a first visit)."""
        now = now or timezone.now()
        # Past the ORM (cupure.lib.db.load): every story page a signed-in reader opens asks, and the ORM
        # takes longer to build this query than the rest of such a page.
        visit = load(cls, user_id=user.pk, story_id=story_id)
        prev = visit.seen_at if visit is not None else None
        if prev is None:
            cls.objects.get_or_create(user=user, story_id=story_id, defaults={"seen_at": now})
        elif now - prev >= SEEN_EVERY:
            cls.objects.filter(user=user, story_id=story_id).update(seen_at=now)
        return prev


def _reader_changed(sender, instance, **kwargs):
    ReaderGeneration.bump(instance.user_id)


def connect_signals() -> None:
    """Row-by-row saves and deletes of follows, saves and mutes (a form, the admin, a deleted topic's
    cascade); nothing in cupure writes them in bulk."""
    for model in (Follow, Saved, Mute):
        models.signals.post_save.connect(_reader_changed, sender=model, dispatch_uid=f"reader-save-{model.__name__}")
        models.signals.post_delete.connect(
            _reader_changed, sender=model, dispatch_uid=f"reader-delete-{model.__name__}"
        )
