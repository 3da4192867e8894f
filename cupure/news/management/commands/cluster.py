"""`cupure cluster INPUT.jsonl > OUTPUT.jsonl`: the site's story clustering over a stream of news items.

Input lines: {"id", "title", "text"?, "url"?, "source"?, "published"} in arrival order.
Output lines: {"id", "cluster"}, one per good input line, in input order; a story merged into another
reports the story it joined; the lead of each story of two or more items (as the story stands at the end
of the stream) also carries "lead": true. Bad lines are reported on stderr with their number and skipped.
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand

from cupure.analysis.stories import Replay
from cupure.analysis.streams import read_items

from ._common import line_reporter, open_input


class Command(BaseCommand):
    help = "Cluster a JSON-lines stream of news items into stories; prints {id, cluster, lead?} lines."

    def add_arguments(self, parser):
        parser.add_argument("input", help="JSON-lines file, or - for standard input")

    def handle(self, *args, input, **opts):
        stream = open_input(input)
        report = line_reporter(self, input)
        bad = 0

        def on_error(n, message):
            nonlocal bad
            bad += 1
            report(n, message)

        replay = Replay()
        with stream:
            for item in read_items(stream, on_error):
                replay.add(item)
        replay.settle()
        leads = replay.leads()
        out = self.stdout
        for i, item in enumerate(replay.items):
            row = {"id": item.id, "cluster": replay.story(i)}
            if i in leads:
                row["lead"] = True
            out.write(json.dumps(row))
        if bad:
            self.stderr.write(f"{bad} bad line(s) skipped")
