"""The JSON API, /api/v1: read everything, post comments with a personal token, manage sources as staff.

django-ninja validates input and output against the schemas in ``schemas.py`` and publishes them as
OpenAPI 3.1 at /api/v1/openapi.json. Every error is JSON: {"message": ...} (see ``errors``).
Conditional GET: every GET answers with an ETag (and Last-Modified where a time is known) and 304
when If-None-Match or If-Modified-Since says the client's copy is current.
"""

from __future__ import annotations

import functools
import hashlib
import json
import uuid
from datetime import date, datetime
from typing import Literal

from django.db.models import Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from ninja import Header, NinjaAPI, Query, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.renderers import JSONRenderer
from ninja.responses import Status
from ninja.security import HttpBearer
from pydantic import TypeAdapter

from cupure.accounts.models import ApiToken
from cupure.comments import actions as comment_actions
from cupure.comments.models import Comment
from cupure.lib.clients import client_address
from cupure.news import filters as article_filters
from cupure.news.models import Article, ArticleTopic, Section, Story, Topic
from cupure.news.stories import top_stories
from cupure.news.topics import current_bar
from cupure.readers import screen
from cupure.readers.models import Mute
from cupure.readers.mutes import MuteRules
from cupure.search import engine as search_engine
from cupure.sources.models import Feed, Source
from cupure.sources.subscribe import SubscribeError
from cupure.sources.subscribe import add_feed as subscribe

from . import schemas as s
from .pagination import BadCursor, page

MAX_LIMIT = 100


class Token(HttpBearer):
    """A personal token, made on the reader's settings page: ``Authorization: Bearer cpr_...``."""

    def authenticate(self, request, token):
        user = ApiToken.user_for(token)
        if user is not None:
            request.user = user
        return user


class StaffToken(Token):
    def authenticate(self, request, token):
        user = super().authenticate(request, token)
        if user is not None and not user.is_staff:
            raise HttpError(403, "This needs a staff account's token.")
        return user


api = NinjaAPI(
    title="cupure API",
    version="1",
    description=__doc__,
    urls_namespace="api",
    docs_url=None,
    openapi_url="/openapi.json",
    renderer=JSONRenderer(),
)


def _errors(*codes: int) -> dict:
    return {code: s.Error for code in codes}


def _error(request, status: int, message: str, errors=None):
    body = {"message": message}
    if errors is not None:
        body["errors"] = errors
    return api.create_response(request, body, status=status)


@api.exception_handler(ValidationError)
def _invalid(request, exc):
    errors = [{"location": ".".join(str(p) for p in e.get("loc", ())), "problem": e.get("msg", "")} for e in exc.errors]
    where = ", ".join(e["location"] for e in errors[:5])
    return _error(request, 422, f"Some values are not valid: {where}.", errors)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return _error(
        request, 401, "Send a personal token: Authorization: Bearer <token> (make one on your settings page)."
    )


@api.exception_handler(HttpError)
def _http_error(request, exc):
    message = str(exc)
    if message.startswith("Cannot parse request body"):  # django-ninja's words for a body that is not JSON
        message = "The request body is not valid JSON."
    return _error(request, exc.status_code, message)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return _error(request, 404, "There is no such thing here: check the id or slug.")


@api.exception_handler(BadCursor)
def _bad_cursor(request, exc):
    # The page a cursor points to does not exist (a cursor this API never gave out): 404, as for an id.
    return _error(request, 404, str(exc))


class Conditional(Schema):
    """Send back a response's ETag or Last-Modified and get 304 Not Modified while nothing changed."""

    if_none_match: str | None = s.Field(None, alias="If-None-Match")
    if_modified_since: str | None = s.Field(None, alias="If-Modified-Since")


def conditional(request, schema, data, last_modified: datetime | None = None) -> HttpResponse:
    """``data`` validated and rendered as ``schema`` (``schema`` None: ``data`` is plain JSON already, built
    by hand on a hot path), with an ETag (and Last-Modified); a bodiless 304 when the client's copy is
    current (If-None-Match, when sent, decides; else If-Modified-Since)."""
    if schema is None:
        body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    else:
        adapter = _adapters.get(schema) or _adapters.setdefault(schema, TypeAdapter(schema))
        body = adapter.dump_json(adapter.validate_python(data), by_alias=True)
    etag = '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'
    response = HttpResponse(body, content_type="application/json")
    response["ETag"] = etag
    seconds = int(last_modified.timestamp()) if last_modified is not None else None
    if seconds is not None:
        response["Last-Modified"] = http_date(seconds)
    # Django's evaluation of the preconditions (RFC 9110 section 13.2.2): a 304 that keeps the validators.
    return get_conditional_response(request, etag=etag, last_modified=seconds, response=response)


