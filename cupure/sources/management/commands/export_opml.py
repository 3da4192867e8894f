from django.conf import settings
from django.core.management.base import BaseCommand

from cupure.sources.subscribe import export_opml


class Command(BaseCommand):
    help = "Print every subscribed feed as OPML 2.0."

    def handle(self, *args, **opts):
        self.stdout.write(export_opml(settings.SITE_NAME), ending="")
