"""`cupure top INPUT.jsonl --every 1d > TOP.jsonl`: replays a stream through the site's clustering and
top-stories ranking.

At the end of each period of the stream's own clock it writes {"at": "YYYY-MM-DD", "stories": [[ids...],
...]}: the top stories as the home page would rank them then (at most 20), best first, each as its member
items' ids. Stories are consolidated before each ranking, as the site does after each batch.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from django.core.management.base import BaseCommand, CommandError

from cupure.analysis.stories import Replay
from cupure.analysis.streams import read_items

from ._common import line_reporter, open_input


def parse_every(text: str) -> timedelta:
    """ "1d", "12h", "30m" as a timedelta; CommandError otherwise."""
    units = {"d": "days", "h": "hours", "m": "minutes"}
    try:
        n, unit = int(text[:-1]), units[text[-1]]
        if n < 1:
            raise ValueError
    except (ValueError, KeyError, IndexError):
        raise CommandError(f"--every: expected a period like 1d, 12h or 30m, not {text!r}") from None
    return timedelta(**{unit: n})


class Command(BaseCommand):
    help = "Replay a JSON-lines stream; print the top stories at the end of each period."

    def add_arguments(self, parser):
        parser.add_argument("input", help="JSON-lines file, or - for standard input")
        parser.add_argument("--every", default="1d", help="period between rankings: 1d (default), 12h, 30m")
        parser.add_argument("--limit", type=int, default=20, help="stories per ranking (default 20)")

    def handle(self, *args, input, every, limit, **opts):
        period = parse_every(every)
        stream = open_input(input)
        replay = Replay()
        epoch = datetime(1970, 1, 1, tzinfo=UTC)
        current = None

        def emit(boundary: datetime):
            replay.settle()
            stories = [[replay.items[i].id for i in members] for members in replay.top(limit)]
            self.stdout.write(
                json.dumps({"at": (boundary - timedelta(microseconds=1)).date().isoformat(), "stories": stories})
            )

        with stream:
            for item in read_items(stream, line_reporter(self, input)):
                end = epoch + ((item.published - epoch) // period + 1) * period  # end of the item's period
                if current is not None and end > current:
                    emit(current)
                current = end if current is None else max(current, end)
                replay.add(item)
        if current is not None:
            emit(current)