_adapters: dict = {}


def _get(path, response, errors=(), **kw):
    """A GET operation, documented with 304 and the error statuses it can really answer: its own, and 400
    for a query parameter holding a null character (refused for every path by cupure.lib.middleware)."""
    codes = sorted({400, *errors})
    return api.get(path, response={200: response, 304: None, **{code: s.Error for code in codes}}, **kw)


def _limit(default: int = 50):
    """A page size parameter, its bounds in the schema: outside them the request is refused (422), not
    silently clamped."""
    return Query(default, ge=1, le=MAX_LIMIT, description=f"Items a page, 1 to {MAX_LIMIT}.")


class ArticleFilters(Schema):
    section: str | None = s.Field(None, description="Section slug or name, as search's section:.", max_length=100)
    source: str | None = s.Field(None, description="Source slug, site or name, as search's source:.", max_length=200)
    topic: str | None = s.Field(None, description="Topic name or slug, as search's topic:.", max_length=200)
    since: date | None = s.Field(None, description="Published on or after this day.")
    until: date | None = s.Field(None, description="Published on or before this day.")


def _articles():
    return Article.objects.visible().select_related("source", "section")


# Lists never show an article's text: don't read it (kilobytes a row) from the database.
LIST_DEFERRED = ("text", "content_html", "minhash")


@_get("/articles", s.ArticlePage, (404, 422), summary="Articles, newest first", tags=["articles"])
def list_articles(
    request,
    filters: Query[ArticleFilters],
    conditional_headers: Header[Conditional],
    cursor: str | None = None,
    limit: int = _limit(50),
):
    resolved, problems = article_filters.resolve(
        section=filters.section, source=filters.source, topic=filters.topic, since=filters.since, until=filters.until
    )
    if problems:  # a filter naming no section, source or topic: nothing of that exists
        raise HttpError(404, problems[0])
    qs = resolved.apply(_articles().defer(*LIST_DEFERRED))
    result = page(request, qs, ["-published_at", "-id"], [datetime, int], cursor, limit)
    # Last-Modified only for the list everybody gets: a reader's mutes change theirs without a new article.
    everybody = not cursor and not request.headers.get("Authorization")
    newest = result["items"][0].published_at if result["items"] and everybody else None
    result["items"], result["hidden"] = _screened(request, result["items"], screen.articles)
    result["items"] = [article_json(a) for a in result["items"]]
    return conditional(request, None, result, newest)


def _reader_rules(request) -> MuteRules:
    """With a token (optional on the public lists), its reader's mutes apply: the lists read as that
    reader's pages do. A token that is given must be valid."""
    header = request.headers.get("Authorization", "")
    if not header:
        return MuteRules()
    scheme, _, token = header.partition(" ")
    user = ApiToken.user_for(token.strip()) if scheme.lower() == "bearer" else None
    if user is None:
        raise HttpError(401, "The Authorization header holds no valid token (Bearer cpr_…): leave it out, or make one.")
    return Mute.rules_for(user)


def _screened(request, items: list, how) -> tuple[list, int]:
    """``items`` less what the token's reader hides, and how many were left out."""
    hidden = screen.Hidden()
    kept = how(_reader_rules(request), items, hidden)
    return kept, sum(hidden.counts.values())


def _stories_screen(rules, stories, hidden):
    # Stories in the API carry their lead, not a coverage list: judged on the lead as the site's cards are.
    return [st for st, _ in screen.stories(rules, [(st, []) for st in stories], hidden)]


def _when(value: datetime | None) -> str | None:
    """A datetime as pydantic writes it (UTC as "Z")."""
    return value.isoformat().replace("+00:00", "Z") if value is not None else None


