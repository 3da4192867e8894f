"""A reader's personal feeds (For you, and Read later) at a secret address, in RSS, Atom and JSON Feed: any
feed reader app can follow them without signing in. The address is reset from the settings page."""

from __future__ import annotations

from django.conf import settings

from cupure.accounts.models import Profile
from cupure.news.feeds import Feed, text_as_html
from cupure.news.models import Article, Story

from . import foryou
from .models import Mute, Saved
from .views import reader_for_key

FEED_SIZE = 50


class _Personal(Feed):
    """A reader's feed: items each an article or a story (``thing``), the feed titled by ``heading``."""

    heading: str  # formatted with the reader's username

    def get_object(self, request, key):
        return reader_for_key(key)

    def __call__(self, request, *args, **kwargs):
        self.request_root = request.build_absolute_uri("/")[:-1]
        return super().__call__(request, *args, **kwargs)

    def title(self, user):
        return f"{self.heading.format(username=user.username)} · {settings.SITE_NAME}"

    def thing(self, item) -> Article | Story:
        raise NotImplementedError

    def item_title(self, item):
        thing = self.thing(item)
        return thing.headline if isinstance(thing, Story) else thing.title

    def item_link(self, item):
        return self.thing(item).get_absolute_url()

    def item_guid(self, item):
        return self.request_root + self.item_link(item)


class ForYouFeed(_Personal):
    """What For you shows, without marking anything seen: a feed reader polling is not the reader looking."""

    heading = "For {username}"
    link = "/for-you/"
    description = "Stories from the topics, sources, sections and stories you follow, then the top stories."

    def items(self, user):
        rules = Mute.rules_for(user)
        entries = foryou.followed(user, rules, since=Profile.of(user).for_you_seen_at)
        return (entries + foryou.top_up(entries, rules))[:FEED_SIZE]

    def thing(self, e):
        return e.story or e.article

    def item_description(self, e):
        lead = e.story.lead if e.story else e.article
        why = f"You follow {', '.join(e.why)}." if e.why else "A top story."
        summary = lead.summary if lead else ""
        sources = f" ({e.story.source_count} sources)" if e.story else ""
        return text_as_html(f"{summary}{sources} {why}".strip())

    def item_pubdate(self, e):
        return e.latest


class SavedFeed(_Personal):
    heading = "Read later · {username}"
    link = "/saved/"
    description = "The articles and stories you saved to read later."

    def items(self, user):
        return Saved.objects.filter(user=user).select_related("article__source", "story__lead")[:FEED_SIZE]

    def thing(self, s):
        return s.article or s.story

    def item_description(self, s):
        lead = s.article or s.story.lead
        return text_as_html(lead.summary if lead else "")

    def item_pubdate(self, s):
        return s.created_at
