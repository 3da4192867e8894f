"""Reading the JSON-lines news streams the measuring commands take (cluster, topics, trending)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import IO

from cupure.lib.dates import parse_iso

from .stories import NewsItem


class BadLine(ValueError):
    pass


def parse_item(obj) -> NewsItem:
    if not isinstance(obj, dict):
        raise BadLine("expected a JSON object")
    ident = obj.get("id")
    if ident is None or isinstance(ident, (dict, list)) or str(ident) == "":
        raise BadLine("'id' is missing")
    title = obj.get("title")
    if not isinstance(title, str):
        raise BadLine("'title' must be a string")
    published = obj.get("published")
    if not isinstance(published, str):
        raise BadLine("'published' (ISO 8601) is missing")
    when = parse_iso(published)
    if when is None:
        raise BadLine(f"'published' is not ISO 8601: {published[:40]!r}")

    def opt(name):
        value = obj.get(name)
        return value if isinstance(value, str) else ""

    return NewsItem(id=ident, title=title, published=when, text=opt("text"), url=opt("url"), source=opt("source"))


def read_items(stream: IO[str], on_error) -> Iterator[NewsItem]:
    """Items of a JSON-lines stream; a bad line goes to ``on_error(line_number, message)`` and is skipped."""
    for n, line in enumerate(stream, 1):
        if not line.strip():
            continue
        try:
            yield parse_item(json.loads(line))
        except (ValueError, BadLine) as exc:
            on_error(n, str(exc) if isinstance(exc, BadLine) else f"not valid JSON ({exc})")


def open_text(path: str):
    """A JSON-lines input for a command: a file, or standard input for "-". Raises OSError."""
    import sys

    return sys.stdin if path == "-" else open(path, encoding="utf-8", errors="replace")
