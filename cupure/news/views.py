"""Reader pages. Function views: parse the request, ask the models, render."""
from __future__ import annotations

from datetime import timedelta

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from cupure.comments.thread import context as comment_thread
from cupure.sources.models import Source

from .models import Article, ArticleTopic, Section, Story, Topic
from .stories import other_coverage, top_stories

PAGE_SIZE = 30


def _page(request, queryset):
    paginator = Paginator(queryset, PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


def home(request):
    # Articles that belong to no multi-source story still appear, in the latest list under the top stories.
    page = _page(request, Article.objects.latest().filter(Q(story__isnull=True) | Q(story__source_count__lt=2)))
    top = []
    if page.number == 1:
        top = [(s, other_coverage(s)) for s in top_stories()]
    return render(request, "news/home.html", {"page": page, "top": top})


def story(request, pk):
    st = get_object_or_404(Story.objects.select_related("lead__source", "section"), pk=pk)
    if st.merged_into_id:
        return redirect(st.merged_into, permanent=True)
    articles = list(st.articles.filter(duplicate_of__isnull=True).select_related("source").order_by("published_at"))
    by_source: dict = {}
    for a in articles:
        by_source.setdefault(a.source, []).append(a)
    coverage = sorted(by_source.items(), key=lambda kv: kv[1][0].published_at)
    related = (Story.objects.filter(merged_into__isnull=True, section=st.section, source_count__gte=2)
               .exclude(pk=st.pk).order_by("-last_updated")[:5]) if st.section_id else []
    return render(request, "news/story.html", {"story": st, "coverage": coverage, "timeline": articles,
                                               "related": related, **comment_thread(request, st)})


def section(request, slug):
    sec = get_object_or_404(Section, slug=slug)
    page = _page(request, Article.objects.latest().filter(section=sec))
    top = [(s, other_coverage(s)) for s in top_stories(limit=8, section=sec)] if page.number == 1 else []
    return render(request, "news/section.html", {"section": sec, "page": page, "top": top})


def article(request, pk):
    art = get_object_or_404(Article.objects.select_related("source", "section", "duplicate_of"), pk=pk)
    if art.duplicate_of_id:
        # A copy of a wire story is shown once: on its original's page.
        return redirect(art.duplicate_of)
    copies = art.copies.select_related("source").order_by("published_at")
    topics = Topic.objects.filter(article_topics__article=art, hidden=False)
    return render(request, "news/article.html", {"article": art, "copies": copies, "topics": topics,
                                                 **comment_thread(request, art)})


def source(request, slug):
    src = get_object_or_404(Source, slug=slug)
    page = _page(request, Article.objects.latest().filter(source=src))
    return render(request, "news/source.html", {"source": src, "feeds": src.feeds.select_related("section"),
                                                "page": page})


def sources(request):
    srcs = list(Source.objects.prefetch_related("feeds__section").order_by("name"))
    feeds = [f for s in srcs for f in s.feeds.all()]
    return render(request, "news/sources.html", {"sources": srcs, "feed_count": len(feeds),
                                                 "error_count": sum(1 for f in feeds if f.error_count)})


def topic(request, slug):
    tp = get_object_or_404(Topic, slug=slug, hidden=False)
    if tp.merged_into_id:
        return redirect(tp.merged_into, permanent=True)
    articles = Article.objects.latest().filter(article_topics__topic=tp)
    page = _page(request, articles)
    stories = (Story.objects.filter(merged_into__isnull=True, articles__article_topics__topic=tp, source_count__gte=2)
               .distinct().order_by("-last_updated")[:10])
    return render(request, "news/topic.html", {"topic": tp, "page": page, "stories": stories,
                                               "spark": sparkline(tp)})


def sparkline(tp, days: int = 30, width: int = 240, height: int = 40) -> dict:
    """Mentions per day over the last ``days`` days, as the points of an SVG polyline."""
    today = timezone.now().date()
    start = today - timedelta(days=days - 1)
    counts = dict(ArticleTopic.objects.filter(topic=tp, published_at__date__gte=start)
                  .annotate(day=TruncDate("published_at")).values("day").annotate(n=Count("id")).values_list("day", "n"))
    series = [counts.get(start + timedelta(days=i), 0) for i in range(days)]
    top = max(series) or 1
    step = width / (days - 1)
    points = " ".join(f"{i * step:.1f},{height - 2 - (n / top) * (height - 4):.1f}" for i, n in enumerate(series))
    return {"points": points, "width": width, "height": height, "total": sum(series), "days": days,
            "peak": max(series)}
