"""`cupure import FILE`: JSON lines (url, title, source, published, text or html, section?) or WARC files."""

from __future__ import annotations

import sys
import time

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

PROGRESS_EVERY = 10.0  # seconds between progress lines when stderr is no terminal


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
        tty = sys.stderr.isatty()
        started = last_said = time.monotonic()
        with stream, tqdm(items, unit=unit, disable=quiet or not tty, file=sys.stderr) as bar:
            for n, item in bar:
                if not quiet and not tty and time.monotonic() - last_said >= PROGRESS_EVERY:
                    # Into a log or a pipe, no bar: a line now and then says it is working, and how fast.
                    last_said = time.monotonic()
                    self.stderr.write(
                        f"{file}: {n - 1:,} {unit}s read in {last_said - started:.0f} s: {report.summary()}"
                    )
                try:
                    if isinstance(item, Exception):
                        raise item
                    import_item(item, report)
                except BadLine as exc:  # a line that is no JSON, or no article (BadItem)
                    report.errors.append(f"{unit} {n}: {exc}")
                    self.stderr.write(f"{file}: {unit} {n}: {exc} (skipped)")
        self.stdout.write(report.summary())
