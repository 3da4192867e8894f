"""`cupure sections --train LABELLED.jsonl INPUT.jsonl > OUTPUT.jsonl`: the site's section model.

Trains on {"id", "title", "text"?, "section"} lines as the site would and writes {"id", "section",
"confidence"} for each line of INPUT ({"id", "title", "text"?}). Bad lines are reported with their number.
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from cupure.analysis.sections import SectionModel
from cupure.lib.jsonlines import BadLine, json_lines

from ._common import open_input


def read(path: str, need_section: bool, on_error):
    with open_input(path) as f:
        for n, obj in json_lines(f):
            if isinstance(obj, BadLine):
                on_error(path, n, str(obj))
                continue
            if not isinstance(obj, dict) or "id" not in obj or not isinstance(obj.get("title"), str):
                on_error(path, n, "expected an object with 'id' and 'title'")
                continue
            text = obj.get("text") if isinstance(obj.get("text"), str) else ""
            section = obj.get("section")
            if need_section and (not isinstance(section, str) or not section.strip()):
                on_error(path, n, "'section' is missing")
                continue
            yield obj["id"], obj["title"], text, (section.strip() if need_section else None)


class Command(BaseCommand):
    help = "Train the section model on labelled articles and classify others; prints {id, section, confidence}."

    def add_arguments(self, parser):
        parser.add_argument("--train", required=True, metavar="LABELLED.jsonl")
        parser.add_argument("input", metavar="INPUT.jsonl")

    def handle(self, *args, train, input, **opts):
        def on_error(path, n, message):
            self.stderr.write(f"{path}: line {n}: {message} (skipped)")

        labelled = list(read(train, True, on_error))
        try:
            model = SectionModel().fit([(t, x) for _, t, x, _ in labelled], [s for *_, s in labelled])
        except ValueError as exc:
            raise CommandError(f"{train}: {exc}") from exc
        items = list(read(input, False, on_error))
        for (ident, *_), (section, confidence) in zip(items, model.predict([(t, x) for _, t, x, _ in items])):
            self.stdout.write(json.dumps({"id": ident, "section": section, "confidence": round(confidence, 4)}))
