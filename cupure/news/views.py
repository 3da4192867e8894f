"""Reader pages. Function views: parse the request, ask the models, render."""

from __future__ import annotations

import json
from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.views.decorators.http import require_POST

from cupure.comments.thread import any_comments, thread_target
from cupure.comments.thread import context as comment_thread
from cupure.ops import pagecache
from cupure.readers import screen
from cupure.readers.buttons import buttons
from cupure.readers.models import StoryVisit
from cupure.sources.models import Feed, Source
from cupure.sources.subscribe import SubscribeError, export_opml, import_opml

from .feeds import feed_links
from .models import Article, ArticlePicture, ArticleTopic, Section, Story, Topic
from .stories import top_stories, with_coverage

PAGE_SIZE = 30


MAX_PAGES = 200  # older news is for search and the archive's sections: counting beyond costs a full scan


class _CappedPaginator(Paginator):
    @cached_property
    def count(self):
        # COUNT(*) over a LIMITed subquery: walks at most MAX_PAGES pages of the index, not the whole table.
        return self.object_list[: PAGE_SIZE * MAX_PAGES].count()


def _page(request, queryset, hidden=None):
    """One page of ``queryset``, less what the reader muted (counted in ``hidden``): pages keep their
    boundaries, so paging stays stable while mutes change."""
    page = _CappedPaginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    if hidden is not None:
        page.object_list = screen.articles(screen.rules_for(request), page.object_list, hidden)
    return page


def _top(request, stories, hidden):
    return screen.stories(screen.rules_for(request), with_coverage(stories), hidden)


def _shared(request, name: str, build, vary: str = "") -> pagecache.Page:
    """The page ``build()`` makes, shared by every reader with the same mutes (cupure.ops.pagecache.page)."""
    return pagecache.page(request, name, f"{screen.fingerprint(request)}{vary}", build)


def home(request):
    def build():
        # Articles that belong to no multi-source story still appear, in the latest list under the top stories.
        hidden = screen.hidden_for(request)
        latest = Article.objects.latest().filter(Q(story__isnull=True) | Q(story__source_count__lt=2))
        page = _page(request, latest, hidden)
        top = _top(request, top_stories(), hidden) if page.number == 1 else []
        ctx = {"page": page, "top": top, "hidden": hidden, "feed_trouble": None}
        if not page.object_list and not top:
            ctx["feed_trouble"] = _feed_trouble()
        body = render_to_string("news/_home.html", ctx, request)
        return pagecache.skeleton(request, "news/home.html", {"body": body, "feeds": feed_links("top-feed")})

    return _shared(request, "home", build).respond(request)


def _feed_trouble() -> dict | None:
    """On an empty site: how many feeds failed at their last poll, and one of their errors (a first start
    without internet must say why nothing comes)."""
    counts = Feed.objects.filter(active=True).aggregate(
        total=Count("id"), failing=Count("id", filter=Q(error_count__gt=0))
    )
    if not counts["failing"]:
        return None
    example = Feed.objects.filter(error_count__gt=0).exclude(last_error="").values_list("last_error", flat=True).first()
    return {**counts, "example": Truncator(example or "").chars(160)}


