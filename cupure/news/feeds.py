"""The site's feeds, each as RSS 2.0, Atom 1.0 and JSON Feed 1.1 (Django's syndication framework).

A feed class is written once, for RSS; ``formats`` derives its Atom and JSON Feed siblings, and
``feed_urls`` gives each its three URLs: ``<prefix>rss/``, ``<prefix>atom/``, ``<prefix>json/``.
"""

from __future__ import annotations

import html
import json

from django.conf import settings
from django.contrib.syndication import views as syndication
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import feedgenerator
from django.utils.feedgenerator import SyndicationFeed, rfc3339_date
from django.views.decorators.cache import cache_page

from cupure.lib.text import xml_safe
from cupure.sources.models import Source

from .models import Article, Section, Story, Topic
from .stories import top_stories

FEED_SIZE = 50


def plain_title(text: str) -> str:
    """A title as feeds carry it: plain text by every format's spec, yet some readers render it as HTML, so no
    angle brackets reach them (a headline about "<script>" still reads as one)."""
    return " ".join(text.replace("<", "‹").replace(">", "›").split())


def text_as_html(text: str) -> str:
    """Plain text (summaries, stored without markup) for a field that feeds carry as HTML: escaped, so that
    an upstream "<img onerror=…>" that was text when it came in is text for every reader of our feeds."""
    return f"<p>{html.escape(text)}</p>" if text else ""


def _cleaned(value):
    if isinstance(value, str):
        return xml_safe(value)
    if isinstance(value, (list, tuple)):
        return type(value)(_cleaned(v) for v in value)
    return value


class _CleanFields:
    """Every feed format's generator: no string it writes holds a character XML forbids (a query, a
    comment or a title with U+0001 would otherwise make the whole document invalid), and titles are plain."""

    def __init__(self, *args, **kwargs):
        super().__init__(*(_cleaned(a) for a in args), **{k: _cleaned(v) for k, v in kwargs.items()})
        self.feed["title"] = plain_title(self.feed["title"])

    def add_item(self, title, link, description, *args, **kwargs):
        super().add_item(
            plain_title(xml_safe(title)),
            _cleaned(link),
            _cleaned(description),
            *(_cleaned(a) for a in args),
            **{k: _cleaned(v) for k, v in kwargs.items()},
        )


class RssFeed(_CleanFields, feedgenerator.Rss201rev2Feed):
    pass


class AtomFeed(_CleanFields, feedgenerator.Atom1Feed):
    pass


class Feed(syndication.Feed):
    """Django's Feed, writing through the cleaning generators (RSS unless a subclass picks another)."""

    feed_type = RssFeed


class JSONFeed(_CleanFields, SyndicationFeed):
    """JSON Feed 1.1 (https://jsonfeed.org/version/1.1)."""

    content_type = "application/feed+json; charset=utf-8"

    def write(self, outfile, encoding):
        feed = {
            "version": "https://jsonfeed.org/version/1.1",
            "title": self.feed["title"],
            "home_page_url": self.feed["link"],
            "feed_url": self.feed.get("feed_url") or self.feed["link"],
            "description": self.feed.get("description") or "",
            "language": self.feed.get("language") or "en",
            "items": [self._item(item) for item in self.items],
        }
        outfile.write(json.dumps(feed, ensure_ascii=False, indent=1))

    @staticmethod
    def _item(item: dict) -> dict:
        out = {
            "id": item.get("unique_id") or item["link"],
            "url": item["link"],
            "title": item["title"],
            "content_html": item.get("description") or "",
        }
        if item.get("pubdate"):
            out["date_published"] = rfc3339_date(item["pubdate"])
        if item.get("updateddate"):
            out["date_modified"] = rfc3339_date(item["updateddate"])
        if item.get("author_name"):
            out["authors"] = [{"name": item["author_name"]}]
        if item.get("categories"):
            out["tags"] = list(item["categories"])
        return out


def formats(rss_class: type[Feed]) -> dict[str, Feed]:
    """The RSS feed class and its Atom and JSON Feed siblings, as view instances."""
    atom = type(f"{rss_class.__name__}Atom", (rss_class,), {"feed_type": AtomFeed, "subtitle": rss_class.description})
    as_json = type(f"{rss_class.__name__}JSON", (rss_class,), {"feed_type": JSONFeed})
    return {"rss": rss_class(), "atom": atom(), "json": as_json()}


