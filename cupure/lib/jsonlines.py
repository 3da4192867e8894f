"""JSON lines in: the one reader behind every command that takes them (`cupure import`, `cluster`, `top`,
`topics`, `trending`, `sections`)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from typing import IO


class BadLine(ValueError):
    """A line a command cannot use; the message says why, and the line is skipped."""


def json_lines(stream: IO) -> Iterator[tuple[int, object]]:
    """(line number, value) for each non-blank line of a text or binary stream. A line that is not JSON comes
    as a BadLine in place of its value, so that the caller reports it and goes on."""
    for n, line in enumerate(stream, 1):
        if not line.strip():
            continue
        try:
            yield n, json.loads(line)
        except (ValueError, UnicodeDecodeError) as exc:
            yield n, BadLine(f"not valid JSON ({exc})")


def open_lines(path: str) -> IO[str]:
    """A JSON-lines input as text: a file, or standard input for "-". Raises OSError."""
    return sys.stdin if path == "-" else open(path, encoding="utf-8", errors="replace")
