"""`cupure topics INPUT.jsonl > OUTPUT.jsonl`: the site's topic extraction, {"id", "topics": [display names]}.

Topics are ranked by rarity in the stream read so far (the site learns the same way from its own articles);
a bad line is reported with its number and skipped.
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand

from cupure.analysis.streams import read_items
from cupure.analysis.topics import StreamTagger

from ._common import line_reporter, open_input


class Command(BaseCommand):
    help = "Print the topics (people, places, organisations, key phrases) of each item of a JSON-lines stream."

    def add_arguments(self, parser):
        parser.add_argument("input", help="JSON-lines file, or - for standard input")
        parser.add_argument("--limit", type=int, default=6, help="topics per item (default 6)")

    def handle(self, *args, input, limit, **opts):
        stream = open_input(input)

        on_error = line_reporter(self, input)

        tagger = StreamTagger(limit)
        with stream:
            for item in read_items(stream, on_error):
                keys = tagger.tag(item.title, item.text)
                self.stdout.write(
                    json.dumps({"id": item.id, "topics": [tagger.namer.name(k) for k in keys]}, ensure_ascii=False)
                )