def article_json(a: Article) -> dict:
    """ArticleOut by hand: the busiest list, where pydantic's per-attribute lookups and URL reversing were
    most of the time. tests/test_api.py checks it against ArticleOut for every field."""
    src, sec = a.source, a.section
    return {
        "id": a.pk,
        "title": a.title,
        "url": f"/article/{a.pk}/",
        "original_url": a.url,
        "source": {"slug": src.slug, "name": src.name, "site_url": src.site_url, "url": f"/source/{src.slug}/"},
        "section": {"slug": sec.slug, "name": sec.name, "url": f"/section/{sec.slug}/"} if sec else None,
        "author": a.author,
        "published_at": _when(a.published_at),
        "summary": a.summary,
        "image_url": a.image_url,
        "language": a.language,
        "story_id": a.story_id,
        "comment_count": a.comment_count,
    }


@_get("/articles/{article_id}", s.ArticleDetail, (404, 422), summary="One article, with its text", tags=["articles"])
def get_article(request, article_id: int, conditional_headers: Header[Conditional]):
    art = get_object_or_404(
        _articles().prefetch_related(
            Prefetch("article_topics", ArticleTopic.objects.select_related("topic").filter(topic__hidden=False))
        ),
        pk=article_id,
    )
    art.topic_list = [at.topic for at in art.article_topics.all()]
    return conditional(request, s.ArticleDetail, art, art.fetched_at)


def _stories():
    return Story.objects.filter(merged_into__isnull=True).select_related("section", "lead__source", "lead__section")


@_get(
    "/stories",
    s.StoryPage,
    (404, 422),
    summary="Stories with two or more sources, latest updated first",
    tags=["stories"],
)
def list_stories(
    request,
    conditional_headers: Header[Conditional],
    section: str | None = None,
    cursor: str | None = None,
    limit: int = _limit(50),
):
    qs = _stories().filter(source_count__gte=2)
    if section:
        sec = Section.objects.find(section)
        if sec is None:
            raise HttpError(404, f"There is no section “{section}”.")
        qs = qs.filter(section=sec)
    result = page(request, qs, ["-last_updated", "-id"], [datetime, int], cursor, limit)
    result["items"], result["hidden"] = _screened(request, result["items"], _stories_screen)
    return conditional(request, s.StoryPage, result)


@_get("/stories/top", list[s.StoryOut], (422,), summary="Top stories, as on the home page", tags=["stories"])
def list_top_stories(request, conditional_headers: Header[Conditional], limit: int = _limit(20)):
    stories, _ = _screened(request, top_stories(limit=limit), _stories_screen)
    return conditional(request, list[s.StoryOut], stories)


@_get("/stories/{story_id}", s.StoryDetail, (404, 422), summary="One story and all its coverage", tags=["stories"])
def get_story(request, story_id: int, conditional_headers: Header[Conditional]):
    story = get_object_or_404(Story.objects.select_related("section", "lead__source", "lead__section"), pk=story_id)
    if story.merged_into_id:
        story = get_object_or_404(_stories(), pk=story.merged_into_id)
    story.coverage = list(_articles().filter(story=story).order_by("published_at", "id"))
    return conditional(request, s.StoryDetail, story, story.last_updated)


@_get("/topics", s.TopicPage, (404, 422), summary="Topics, most mentioned first", tags=["topics"])
def list_topics(request, conditional_headers: Header[Conditional], cursor: str | None = None, limit: int = _limit(50)):
    qs = Topic.objects.filter(hidden=False, merged_into__isnull=True)
    result = page(request, qs, ["-mentions", "id"], [int, int], cursor, limit)
    return conditional(request, s.TopicPage, result)


@_get("/topics/{slug}", s.TopicOut, (404,), summary="One topic", tags=["topics"])
def get_topic(request, slug: str, conditional_headers: Header[Conditional]):
    topic = get_object_or_404(Topic, slug=slug, hidden=False)
    if topic.merged_into_id:
        topic = topic.merged_into
    return conditional(request, s.TopicOut, topic)


@_get("/trending", list[s.TrendingTopic], summary="The trending bar", tags=["topics"])
def trending(request, conditional_headers: Header[Conditional]):
    bar = [{**t, "url": f"/topic/{t['slug']}/"} for t in current_bar()]
    return conditional(request, list[s.TrendingTopic], bar)


