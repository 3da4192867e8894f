"""Tokens and shingles, shared by fingerprinting and the analysis stages."""
from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"\w+", re.UNICODE)
# Combining marks left by NFKD decomposition (Latin, Greek, Cyrillic diacritics and the like).
_MARKS = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")


def fold(text: str) -> str:
    """Lower-case and strip diacritics ("Élysée" -> "elysee")."""
    text = text.lower()
    if text.isascii():  # most news text: nothing to decompose
        return text
    return _MARKS.sub("", unicodedata.normalize("NFKD", text))


def tokens(text: str) -> list[str]:
    return _WORD.findall(fold(text or ""))


def shingles(words: list[str], n: int = 4) -> set[str]:
    """Word n-grams as strings; a text shorter than n words is one shingle."""
    if len(words) < n:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i:i + n]) for i in range(len(words) - n + 1)}


def unique_slug(queryset, text: str, fallback: str, max_length: int = 180) -> str:
    """A slug of ``text`` that no row of ``queryset`` has yet: "name", then "name-2", "name-3"..."""
    from django.utils.text import slugify

    base = slugify(text)[:max_length] or fallback
    slug, n = base, 2
    while queryset.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug
