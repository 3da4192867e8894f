"""Reading the JSON-lines news streams the measuring commands take (cluster, topics, trending)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO

from cupure.lib.dates import parse_iso
from cupure.lib.jsonlines import BadLine, json_lines

from .stories import NewsItem


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
    for n, obj in json_lines(stream):
        try:
            if isinstance(obj, BadLine):
                raise obj
            yield parse_item(obj)
        except BadLine as exc:
            on_error(n, str(exc))
