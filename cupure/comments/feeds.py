"""An article's comments as RSS (Django's syndication framework)."""

from __future__ import annotations

import html

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.utils.html import strip_tags
from django.utils.text import Truncator

from cupure.news.feeds import Feed
from cupure.news.models import Article

from .models import Comment


class ArticleCommentsFeed(Feed):
    def get_object(self, request, pk):
        return get_object_or_404(Article, pk=pk)

    def title(self, article):
        return f"Comments on “{article.title}” · {settings.SITE_NAME}"

    def link(self, article):
        return f"{article.get_absolute_url()}#comments"

    def description(self, article):
        return f"Readers' comments on “{article.title}”, newest first."

    def items(self, article):
        return Comment.objects.public().filter(article=article).select_related("author").order_by("-created_at")[:100]

    def item_title(self, item):
        # Plain text (Feed's generator also keeps angle brackets out of every title).
        text = " ".join(html.unescape(strip_tags(item.html)).split())
        return f"{item.author.username}: {Truncator(text).chars(80)}"

    def item_description(self, item):
        return item.html

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return item.created_at

    def item_author_name(self, item):
        return item.author.username
