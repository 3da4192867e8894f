from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cupure.sources.subscribe import SubscribeError, import_opml


class Command(BaseCommand):
    help = "Subscribe to every feed in an OPML file."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **opts):
        try:
            report = import_opml(Path(file).read_bytes())
        except OSError as exc:
            raise CommandError(f"cannot read {file}: {exc.strerror or exc}") from exc
        except SubscribeError as exc:
            raise CommandError(f"{file}: {exc}") from exc
        self.stdout.write(report.summary())
