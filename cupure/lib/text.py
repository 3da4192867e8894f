"""Tokens and shingles, shared by fingerprinting and the analysis stages."""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"\w+", re.UNICODE)
# Combining marks left by NFKD decomposition (Latin, Greek, Cyrillic diacritics and the like).
_MARKS = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")


# Characters XML 1.0 cannot carry (section 2.2): C0 controls other than tab, newline and carriage return,
# lone surrogates, U+FFFE and U+FFFF. One of them in a title makes a whole RSS, Atom, sitemap or OPML
# document invalid, so they are dropped as text comes in and again as it goes out.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids."""
    return _NOT_XML.sub("", text) if text else text


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
    return {" ".join(words[i : i + n]) for i in range(len(words) - n + 1)}
