"""`cupure topics INPUT.jsonl > OUTPUT.jsonl`: the site's topic extraction, {"id", "topics": [display names]}.

Topics are ranked by rarity in the stream read so far (the site learns the same way from its own articles);
a bad line is reported with its number and skipped.
"""
from __future__ import annotations

import json
import sys
from collections import Counter

from django.core.management.base import BaseCommand, CommandError

from cupure.analysis.streams import read_items
from cupure.analysis.topics import TopicNamer, item_topics, top_topics


class Command(BaseCommand):
    help = "Print the topics (people, places, organisations, key phrases) of each item of a JSON-lines stream."

    def add_arguments(self, parser):
        parser.add_argument("input", help="JSON-lines file, or - for standard input")
        parser.add_argument("--limit", type=int, default=6, help="topics per item (default 6)")

    def handle(self, *args, input, limit, **opts):
        try:
            stream = sys.stdin if input == "-" else open(input, encoding="utf-8", errors="replace")
        except OSError as exc:
            raise CommandError(f"cannot read {input}: {exc.strerror or exc}") from exc

        def on_error(n, message):
            self.stderr.write(f"{input}: line {n}: {message} (skipped)")

        df: Counter = Counter()
        namer = TopicNamer()
        n_docs = 0
        with stream:
            for item in read_items(stream, on_error):
                topics = item_topics(item.title, item.text)
                namer.see(topics)
                n_docs += 1
                df.update(topics.keys())
                keys = top_topics(topics, df, n_docs, limit)
                self.stdout.write(json.dumps({"id": item.id, "topics": [namer.name(k) for k in keys]},
                                             ensure_ascii=False))