def story(request, pk):
    def facts():
        st = get_object_or_404(Story.objects.select_related("merged_into"), pk=pk)
        if st.merged_into_id:
            return pagecache.Page(redirect=st.merged_into.get_absolute_url())
        # Read along the (story, published_at) index: filtered on fetched_at, SQLite scans every article (25 ms).
        arrived = st.articles.order_by("story_id", "published_at").values_list("fetched_at", flat=True)
        return pagecache.Page(facts={"last_arrival": max(arrived, default=None)})

    known = pagecache.page(request, "story-facts", "", facts)
    if known.redirect:
        return redirect(known.redirect, permanent=True)
    # What arrived since the reader last opened this story is marked new (not on a first visit).
    seen = StoryVisit.mark(request.user, pk) if request.user.is_authenticated else None
    last = known.facts["last_arrival"]
    if seen is not None and (last is None or last <= seen):
        seen = None  # nothing new to them: the page everybody with their mutes gets

    def build():
        st = get_object_or_404(Story.objects.select_related("lead__source", "section"), pk=pk)
        hidden = screen.hidden_for(request)
        rules = screen.rules_for(request)
        coverage = st.articles.filter(duplicate_of__isnull=True).select_related("source").order_by("published_at")
        articles = screen.articles(rules, coverage, hidden)
        # Judged as its card is: led by another source when the lead's is hidden, or hidden whole when muted.
        muted = rules and not screen.stories(rules, [(st, [a for a in articles if a.pk != st.lead_id])], hidden)
        if muted:
            articles = []
        for a in articles:
            a.new = seen is not None and a.fetched_at > seen
        by_source: dict = {}
        for a in articles:
            by_source.setdefault(a.source, []).append(a)
        related = (
            Story.objects.filter(merged_into__isnull=True, section=st.section, source_count__gte=2)
            .select_related("lead")
            .exclude(pk=st.pk)
            .order_by("-last_updated")[:5]
            if st.section_id
            else []
        )
        ctx = {
            "story": st,
            "story_muted": muted,
            "hidden": hidden,
            "new_count": sum(a.new for a in articles),
            "coverage": sorted(by_source.items(), key=lambda kv: kv[1][0].published_at),
            "timeline": articles,
            "related": [r for r, _ in screen.stories(rules, [(r, []) for r in related], hidden)],
        }
        shared = {
            "muted": bool(muted),
            "headline": st.headline,
            "head": render_to_string("news/_story_head.html", ctx, request),
            "body": render_to_string("news/_story_body.html", ctx, request),
        }
        ctx = {"story": st, "shared": shared, "feeds": feed_links("story-feed", st.pk)}
        return pagecache.skeleton(request, "news/story.html", ctx, comments=any_comments(st))

    page = _shared(request, "story", build, vary=f":{seen.isoformat()}" if seen else "")
    return page.respond(
        request,
        buttons=lambda: {"you": buttons(request, follow=("story", pk), save=("story", pk))},
        comments=lambda: comment_thread(request, thread_target(Story, pk), page.facts["comments"]),
    )


def _followable(request, kind: str, slug: str, find, list_html):
    """A section's or a topic's page: the thing ``find()`` returns (a topic merged into another redirects
    there), the list ``list_html(thing)`` renders, the page's feeds (shared by readers alike), and the
    reader's follow button."""

    def build():
        obj = find()
        if getattr(obj, "merged_into_id", None):
            return pagecache.Page(redirect=obj.merged_into.get_absolute_url())
        ctx = {
            "named": obj,
            kind: obj,  # base.html marks the current section in its navigation
            "body": list_html(obj),
            "feeds": feed_links(f"{kind}-feed", obj.slug),
        }
        return pagecache.skeleton(request, "news/followable.html", ctx, id=obj.pk)

    page = _shared(request, f"{kind}:{slug}", build)
    if page.redirect:
        return redirect(page.redirect, permanent=True)
    return page.respond(request, buttons=lambda: {"you": buttons(request, follow=(kind, page.facts["id"]))})


def section(request, slug):
    def list_html(sec):
        hidden = screen.hidden_for(request)
        page = _page(request, Article.objects.latest().filter(section=sec), hidden)
        top = _top(request, top_stories(limit=8, section=sec), hidden) if page.number == 1 else []
        ctx = {"section": sec, "page": page, "top": top, "hidden": hidden}
        return render_to_string("news/_section.html", ctx, request)

    return _followable(request, "section", slug, lambda: get_object_or_404(Section, slug=slug), list_html)


