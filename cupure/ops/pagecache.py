"""Anonymous readers' pages, cached whole; signed-in readers' pages rendered for them around shared fragments.

A cached page's key holds the content generation (cupure.ops.models.ContentGeneration): anything readers
see that changes (an article stored, a story re-formed, a comment posted or moderated, the trending bar
recomputed) bumps it, and every cached page is retired at once, in every process and on every machine:
the generation lives in the database, the pages in the cache (Redis with CUPURE_REDIS_URL, else each
process's memory). Pages also expire after PAGE_SECONDS, which bounds what no bump covers (a feed's
status on a source page).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.db.models.signals import post_delete, post_save

from cupure.comments.models import Comment
from cupure.news.models import Article, Section, Story, Topic
from cupure.sources.models import Source

from .models import ContentGeneration

PAGE_SECONDS = 60
FRAGMENT_SECONDS = 60  # as anonymous pages: "updated 5 minutes ago" stays about right
# Pages that are per-reader, forms with CSRF tokens, live status, or machine endpoints with their own rules.
NEVER = (
    "/admin/",
    "/accounts/",
    "/api/",
    "/comments/",
    "/moderation/",
    "/operator/",
    "/u/",
    "/sources/",
    "/static/",
    "/metrics",
    "/healthz",
    "/readyz",
    "/search/",
    "/for-you/",
    "/saved/",
    "/you/",
)


def bump() -> None:
    """Something readers see changed: retire every cached page, as soon as the change is committed.

    Inside a transaction the generation row is updated after the commit, never within it: held until
    the commit, the lock on that one row would serialize every writer, and deadlock writers that lock
    other rows in another order (two workers storing articles while a third assigns stories)."""
    transaction.on_commit(_bump_now)


def _bump_now() -> None:
    if not ContentGeneration.objects.filter(pk=1).update(value=F("value") + 1):
        ContentGeneration.objects.get_or_create(pk=1)


def generation() -> int:
    return ContentGeneration.objects.filter(pk=1).values_list("value", flat=True).first() or 0


def request_generation(request) -> int:
    """The content generation, read once per request."""
    value = getattr(request, "_cupure_generation", None)
    if value is None:
        value = request._cupure_generation = generation()
    return value


def fragment(request, name: str, vary: str, build: Callable[[], str]) -> str:
    """The HTML ``build()`` renders, shared by every reader who would be shown the same (``vary`` says what
    else than the content and the URL it depends on, such as a reader's mutes), until the content changes.

    Signed-in readers get pages of their own (their name, their buttons, forms with their CSRF token), so
    their pages are never cached whole; the costly middle of a page (lists of stories and articles,
    an article's text) is the same for all of them and is rendered once per content generation."""
    if not settings.PAGE_CACHE:
        return build()
    key = f"fragment:{request_generation(request)}:{name}:{vary}:{request.get_full_path()}"
    html = cache.get(key)
    if html is None:
        html = build()
        cache.set(key, html, FRAGMENT_SECONDS)
    return html


def _changed(sender, **kwargs):
    bump()


def connect_signals() -> None:
    """Row-by-row saves and deletes of what pages show. Bulk UPDATEs (story assignment, counts) bump
    explicitly where they happen."""
    for model in (Article, Story, Topic, Section, Source, Comment):
        post_save.connect(_changed, sender=model, dispatch_uid=f"pagecache-save-{model.__name__}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"pagecache-delete-{model.__name__}")


class AnonymousPageCacheMiddleware:
    """Serve anonymous GETs of public pages from the cache; store what they get when it is cacheable."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method not in ("GET", "HEAD")
            or request.path.startswith(NEVER)
            or request.user.is_authenticated
            or not settings.PAGE_CACHE
        ):
            return self.get_response(request)
        key = f"page:{request_generation(request)}:{request.get_full_path()}"
        cached = cache.get(key)
        if cached is not None:
            return cached
        response = self.get_response(request)
        cacheable = (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and response.get("Content-Type", "").startswith("text/html")
            and "messages" not in request.COOKIES
        )  # a page showing a one-off message is for one reader
        if cacheable:
            cache.set(key, response, PAGE_SECONDS)
        return response
