"""Highlighted titles and snippets, computed here rather than by the engines so both look the same.

Pure: no ORM. Output is HTML-escaped text with matches wrapped in <mark>; safe to render as is.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

import Stemmer

from cupure.lib.text import fold

from .query import Term, has_cjk

_WORD = re.compile(r"\w+")
# The engines' own stemmers: SQLite's FTS5 tokenizer is Porter's original algorithm, PostgreSQL's
# english_stem is Snowball English (Porter 2). A word is marked when either would match it, so what is
# marked is what either engine found ("elections" marks "election" and "elected").
_STEMMERS = (Stemmer.Stemmer("porter"), Stemmer.Stemmer("english"))


@lru_cache(maxsize=65536)
def stems(word: str) -> tuple[str, ...]:
    """``word``'s stems under each engine's stemmer (``word`` folded to lower case, no diacritics)."""
    return tuple(s.stemWord(word) for s in _STEMMERS)


class Marker:
    """Knows which words and substrings of a text the query's terms match."""

    def __init__(self, terms: list[Term]):
        self.exact: set[str] = set()
        self.prefixes: list[str] = []
        self.stems: set[tuple[int, str]] = set()
        self.substrings: list[str] = []
        for term in terms:
            for i, word in enumerate(term.words):
                w = fold(word)
                if has_cjk(w):
                    self.substrings.append(w)
                elif term.prefix and i == len(term.words) - 1:
                    self.prefixes.append(w)
                else:
                    self.exact.add(w)
                    self.stems.update(enumerate(stems(w)))

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Sorted, non-overlapping (start, end) character spans to mark."""
        out = []
        for m in _WORD.finditer(text):
            w = fold(m.group())
            if (
                w in self.exact
                or any(w.startswith(p) for p in self.prefixes)
                or any(pair in self.stems for pair in enumerate(stems(w)))
            ):
                out.append(m.span())
        if self.substrings:
            low = text.lower()
            for sub in self.substrings:
                start = low.find(sub)
                while start != -1 and len(out) < 1000:
                    out.append((start, start + len(sub)))
                    start = low.find(sub, start + len(sub))
        out.sort()
        merged: list[tuple[int, int]] = []
        for s, e in out:
            if merged and s <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
            else:
                merged.append((s, e))
        return merged


def mark(text: str, spans: list[tuple[int, int]], start: int = 0, end: int | None = None) -> str:
    end = len(text) if end is None else end
    out, pos = [], start
    for s, e in spans:
        if e <= start or s >= end:
            continue
        s, e = max(s, start), min(e, end)
        out.append(html.escape(text[pos:s]))
        out.append(f"<mark>{html.escape(text[s:e])}</mark>")
        pos = e
    out.append(html.escape(text[pos:end]))
    return "".join(out)


def title(text: str, marker: Marker) -> str:
    return mark(text, marker.spans(text))


def snippet(text: str, marker: Marker, width: int = 240) -> str:
    """About ``width`` characters of ``text`` around its densest cluster of matches, marked."""
    text = " ".join((text or "").split())
    if len(text) <= width:
        return mark(text, marker.spans(text))
    # The densest window: the one starting at a match that covers the most other matches.
    spans = marker.spans(text[:200_000])
    best, best_count = 0, 0
    j = 0
    for i, (s, _) in enumerate(spans):
        while j < len(spans) and spans[j][1] <= s + width:
            j += 1
        if j - i > best_count:
            best, best_count = s, j - i
    start = max(0, best - width // 4) if best_count else 0
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < best else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    return ("…" if start else "") + mark(text, spans, start, end) + ("…" if end < len(text) else "")