def article(request, pk):
    def build():
        art = get_object_or_404(Article.objects.select_related("source", "section", "duplicate_of", "story"), pk=pk)
        if art.duplicate_of_id:
            # A copy of a wire story is shown once: on its original's page.
            return pagecache.Page(redirect=art.duplicate_of.get_absolute_url())
        description = Truncator(" ".join((art.summary or art.text).split())).chars(200)
        body = {
            "article": art,
            "copies": art.copies.select_related("source").order_by("published_at"),
            "topics": Topic.objects.filter(article_topics__article=art, hidden=False),
        }
        ctx = {
            "article": art,
            "body": render_to_string("news/_article_body.html", body, request),
            "description": description,
            "json_ld": news_article_ld(request, art, description),
            "feeds": feed_links("comments-feed", art.pk),
        }
        facts = {"source": (art.source_id, art.source.name), "comments": any_comments(art)}
        return pagecache.skeleton(request, "news/article.html", ctx, **facts)

    # An article's page is the same for every reader: their mutes hide it from lists, not from itself.
    page = pagecache.page(request, "article", "", build)
    if page.redirect:
        return redirect(page.redirect)
    return page.respond(
        request,
        buttons=lambda: {"you": buttons(request, save=("article", pk), hide=page.facts["source"])},
        comments=lambda: comment_thread(request, thread_target(Article, pk), page.facts["comments"]),
    )


def source(request, slug):
    src = get_object_or_404(Source, slug=slug)
    page = _page(request, Article.objects.latest().filter(source=src))
    return render(
        request,
        "news/source.html",
        {
            "source": src,
            "you": buttons(request, follow=("source", src.pk), hide=(src.pk, src.name)),
            "source_feeds": src.feeds.select_related("section"),
            "page": page,
            "feeds": feed_links("source-feed", src.slug),
        },
    )


SOURCES_PER_PAGE = 50


def sources(request):
    """Every source with its feeds' health, a page at a time: those with feeds in error first, then by
    name; ``q`` finds a source by name, address or feed URL, ``state`` keeps those with a feed in that state."""
    q = request.GET.get("q", "").strip()[:200]
    state = request.GET.get("state", "")
    state = state if state in Feed.Status.values else ""
    feeds = Feed.objects.in_state(Feed.Status(state)) if state else Feed.objects.all()
    if q:
        feeds = feeds.filter(Q(url__icontains=q) | Q(source__name__icontains=q) | Q(source__site_url__icontains=q))
    chosen = Source.objects.all()
    if state:
        chosen = chosen.filter(pk__in=feeds.values("source_id"))
    elif q:  # a source of imported articles has no feed: its name alone finds it
        chosen = chosen.filter(Q(pk__in=feeds.values("source_id")) | Q(name__icontains=q))
    failing = Count("feeds", filter=Q(feeds__active=True, feeds__error_count__gt=0))
    listed = chosen.annotate(failing=failing).order_by("-failing", "name")
    page = Paginator(listed, SOURCES_PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list.prefetch_related("feeds__section"))
    counts = Feed.objects.count_states()
    return render(
        request,
        "news/sources.html",
        {
            "page": page,
            "source_count": Source.objects.count(),
            "counts": counts,
            "q": q,
            "state": state,
            "query": urlencode({k: v for k, v in (("q", q), ("state", state)) if v}),
        },
    )


def topic(request, slug):
    def find():
        return get_object_or_404(Topic.objects.select_related("merged_into"), slug=slug, hidden=False)

    def list_html(tp):
        hidden = screen.hidden_for(request)
        page = _page(request, Article.objects.latest().filter(article_topics__topic=tp), hidden)
        stories = (
            Story.objects.filter(merged_into__isnull=True, articles__article_topics__topic=tp, source_count__gte=2)
            .select_related("lead")
            .distinct()
            .order_by("-last_updated")[:10]
        )
        stories = [s for s, _ in screen.stories(screen.rules_for(request), [(s, []) for s in stories], hidden)]
        ctx = {"topic": tp, "page": page, "hidden": hidden, "stories": stories, "spark": sparkline(tp)}
        return render_to_string("news/_topic.html", ctx, request)

    return _followable(request, "topic", slug, find, list_html)


