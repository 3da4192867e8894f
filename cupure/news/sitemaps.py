"""Sitemaps for search engines (Django's sitemaps framework), including a Google News sitemap."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.http import Http404
from django.utils import timezone

from cupure.lib.text import xml_safe

from .models import Article, Section, Story, Topic

NEWS_WINDOW = timedelta(hours=48)  # Google News sitemaps list articles of the last two days only


class DatedSitemap(Sitemap):
    """A sitemap whose entries carry their last change in the field ``dated_by`` (none: no <lastmod>)."""

    limit = 10_000  # entries a page (the protocol allows 50,000)
    dated_by = ""

    def lastmod(self, item):
        return getattr(item, self.dated_by) if self.dated_by else None


class ArticleSitemap(DatedSitemap):
    changefreq = "never"
    dated_by = "published_at"

    def items(self):
        return Article.objects.visible().only("id", "published_at").order_by("-published_at", "-id")


class NewsSitemap(DatedSitemap):
    """The last 48 hours' articles with their <news:news> details (template sitemaps/news.xml)."""

    limit = 1000  # the most a Google News sitemap may hold
    dated_by = "published_at"

    def items(self):
        since = timezone.now() - NEWS_WINDOW
        articles = list(
            Article.objects.visible()
            .filter(published_at__gte=since)
            .select_related("source")
            .only("id", "title", "published_at", "language", "source__name")
            .order_by("-published_at")[: self.limit]
        )
        for article in articles:  # the template writes titles as they are: nothing XML forbids in them
            article.title = xml_safe(article.title)
        return articles


class StorySitemap(DatedSitemap):
    changefreq = "hourly"
    dated_by = "last_updated"

    def items(self):
        return (
            Story.objects.filter(merged_into__isnull=True, source_count__gte=2)
            .only("id", "last_updated")
            .order_by("-last_updated")
        )


class TopicSitemap(DatedSitemap):
    changefreq = "daily"

    def items(self):
        return (
            Topic.objects.filter(hidden=False, merged_into__isnull=True, mentions__gte=2)
            .only("slug")
            .order_by("-mentions", "id")
        )


class SectionSitemap(Sitemap):
    changefreq = "hourly"
    priority = 0.8

    def items(self):
        return Section.objects.all()


SITEMAPS = {
    "news": NewsSitemap,
    "articles": ArticleSitemap,
    "stories": StorySitemap,
    "topics": TopicSitemap,
    "sections": SectionSitemap,
}


def index(request):
    return sitemap_views.index(request, SITEMAPS, sitemap_url_name="sitemap-section")


def section(request, section):
    if section not in SITEMAPS:
        raise Http404("No such sitemap.")
    template = "sitemaps/news.xml" if section == "news" else "sitemap.xml"
    return sitemap_views.sitemap(request, SITEMAPS, section=section, template_name=template)
