"""`cupure trending INPUT.jsonl --every 1d > BARS.jsonl`: replay a stream through the site's topic and
trending code and write the bar at the end of each period: {"at": "YYYY-MM-DD", "topics": [...]}.

Each item is tagged as the site's tagging job tags it (``tag_batch``: its top topics against the mentions
so far) and counted on the bar by those tags, in the story the site's clusterer puts it in."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from cupure.analysis.stories import StoryClusterer
from cupure.analysis.streams import read_items
from cupure.analysis.topics import StreamTagger
from cupure.analysis.trending import TrendCounter

from ._common import line_reporter, open_input


class Command(BaseCommand):
    help = "Replay a news stream and print the trending bar at the end of each day."

    def add_arguments(self, parser):
        parser.add_argument("input", help="JSON-lines stream, or - for standard input")
        parser.add_argument("--every", default="1d", help="period between bars; only 1d (daily) is supported")

    def handle(self, *args, input, every, **opts):
        if every not in ("1d", "day", "24h"):
            raise CommandError(f"--every {every!r}: only daily bars (1d) are supported")
        stream = open_input(input)

        on_error = line_reporter(self, input)

        counter, tagger, clusterer = TrendCounter(), StreamTagger(), StoryClusterer()
        days: list[str] = []

        def close(day):
            # As the site: consolidation settles after each batch, and a merged story's articles are counted
            # in the story that absorbed it.
            clusterer.settle()
            counter.regroup(day, clusterer.resolve)
            bar = counter.story_bar(day, days[:-1])
            self.stdout.write(json.dumps({"at": day, "topics": [tagger.namer.name(t.key) for t in bar]}))

        with stream:
            for item in read_items(stream, on_error):
                day = item.published.date().isoformat()
                if not days or day > days[-1]:
                    if days:
                        close(days[-1])
                        counter.forget_before(days[max(0, len(days) - counter.baseline_days)])
                    days.append(day)
                keys = tagger.tag(item.title, item.text)
                story = clusterer.add(item)
                counter.add(
                    day if day >= days[-1] else days[-1], item.source or str(item.id), item.id, set(keys), story=story
                )
        if days:
            close(days[-1])