@_get("/sections", list[s.SectionOut], summary="Sections", tags=["sections"])
def list_sections(request, conditional_headers: Header[Conditional]):
    return conditional(request, list[s.SectionOut], list(Section.objects.all()))


@_get("/sections/{slug}", s.SectionOut, (404,), summary="One section", tags=["sections"])
def get_section(request, slug: str, conditional_headers: Header[Conditional]):
    return conditional(request, s.SectionOut, get_object_or_404(Section, slug=slug))


@_get("/sources", s.SourcePage, (404, 422), summary="Sources, by name", tags=["sources"])
def list_sources(request, conditional_headers: Header[Conditional], cursor: str | None = None, limit: int = _limit(50)):
    result = page(request, Source.objects.all(), ["name", "id"], [str, int], cursor, limit)
    return conditional(request, s.SourcePage, result)


@_get("/sources/{slug}", s.SourceOut, (404,), summary="One source", tags=["sources"])
def get_source(request, slug: str, conditional_headers: Header[Conditional]):
    return conditional(request, s.SourceOut, get_object_or_404(Source, slug=slug))


@_get("/search", s.SearchOut, (422,), summary="Search, with the search page's query language", tags=["search"])
def search(
    request,
    q: str,
    conditional_headers: Header[Conditional],
    sort: Literal["relevance", "date"] = "relevance",
    page_number: int = Query(1, alias="page", ge=1, le=10_000),
    per_page: int = _limit(20),
):
    res = search_engine.search(q[:1000], sort=sort, page=page_number, per_page=per_page)
    shown, _ = _screened(request, [h.article for h in res.hits], screen.articles)
    res.hits = [h for h in res.hits if h.article in shown]
    out = {
        "query": res.text,
        "total": res.total,
        "total_is_lower_bound": res.total_is_lower_bound,
        "page": res.page,
        "pages": res.pages,
        "messages": res.messages,
        "hits": [
            {"article": h.article, "title_html": str(h.title_html), "snippet_html": str(h.snippet_html)}
            for h in res.hits
        ],
    }
    return conditional(request, s.SearchOut, out)


def _comment_target(kind: str, pk: int):
    model = Article if kind == "article" else Story
    return get_object_or_404(model.objects.only("pk"), pk=pk)


def _comments(request, kind: str, pk: int, cursor, limit):
    target = _comment_target(kind, pk)
    # Visible comments, and the removed or deleted ones that visible replies still hang from (as placeholders).
    qs = (
        Comment.objects.filter(**{kind: target})
        .select_related("author", "article", "story")
        .filter(
            Q(status=Comment.Status.VISIBLE)
            | Q(status__in=[Comment.Status.DELETED, Comment.Status.REMOVED], replies__status=Comment.Status.VISIBLE)
        )
        .distinct()
    )
    return page(request, qs, ["created_at", "id"], [datetime, int], cursor, limit)


def _reading_comments(path: str, summary: str):
    """An operation that lists a page of comments: 404 for a missing article or story, 422 for a bad query."""
    return _get(path, s.CommentPage, (404, 422), summary=summary, tags=["comments"])


@_reading_comments("/articles/{article_id}/comments", "An article's comments, oldest first")
def article_comments(
    request,
    article_id: int,
    conditional_headers: Header[Conditional],
    cursor: str | None = None,
    limit: int = _limit(50),
):
    return conditional(request, s.CommentPage, _comments(request, "article", article_id, cursor, limit))


@_reading_comments("/stories/{story_id}/comments", "A story's comments, oldest first")
def story_comments(
    request, story_id: int, conditional_headers: Header[Conditional], cursor: str | None = None, limit: int = _limit(50)
):
    return conditional(request, s.CommentPage, _comments(request, "story", story_id, cursor, limit))


def _post_comment(request, kind: str, pk: int, data: s.CommentIn):
    target = _comment_target(kind, pk)
    parent, reason = comment_actions.parent_of(data.parent)
    if reason:
        raise HttpError(400, reason)
    comment, reason, status = comment_actions.post(
        user=request.user,
        target=target,
        body=data.body,
        parent=parent,
        nonce=data.nonce or uuid.uuid4().hex,
        address=client_address(request),
        base_url=request.build_absolute_uri("/")[:-1],
    )
    if comment is None:
        raise HttpError(status, reason)
    return Status(201, comment)


