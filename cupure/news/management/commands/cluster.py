"""`cupure cluster INPUT.jsonl > OUTPUT.jsonl`: the site's story clustering over a stream of news items.

Input lines: {"id", "title", "text"?, "url"?, "source"?, "published"} in arrival order.
Output lines: {"id", "cluster"}, one per good input line, in input order; a story merged into another
reports the story it joined. Bad lines are reported on stderr with their number and skipped.
"""
from __future__ import annotations

import json

from django.core.management.base import BaseCommand

from cupure.analysis.stories import StoryClusterer
from cupure.analysis.streams import read_items

from ._common import open_input


class Command(BaseCommand):
    help = "Cluster a JSON-lines stream of news items into stories; prints {id, cluster} lines."

    def add_arguments(self, parser):
        parser.add_argument("input", help="JSON-lines file, or - for standard input")

    def handle(self, *args, input, **opts):
        stream = open_input(input)
        bad = 0

        def on_error(n, message):
            nonlocal bad
            bad += 1
            self.stderr.write(f"{input}: line {n}: {message} (skipped)")

        clusterer = StoryClusterer()
        assigned: list[tuple[str, int]] = []
        with stream:
            for item in read_items(stream, on_error):
                assigned.append((item.id, clusterer.add(item)))
        clusterer.settle()
        out = self.stdout
        for ident, story in assigned:
            out.write(json.dumps({"id": ident, "cluster": clusterer.resolve(story)}))
        if bad:
            self.stderr.write(f"{bad} bad line(s) skipped")
