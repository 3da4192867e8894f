"""A search as a feed, so a feed reader can follow a query (Django's syndication framework)."""
from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse

from .engine import search

FEED_SIZE = 50


class SearchFeed(Feed):
    """The newest articles matching ``?q=``, newest first."""

    def get_object(self, request):
        return request.GET.get("q", "")[:500]

    def title(self, q):
        return f"“{q}” · {settings.SITE_NAME}" if q else f"Search · {settings.SITE_NAME}"

    def link(self, q):
        return f"{reverse('search')}?{urlencode({'q': q})}"

    def description(self, q):
        return f"The newest articles matching “{q}”."

    def items(self, q):
        return [hit.article for hit in search(q, sort="date", per_page=FEED_SIZE).hits]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary or item.text[:500]

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return item.published_at

    def item_author_name(self, item):
        return item.author or item.source.name

    def item_categories(self, item):
        return [item.section.name] if item.section else []

