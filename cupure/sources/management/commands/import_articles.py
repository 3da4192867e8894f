"""`cupure import FILE`: JSON lines (url, title, source, published, text or html, section?) or WARC files."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from cupure.lib.jsonlines import BadLine, json_lines
from cupure.sources.importer import (
    ImportReport,
    import_item,
    is_warc,
    iter_warc,
    open_input,
)


class Command(BaseCommand):
    help = "Import articles from a JSON-lines file or a WARC file of news pages."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--quiet", action="store_true", help="no progress bar")

    def handle(self, *args, file, quiet, **opts):
        try:
            stream = open_input(file)
            head = stream.read(8)
            stream.seek(0)
        except OSError as exc:
            raise CommandError(f"cannot read {file}: {exc.strerror or exc}") from exc
        report = ImportReport()
        items = iter_warc(stream) if is_warc(file, head) else json_lines(stream)
        unit = "record" if is_warc(file, head) else "line"
        with stream, tqdm(items, unit=unit, disable=quiet or not sys.stderr.isatty(), file=sys.stderr) as bar:
            for n, item in bar:
                try:
                    if isinstance(item, Exception):
                        raise item
                    import_item(item, report)
                except BadLine as exc:  # a line that is no JSON, or no article (BadItem)
                    report.errors.append(f"{unit} {n}: {exc}")
                    self.stderr.write(f"{file}: {unit} {n}: {exc} (skipped)")
        self.stdout.write(report.summary())
