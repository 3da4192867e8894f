"""Anonymous readers' pages, cached whole; every reader's page made of a shared skeleton and their own holes.

A page (``page``/``skeleton``) is rendered once per content generation for every reader with the same
mutes, with a marker where each reader's own part goes (HOLES: their name, their buttons, their messages,
the comment form); ``Page.respond`` fills the holes for the reader at each request. A hole is rendered
once per set of what it shows (``_inputs``), with the CSRF token and nonce filled in after, so a reader's
masthead serves all their pages and the same buttons serve every reader in the same state.

A cached page's key holds the content generation (cupure.ops.models.ContentGeneration): anything readers
see that changes (an article stored, a story re-formed, a comment posted or moderated, the trending bar
recomputed) bumps it, and every cached page is retired at once, in every process and on every machine:
the generation lives in the database, the pages in the cache (Redis with CUPURE_REDIS_URL, else each
process's memory). Pages also expire after PAGE_SECONDS, which bounds what no bump covers (a feed's
status on a source page).
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.context_processors import messages
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template import Context
from django.template.loader import get_template, render_to_string

from cupure.comments.models import Comment
from cupure.lib.cache import Recent
from cupure.lib.db import fetch
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
    rows = fetch(f"SELECT value FROM {ContentGeneration._meta.db_table} WHERE id = 1")  # every request reads it
    return rows[0][0] if rows else 0


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
    return _cached(key, build)


LOCAL_SECONDS = 10  # short beside FRAGMENT_SECONDS: what is read from the cache may be that old already
# The pages and holes this process served last, kept as they are: a signed-in request reads a page and two or
# three holes, and each read from the cache costs a round trip to Redis (or a lock and an unpickling in
# memory). Their keys hold the content generation, read from the database at each request, so a change is
# seen at once here as in the cache. A page is some 20-100 kB: a few hundred bound a process's copies to
# some tens of MB.
_recent = Recent(300, LOCAL_SECONDS)


def _cached(key: str, build: Callable):
    """What ``build()`` makes, from this process's recent pages, else the shared cache, else built."""
    value = _recent.get(key)
    if value is None:
        value = cache.get(key)
        if value is None:
            value = build()
            cache.set(key, value, FRAGMENT_SECONDS)
        _recent.set(key, value)
    return value


# The parts of a page that are each reader's own: a page's skeleton marks where they go ({% hole %}, in
# cupure/ops/templatetags/holes.py), and they are rendered for the reader at each request.
HOLES = {
    "account": "_account.html",  # their name, For you, Log out (with their CSRF token)
    "messages": "_messages.html",  # "Saved", "Following Gaza"
    "buttons": "readers/_buttons.html",  # Follow / Save / Hide, on or off for them
    "comments": "comments/_section.html",  # their likes, their comments' Edit, the form to comment
}
# A marker no stored text can hold: text is escaped and outside HTML sanitized (comments stripped), and the
# marker's secret part is not known outside.
_SEAL = hashlib.blake2b(f"holes:{settings.SECRET_KEY}".encode(), digest_size=8).hexdigest()
_HOLE = re.compile(rf"<!--hole:(\w+):{_SEAL}-->")
# Filled in each response: the reader's CSRF token (their own; any masking of it is valid) and a new nonce.
_CSRF = f"csrf{_SEAL}"
_NONCE = f"nonce{_SEAL}"


def marker(name: str) -> str:
    return f"<!--hole:{name}:{_SEAL}-->"


@dataclass
class Page:
    """A page as every reader with the same mutes gets it: its HTML split around the holes (text, hole name,
    text, ...), the facts the holes need (ids, names: so that a cached page costs no query), or where
    the page now redirects."""

    parts: tuple[str, ...] = ()
    facts: dict = field(default_factory=dict)
    redirect: str = ""

    def respond(self, request, **holes: Callable[[], dict]) -> HttpResponse:
        """The page for this reader: each hole rendered with the context ``holes[name]()`` gives it (only
        for the holes the page has), besides the request, the user, their messages and CSRF token."""
        base = {"request": request, "user": request.user, **messages(request)}
        out = list(self.parts)
        for i in range(1, len(out), 2):
            name = out[i]
            if name == "messages" and not base["messages"]:
                out[i] = ""  # most pages: nothing to render
                continue
            out[i] = _hole(request, name, {**base, **(holes[name]() if name in holes else {})})
        html = "".join(out)
        # One token and one nonce for every form of the page, as a page rendered whole would have.
        if _CSRF in html:
            html = html.replace(_CSRF, get_token(request))
        return HttpResponse(html.replace(_NONCE, uuid.uuid4().hex) if _NONCE in html else html)


def _hole(request, name: str, context: dict) -> str:
    """Hole ``name`` rendered, with markers for the CSRF token and nonces: once per content generation and
    set of inputs (``_inputs``), which readers on different pages or different readers on one page share."""
    inputs = _inputs(request, name, context)

    def build() -> str:
        extra = {"csrf_token": _CSRF, "comment_nonce": _NONCE}
        return get_template(HOLES[name]).template.render(Context({**context, **extra}))

    if inputs is None:
        return build()
    digest = hashlib.blake2b(repr(inputs).encode(), digest_size=16).hexdigest()
    return _cached(f"hole:{request_generation(request)}:{name}:{digest}", build)


def _inputs(request, name: str, context: dict) -> tuple | None:
    """Everything hole ``name``'s template reads but the CSRF token and nonce, or None when its rendering
    is for this request alone (a thread of comments: each reader's likes, edits and moderation links)."""
    user = request.user
    if name == "account":
        url_name = request.resolver_match.url_name if request.resolver_match else ""
        path = "" if user.is_authenticated else request.get_full_path()  # the log-in link's ?next=
        return (user.pk, user.get_username(), user.is_staff, url_name, path)
    if name == "buttons":
        return (repr(context["you"]),)
    if name == "comments" and not context.get("comment_thread_html") and not context["messages"]:
        # No comments shown: the heading and the form (or the log-in link) are the same for every reader.
        keys = ("comment_kind", "comment_order", "comment_count", "comment_page", "comment_page_numbers")
        target = context["comment_target"].pk
        return (user.is_authenticated, request.path, target, *(repr(context.get(k)) for k in keys))
    return None


def skeleton(request, template: str, context: dict, **facts) -> Page:
    """``template`` rendered with ``context`` for no reader in particular, a marker in each hole.

    The user, their messages and CSRF token are blanked, so that nothing of the reader who happened to
    build it can slip into a page shared with others."""
    blank = {"skeleton": True, "user": AnonymousUser(), "messages": (), "csrf_token": ""}
    html = render_to_string(template, {**context, **blank}, request)
    return Page(tuple(_HOLE.split(html)), facts)


def page(request, name: str, vary: str, build: Callable[[], Page]) -> Page:
    """The skeleton ``build()`` makes, shared like a fragment by every reader with the same ``vary``.

    Anonymous and signed-in readers alike get their pages this way; what a signed-in reader costs beyond
    an anonymous reader is the holes, not the page."""
    return fragment(request, f"page:{name}", f"{vary}@{request.get_host()}", build)


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
