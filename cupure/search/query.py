"""The search query language, parsed into a plain structure both engines compile.

    words             every word must appear (stems and diacritics folded by the engine)
    "exact phrase"    the words in this order; an unclosed quote runs to the end
    -word, -"phrase"  must not appear
    a OR b            either (OR in capitals, between two terms)
    prefix*           any word starting with it
    section:world  source:bbc  topic:"palestinian state"  since:2025-01-01  until:2025-01-31
    -source:bbc       leave a source, section or topic out

Anything else is read as words: punctuation and the syntax of the engines underneath (NEAR(, column:,
^, +, parentheses) is never passed through, so no input can make a query fail. Pure: no ORM here.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from cupure.lib.dates import clamp_day

MAX_CHARS = 500
MAX_TERMS = 12
MAX_WORD = 64
FILTER_KEYS = ("section", "source", "topic", "since", "until")

_TOKEN = re.compile(
    r'(?P<neg>-?)(?:(?P<key>[A-Za-z]+):(?:"(?P<fquoted>[^"]*)"?|(?P<fbare>[^\s"]+))?'
    r'|"(?P<phrase>[^"]*)"?'
    r'|(?P<bare>[^\s"]+))'
)
_WORD = re.compile(r"\w+")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


def has_cjk(text: str) -> bool:
    """Chinese, Japanese or Korean script: text that is not split into words by spaces."""
    return bool(_CJK.search(text))


@dataclass(frozen=True)
class Term:
    """One word, or a phrase of several; ``prefix``: the last word may continue."""

    words: tuple[str, ...]
    prefix: bool = False

    @property
    def text(self) -> str:
        return " ".join(self.words)

    @property
    def cjk(self) -> bool:
        return any(has_cjk(w) for w in self.words)

    def __str__(self):
        body = f'"{self.text}"' if len(self.words) > 1 else self.text
        return body + ("*" if self.prefix else "")


@dataclass
class Query:
    """``groups``: every group must match, by any one of its terms (AND of ORs). ``excluded``: none may."""

    groups: list[list[Term]] = field(default_factory=list)
    excluded: list[Term] = field(default_factory=list)
    section: str = ""
    source: str = ""
    topic: str = ""
    not_section: str = ""
    not_source: str = ""
    not_topic: str = ""
    since: date | None = None
    until: date | None = None
    notices: list[str] = field(default_factory=list)

    @property
    def terms(self) -> list[Term]:
        """The terms to look for (and to highlight)."""
        return [t for g in self.groups for t in g]

    @property
    def has_filters(self) -> bool:
        return bool(
            self.section
            or self.source
            or self.topic
            or self.not_section
            or self.not_source
            or self.not_topic
            or self.since
            or self.until
        )

    @property
    def empty(self) -> bool:
        return not self.groups and not self.has_filters

    @property
    def cjk(self) -> bool:
        return any(t.cjk for t in self.terms + self.excluded)

    def without(self, name: str) -> str:
        """This query as text, less one filter (``"section"``) or all of them (``"filters"``): for "try without"."""
        parts = [" OR ".join(str(t) for t in g) for g in self.groups]
        parts += [f"-{t}" for t in self.excluded]
        if name != "filters":
            for key in ("section", "source", "topic", "since", "until"):
                for neg, attr in (("", key), ("-", f"not_{key}")):
                    value = getattr(self, attr, None)
                    if value and key != name:
                        parts.append(f"{neg}{key}:{_quote(str(value))}")
        return " ".join(parts)


def _quote(value: str) -> str:
    return f'"{value}"' if " " in value else value


def clean(text: str) -> str:
    """NFKC, no control or format characters, single spaces, at most MAX_CHARS."""
    text = unicodedata.normalize("NFKC", text or "")
    text = "".join(" " if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Zl", "Zp") else ch for ch in text)
    return " ".join(text.split())[:MAX_CHARS].strip()


def _date(value: str, end: bool) -> date | None:
    """YYYY-MM-DD, YYYY-MM or YYYY; ``end``: the last day of a month or year."""
    m = re.fullmatch(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", value)
    if not m:
        return None
    y, mo, d = int(m[1]), m[2] and int(m[2]), m[3] and int(m[3])
    if not 1900 <= y < 9000:  # outside what is believed (cupure.lib.dates): the nearest bound
        return clamp_day(date(max(y, 1), 1, 1))
    try:
        if d:
            return clamp_day(date(y, mo, d))
        if mo:
            first = date(y, mo, 1)
            if not end:
                return first
            nxt = date(y + (mo == 12), mo % 12 + 1, 1)
            return date.fromordinal(nxt.toordinal() - 1)
        return date(y, 12, 31) if end else date(y, 1, 1)
    except ValueError:
        return None


def _term(chunk: str, allow_prefix: bool) -> Term | None:
    words = tuple(w[:MAX_WORD] for w in _WORD.findall(chunk))
    if not words:
        return None
    return Term(words, prefix=allow_prefix and chunk.rstrip().endswith("*") and not has_cjk(words[-1]))


def parse(text: str) -> Query:
    """Parse what a reader typed. Never raises; what it had to ignore is explained in ``notices``."""
    q = Query()
    raw = text or ""
    text = clean(raw)
    if len(" ".join(raw.split())) > MAX_CHARS:
        q.notices.append(f"Your search was shortened to its first {MAX_CHARS} characters.")
    pending_or = False
    dropped = 0
    for m in _TOKEN.finditer(text):
        neg = bool(m["neg"])
        key = (m["key"] or "").lower()
        if m["key"] is not None and key in FILTER_KEYS:
            value = clean(m["fquoted"] if m["fquoted"] is not None else m["fbare"] or "")
            _set_filter(q, key, value, neg)
            pending_or = False
            continue
        value = m["fquoted"] if m["fquoted"] is not None else m["fbare"] or ""
        if m["key"] is not None and value.strip():
            # "title:foo" reads as a filter cupure does not have: say so, and search what it was to find.
            q.notices.append(
                f"“{m['key']}:” is not a filter (there are {', '.join(f'{k}:' for k in FILTER_KEYS)});"
                f" “{value}” was searched for."
            )
            chunk = value
        elif m["key"] is not None:
            chunk = m["key"]
        elif m["phrase"] is not None:
            chunk = m["phrase"]
        else:
            chunk = m["bare"]
        if not neg and chunk == "OR" and m["phrase"] is None:
            pending_or = bool(q.groups)
            continue
        term = _term(chunk, allow_prefix=m["phrase"] is None)
        if term is None:
            continue
        if len(q.terms) + len(q.excluded) >= MAX_TERMS:
            dropped += 1
            continue
        if neg:
            q.excluded.append(term)
        elif pending_or:
            q.groups[-1].append(term)
        else:
            q.groups.append([term])
        pending_or = False
    if dropped:
        q.notices.append(f"Only the first {MAX_TERMS} words and phrases were searched; {dropped} more were left out.")
    if q.excluded and not q.groups:
        shown = " ".join(f"-{t}" for t in q.excluded)
        q.notices.append(f"“{shown}” only says what to leave out: add a word to search for.")
        q.excluded = []
    if q.since and q.until and q.since > q.until:
        q.notices.append("since: comes after until:, so no article can match; the dates were swapped.")
        q.since, q.until = q.until, q.since
    return q


def _set_filter(q: Query, key: str, value: str, neg: bool) -> None:
    if not value:
        q.notices.append(f"{key}: needs a value, for example {key}:{_EXAMPLES[key]}.")
        return
    if key in ("since", "until"):
        when = _date(value, end=(key == "until"))
        if when is None or neg:
            q.notices.append(f"{key}:{value} was ignored: write a date like {key}:{_EXAMPLES[key]}.")
            return
        setattr(q, key, when)
        return
    setattr(q, f"not_{key}" if neg else key, value)


_EXAMPLES = {
    "section": "world",
    "source": "bbc",
    "topic": '"european union"',
    "since": "2025-01-31",
    "until": "2025-01-31",
}
