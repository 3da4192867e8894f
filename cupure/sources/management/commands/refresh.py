from django.core.management.base import BaseCommand, CommandError

from cupure.sources.models import Feed
from cupure.sources.refresh import Outcome, refresh_feed


class Command(BaseCommand):
    help = "Refresh one feed (by id or URL) or all feeds now, in this process."

    def add_arguments(self, parser):
        parser.add_argument("feed", nargs="?", help="feed id or URL; all active feeds when left out")

    def handle(self, *args, feed=None, **opts):
        if feed:
            qs = Feed.objects.filter(pk=int(feed)) if feed.isdigit() else Feed.objects.filter(url=feed)
            if not qs.exists():
                raise CommandError(f"no feed {feed!r} (see `cupure export-opml` for the list)")
        else:
            qs = Feed.objects.filter(active=True)
        failed = 0
        for f in qs.select_related("source", "section"):
            report = refresh_feed(f)
            if report.status == Outcome.ERROR:
                failed += 1
                self.stdout.write(f"{f.url}: error: {report.error}")
            elif report.status == Outcome.BUSY:
                self.stdout.write(f"{f.url}: skipped, another worker is refreshing it")
            else:
                self.stdout.write(
                    f"{f.url}: {report.status}, {report.new_articles} new, "
                    f"{report.duplicates} near-duplicates, {report.linked} already stored"
                )
        if feed and failed:
            raise CommandError("the feed could not be refreshed")
