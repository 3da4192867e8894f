"""Readers' comments under articles and stories: threads, flags, likes, moderation."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

MAX_DEPTH = 3
# Top-level comments a page shows, each with all its replies: a thread of thousands stays a page a phone
# can load. Pages are cut from every top-level comment in the order, whatever its status, so that the page
# a comment is on (Comment.page) is known without building the tree.
THREADS_PER_PAGE = 50


class CommentQuerySet(models.QuerySet):
    def public(self):
        return self.filter(status=Comment.Status.VISIBLE)


class Comment(models.Model):
    class Status(models.TextChoices):
        VISIBLE = "visible", "visible"
        HELD = "held", "held for approval"
        HIDDEN = "hidden", "hidden: flagged by readers"
        REMOVED = "removed", "removed by a moderator"
        DELETED = "deleted", "deleted by its author"

    article = models.ForeignKey(
        "news.Article", null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    story = models.ForeignKey("news.Story", null=True, blank=True, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies")
    depth = models.PositiveSmallIntegerField(default=1)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comments")
    body = models.TextField(help_text="What the reader wrote (Markdown).")
    html = models.TextField(help_text="cupure.comments.render of the body: sanitized.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.VISIBLE, db_index=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    address = models.GenericIPAddressField(null=True, blank=True)
    # The form's one-time token: posting the same form twice (a double click, a resent request) stores one comment.
    nonce = models.CharField(max_length=64)
    likes = models.PositiveIntegerField(default=0)
    flags = models.PositiveIntegerField(default=0)
    moderation_reason = models.CharField(max_length=500, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["author", "nonce"], name="comment_once_per_form"),
            models.CheckConstraint(
                condition=Q(article__isnull=False) ^ Q(story__isnull=False), name="comment_one_target"
            ),
        ]
        indexes = [
            models.Index(fields=["article", "created_at"], name="comment_article"),
            models.Index(fields=["story", "created_at"], name="comment_story"),
        ]

    def __str__(self):
        return f"{self.author} on {self.target}: {self.body[:50]}"

    @property
    def target(self):
        return self.article if self.article_id else self.story

    def get_absolute_url(self):
        page = self.page()
        return f"{self.target.get_absolute_url()}{f'?cpage={page}' if page > 1 else ''}#c{self.pk}"

    def page(self) -> int:
        """The page (in the default order, oldest first) that shows this comment: its top-level comment's."""
        root = self
        while root.parent_id:
            root = root.parent
        kind = "article" if root.article_id else "story"
        before = (
            Comment.objects.filter(**{f"{kind}_id": getattr(root, f"{kind}_id")}, parent__isnull=True)
            .filter(Q(created_at__lt=root.created_at) | Q(created_at=root.created_at, id__lt=root.pk))
            .count()
        )
        return before // THREADS_PER_PAGE + 1

    def editable_by(self, user, now=None) -> bool:
        now = now or timezone.now()
        return (
            user.is_authenticated
            and user.pk == self.author_id
            and self.status in (self.Status.VISIBLE, self.Status.HELD)
            and now - self.created_at <= settings.COMMENTS_EDIT_WINDOW
        )


class Flag(models.Model):
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="flag_set")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["comment", "user"], name="flag_once")]


class Like(models.Model):
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="like_set")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["comment", "user"], name="like_once")]
