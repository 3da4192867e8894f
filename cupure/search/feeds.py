"""A search as a feed, so a feed reader can follow a query (Django's syndication framework)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse

from cupure.news.feeds import FEED_SIZE, ArticleItems, Feed

from .engine import search


class SearchFeed(ArticleItems, Feed):
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
