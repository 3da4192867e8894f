""" "Did you mean": a spelling the site knows, for a search that found nothing.

What the site knows how to spell is its topics' names (people, places, organisations, key phrases: what
readers search for), most mentioned first. A whole query close to a topic's name suggests the name ("mya
angelo" -> "Maya Angelou"); otherwise each word that is no topic word is replaced by the closest one that
is ("obsity rates" -> "obesity rates").
"""

from __future__ import annotations

import difflib

from django.core.cache import cache

from cupure.lib.text import fold, tokens
from cupure.news.models import Topic

NAMES = 5000  # the most mentioned topics' names are the vocabulary
CACHE_SECONDS = 600
WHOLE_CUTOFF = 0.8
WORD_CUTOFF = 0.8


def _vocabulary() -> tuple[dict[str, str], list[str]]:
    """(folded name -> name as written, topic words), cached a while: names change slowly."""
    cached = cache.get("cupure:suggest-vocabulary")
    if cached is None:
        names = list(
            Topic.objects.filter(hidden=False, merged_into__isnull=True)
            .order_by("-mentions")
            .values_list("name", flat=True)[:NAMES]
        )
        by_fold = {}
        for n in names:
            by_fold.setdefault(fold(n), n)
        words = sorted({w for n in names for w in tokens(n) if len(w) > 2})
        cached = (by_fold, words)
        cache.set("cupure:suggest-vocabulary", cached, CACHE_SECONDS)
    return cached


def suggest(text: str) -> str:
    """A respelling of ``text`` made of names and words the site knows, or "" when there is none."""
    words = tokens(text)
    if not words or len(words) > 6:
        return ""
    by_fold, vocabulary = _vocabulary()
    whole = " ".join(words)
    close = difflib.get_close_matches(whole, list(by_fold), n=1, cutoff=WHOLE_CUTOFF)
    if close and close[0] != whole:
        return by_fold[close[0]]
    known = set(vocabulary)
    out, changed = [], False
    for w in words:
        if w in known or len(w) < 4:
            out.append(w)
            continue
        near = difflib.get_close_matches(w, vocabulary, n=1, cutoff=WORD_CUTOFF)
        out.append(near[0] if near else w)
        changed |= bool(near)
    return " ".join(out) if changed else ""
