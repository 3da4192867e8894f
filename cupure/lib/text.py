"""Tokens and shingles, shared by fingerprinting and the analysis stages."""
from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"\w+", re.UNICODE)


def fold(text: str) -> str:
    """Lower-case and strip diacritics ("Élysée" -> "elysee")."""
    text = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in text if not unicodedata.combining(c))


def tokens(text: str) -> list[str]:
    return _WORD.findall(fold(text or ""))


def shingles(words: list[str], n: int = 4) -> set[str]:
    """Word n-grams as strings; a text shorter than n words is one shingle."""
    if len(words) < n:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i:i + n]) for i in range(len(words) - n + 1)}