WRITE_ERRORS = _errors(400, 401, 403, 404, 422, 429)


def _commenting(path: str, summary: str):
    """An operation that posts a comment: a reader's token, 201 with the comment, or one of the write errors."""
    return api.post(
        path, response={201: s.CommentOut, **WRITE_ERRORS}, auth=Token(), summary=summary, tags=["comments"]
    )


@_commenting("/articles/{article_id}/comments", "Comment on an article (or reply)")
def post_article_comment(request, article_id: int, data: s.CommentIn):
    return _post_comment(request, "article", article_id, data)


@_commenting("/stories/{story_id}/comments", "Comment on a story (or reply)")
def post_story_comment(request, story_id: int, data: s.CommentIn):
    return _post_comment(request, "story", story_id, data)


@api.get(
    "/feeds",
    response={200: s.FeedPage, **_errors(400, 401, 403, 404, 422)},  # 400: the null-character guard
    auth=StaffToken(),
    summary="Feeds and their state",
    tags=["sources (staff)"],
)
def list_feeds(request, cursor: str | None = None, limit: int = _limit(50)):
    return page(request, Feed.objects.select_related("source", "section"), ["id"], [int], cursor, limit)


@api.post(
    "/feeds",
    response={201: s.FeedOut, **_errors(400, 401, 403, 422)},
    auth=StaffToken(),
    summary="Subscribe to a feed (or to the feed a page advertises)",
    tags=["sources (staff)"],
)
def add_feed(request, data: s.FeedIn):
    if data.section and Section.objects.find(data.section) is None:
        raise HttpError(400, f"There is no section “{data.section}”.")
    try:
        feed = subscribe(data.url, section=data.section or "")
    except SubscribeError as exc:
        raise HttpError(400, str(exc)) from None
    return Status(201, feed)


@api.patch(
    "/feeds/{feed_id}",
    response={200: s.FeedOut, **_errors(400, 401, 403, 404, 422)},
    auth=StaffToken(),
    summary="Pause or resume a feed, or change its section",
    tags=["sources (staff)"],
)
def change_feed(request, feed_id: int, data: s.FeedPatch):
    feed = get_object_or_404(Feed.objects.select_related("source", "section"), pk=feed_id)
    if data.active is not None:
        feeds = Feed.objects.filter(pk=feed.pk)
        feeds.resume() if data.active else feeds.pause()
        feed.refresh_from_db(fields=["active", "next_check_at"])
    if data.section is not None:
        if data.section == "":
            feed.section = None
        else:
            sec = Section.objects.find(data.section)
            if sec is None:
                raise HttpError(400, f"There is no section “{data.section}”.")
            feed.section = sec
    feed.save(update_fields=["section"])
    return feed


@api.delete(
    "/feeds/{feed_id}",
    response={204: None, **_errors(401, 403, 404, 422)},
    auth=StaffToken(),
    summary="Unsubscribe (the articles stay)",
    tags=["sources (staff)"],
)
def delete_feed(request, feed_id: int):
    get_object_or_404(Feed, pk=feed_id).delete()
    return Status(204, None)


def _refuse_unknown_query_parameters() -> None:
    """Every address answers a query parameter it does not take with 400 and the list of those it takes: a
    misspelt or imagined filter (?sectoin=, ?story=827) would otherwise return everything, unfiltered, as if
    it had been applied. Done once, before the URLs are built, over the operations django-ninja made from the
    views' signatures (it copies each view function into the operations it serves)."""
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                taken = sorted(
                    name
                    for model in operation.models
                    if model.__ninja_param_source__ == "query"
                    for name in model.__ninja_flatten_map__
                )
                operation.view_func = _checked(operation.view_func, frozenset(taken), ", ".join(taken) or "none")


def _checked(view, taken: frozenset, listed: str):
    @functools.wraps(view)
    def checked(request, *args, **kw):
        unknown = sorted(set(request.GET) - taken)
        if unknown:
            return _error(request, 400, f"Unknown query parameter: {', '.join(unknown)}. This address takes: {listed}.")
        return view(request, *args, **kw)

    return checked


_refuse_unknown_query_parameters()
