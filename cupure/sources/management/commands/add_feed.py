from django.core.management.base import BaseCommand, CommandError

from cupure.sources.subscribe import SubscribeError, add_feed


class Command(BaseCommand):
    help = "Subscribe to a feed, or to the feed a web page advertises."

    def add_arguments(self, parser):
        parser.add_argument("url")
        parser.add_argument("--section", default="", help="default section for its articles (e.g. world)")

    def handle(self, *args, url, section, **opts):
        try:
            feed = add_feed(url, section)
        except SubscribeError as exc:
            raise CommandError(str(exc)) from exc
        where = f" in {feed.section.name}" if feed.section else ""
        self.stdout.write(f"subscribed to {feed.title or feed.url} ({feed.url}){where}, source {feed.source.name}")
