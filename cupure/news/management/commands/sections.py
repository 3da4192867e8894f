"""`cupure sections --train LABELLED.jsonl INPUT.jsonl > OUTPUT.jsonl`: the site's section model.

Trains on {"id", "title", "text"?, "section"} lines as the site would and writes {"id", "section",
"confidence"} for each line of INPUT ({"id", "title", "text"?}). Bad lines are reported with their number.
"""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from cupure.analysis.sections import SectionModel


def read(path: str, need_section: bool, on_error):
    try:
        f = sys.stdin if path == "-" else open(path, encoding="utf-8", errors="replace")
    except OSError as exc:
        raise CommandError(f"cannot read {path}: {exc.strerror or exc}") from exc
    with f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except ValueError as exc:
                on_error(path, n, f"not valid JSON ({exc})")
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