def sparkline(tp, days: int = 30, width: int = 240, height: int = 40) -> dict:
    """Mentions per day over the last ``days`` days: the points of an SVG polyline, each with its date and
    count (a tooltip on the point, and a table for screen readers and for reading the numbers)."""
    today = timezone.localdate()
    start = today - timedelta(days=days - 1)
    counts = dict(
        ArticleTopic.objects.filter(topic=tp, published_at__date__gte=start)
        .annotate(day=TruncDate("published_at"))
        .values("day")
        .annotate(n=Count("id"))
        .values_list("day", "n")
    )
    series = [(start + timedelta(days=i), counts.get(start + timedelta(days=i), 0)) for i in range(days)]
    top = max(n for _, n in series) or 1
    step = width / (days - 1)
    dots = [
        {"x": f"{i * step:.1f}", "y": f"{height - 2 - (n / top) * (height - 4):.1f}", "day": day, "n": n}
        for i, (day, n) in enumerate(series)
    ]
    return {
        "points": " ".join(f"{d['x']},{d['y']}" for d in dots),
        "dots": dots,
        "width": width,
        "height": height,
        "total": sum(n for _, n in series),
        "days": days,
        "peak": top if counts else 0,
        "first": start,
        "last": today,
        "busiest": [d for d in dots if d["n"]][-7:],
    }


ROBOTS = """User-agent: *
Disallow: /admin/
Disallow: /accounts/
Disallow: /comments/
Disallow: /moderation/
Disallow: /search/
Disallow: /u/
Disallow: /you/
Disallow: /for-you/
Disallow: /saved/

Sitemap: {sitemap}
"""


def robots(request):
    return HttpResponse(
        ROBOTS.format(sitemap=request.build_absolute_uri(reverse("sitemap"))), content_type="text/plain; charset=utf-8"
    )


def picture(request, pk, kind):
    """An article's picture from cupure's own store (cupure.news.pictures): a card's thumbnail or the article
    page's lead image. It never changes once stored, so browsers and proxies keep it a year."""
    field = {"thumb": "thumb", "lead": "lead"}.get(kind)
    row = (
        ArticlePicture.objects.filter(article_id=pk, error="").values_list(field, flat=True).first() if field else None
    )
    if not row:
        raise Http404("No picture.")
    resp = HttpResponse(bytes(row), content_type="image/webp")
    resp["Cache-Control"] = "public, max-age=31536000, immutable"
    return resp


def favicon(request):
    """Browsers and feed readers ask for /favicon.ico before they read a page's <link rel="icon">: send them
    to the icon, once and for all (a 404 there filled every first visit's log)."""
    return redirect(static("cupure/icon.svg"), permanent=True)


OPML_MAX_BYTES = 5 * 1024 * 1024


@staff_member_required
@require_POST
def sources_opml_import(request):
    """An operator subscribes to every feed of an OPML file from /sources (as `cupure import-opml` does)."""

    upload = request.FILES.get("opml")
    if upload is None:
        messages.error(request, "Choose an OPML file to import.")
    elif upload.size > OPML_MAX_BYTES:
        messages.error(request, f"{upload.name} is {upload.size:,} bytes: an OPML file is at most 5 MB here.")
    else:
        try:
            report = import_opml(upload.read())
        except SubscribeError as exc:
            messages.error(request, f"{upload.name}: {exc}")
        else:
            messages.success(request, f"{upload.name}: {report.summary()}. New feeds are polled within minutes.")
    return redirect("sources")


def sources_opml(request):
    """Every subscription as OPML 2.0, sections as categories: import it into another cupure or a feed reader."""

    resp = HttpResponse(export_opml(settings.SITE_NAME), content_type="text/x-opml; charset=utf-8")
    resp["Content-Disposition"] = 'attachment; filename="sources.opml"'
    return resp


def news_article_ld(request, art, description: str) -> str:
    """schema.org NewsArticle as JSON-LD, safe inside <script> (no "<", ">" or "&" left unescaped)."""
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": art.title[:110],
        "description": description,
        "datePublished": art.published_at.isoformat(),
        "mainEntityOfPage": request.build_absolute_uri(art.get_absolute_url()),
        "publisher": {"@type": "Organization", "name": art.source.name},
        "author": (
            {"@type": "Person", "name": art.author}
            if art.author
            else {"@type": "Organization", "name": art.source.name}
        ),
    }
    if art.url:
        data["isBasedOn"] = art.url
    if art.has_picture:
        data["image"] = [request.build_absolute_uri(reverse("picture", args=[art.pk, "lead"]))]
    if art.section:
        data["articleSection"] = art.section.name
    text = json.dumps(data, ensure_ascii=False)
    return mark_safe(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))