def feed_urls(prefix: str, rss_class: type[Feed], name: str, cache_seconds: int = 0) -> list:
    """URL patterns ``<prefix>rss/``, ``<prefix>atom/`` and ``<prefix>json/``, named ``<name>-rss`` and so on;
    ``cache_seconds``: serve a rendered feed that long (one everybody reads, that takes work to make)."""

    def wrap(view):
        return cache_page(cache_seconds)(view) if cache_seconds else view

    return [path(f"{prefix}{fmt}/", wrap(view), name=f"{name}-{fmt}") for fmt, view in formats(rss_class).items()]


FORMATS = (
    ("rss", "RSS", "application/rss+xml"),
    ("atom", "Atom", "application/atom+xml"),
    ("json", "JSON Feed", "application/feed+json"),
)


def feed_links(name: str, *args, query: str = "") -> list[dict]:
    """For templates: a page's feeds, as <link rel="alternate"> and visible links (base.html shows both)."""

    return [
        {"label": label, "type": mime, "url": reverse(f"{name}-{fmt}", args=args) + query}
        for fmt, label, mime in FORMATS
    ]


class ArticleItems:
    """How an article reads as a feed item."""

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return text_as_html(item.summary or item.text[:600])

    def item_link(self, item):
        return item.get_absolute_url()

    def item_guid(self, item):
        return self.request_root + item.get_absolute_url()

    def item_pubdate(self, item):
        return item.published_at

    def item_author_name(self, item):
        return item.author or item.source.name

    def item_categories(self, item):
        return [item.section.name] if item.section else []

    def __call__(self, request, *args, **kwargs):
        self.request_root = request.build_absolute_uri("/")[:-1]
        return super().__call__(request, *args, **kwargs)


class LatestFeed(ArticleItems, Feed):
    """Articles newest first, from ``articles(obj)``."""

    def items(self, obj):
        return self.articles(obj).select_related("source", "section").order_by("-published_at", "-id")[:FEED_SIZE]


class TopStoriesFeed(Feed):
    """The home page's top stories: each item a story, linking to its page, with its lead's summary."""

    def title(self):
        return f"Top stories · {settings.SITE_NAME}"

    def link(self):
        return "/"

    def description(self):
        return "The stories most sources are covering now."

    def items(self):
        return top_stories(limit=FEED_SIZE)

    def item_title(self, story):
        return story.headline

    def item_description(self, story):
        lead = story.lead
        summary = (lead.summary or lead.text[:400]) if lead else ""
        return text_as_html(f"{summary} ({story.source_count} sources)".strip())

    def item_link(self, story):
        return story.get_absolute_url()

    def item_pubdate(self, story):
        return story.first_seen

    def item_updateddate(self, story):
        return story.last_updated

    def item_categories(self, story):
        return [story.section.name] if story.section else []


class NamedFeed(LatestFeed):
    """A feed of one named thing's articles (a section, topic, source or story), titled and linked after it.

    A subclass names the model, the lookup that finds its visible rows by slug, the article field that points
    at it and the preposition of its description ("in" a section, "about" a topic, "from" a source)."""

    model: type
    shown: dict = {}
    article_field: str
    preposition: str

    def get_object(self, request, slug):
        return get_object_or_404(self.model, slug=slug, **self.shown)

    def title(self, obj):
        return f"{obj} · {settings.SITE_NAME}"

    def link(self, obj):
        return obj.get_absolute_url()

    def description(self, obj):
        return f"The latest articles {self.preposition} {obj.name}."

    def articles(self, obj):
        return Article.objects.visible().filter(**{self.article_field: obj})


class SectionFeed(NamedFeed):
    model, article_field, preposition = Section, "section", "in"


class TopicFeed(NamedFeed):
    model, article_field, preposition = Topic, "article_topics__topic", "about"
    shown = {"hidden": False, "merged_into__isnull": True}


class SourceFeed(NamedFeed):
    model, article_field, preposition = Source, "source", "from"


class StoryFeed(NamedFeed):
    """A story's coverage, newest first: follow an event as more sources report it."""

    model, article_field = Story, "story"

    def get_object(self, request, pk):
        return get_object_or_404(Story, pk=pk)

    def __call__(self, request, *args, **kwargs):
        story = get_object_or_404(Story, pk=kwargs.get("pk"))
        if story.merged_into_id:  # the event lives on under another story: so does its feed
            return redirect(
                request.path.replace(f"/story/{story.pk}/", f"/story/{story.merged_into_id}/", 1), permanent=True
            )
        return super().__call__(request, *args, **kwargs)

    def description(self, story):
        return f"Every source's coverage of “{story.headline}”."
