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


# Words a headline in Title Case leaves lower-case: articles, conjunctions, short prepositions (English and the
# Latin-script languages the site reads). Counting them would call "Bank of the Year" sentence case.
TITLE_MINOR = frozenset(
    """
a an the and or but nor for of on in at to by with from as into onto upon over via vs per than off up out about
after before under amid against between through during without within is are was be de la le les des du et en
el los las y del da do dos das em e para com por der die das und von zu im mit van het een di il con al au aux
""".split()
)


def is_title_case(title: str) -> bool:
    """Whether ``title`` capitalises its words as a Title Case headline does ("Apple Buys Beats for $3 Billion"),
    so that a capital inside it says nothing of a name. The first word and minor words do not count; "iPhone"
    counts as capitalised (a brand's spelling, not sentence case)."""
    words = [w for w in title.split()[1:] if w[:1].isalpha() and w.lower() not in TITLE_MINOR]
    return bool(words) and sum(any(c.isupper() for c in w) for w in words) >= 0.8 * len(words)


def tokens(text: str) -> list[str]:
    return _WORD.findall(fold(text or ""))


def shingles(words: list[str], n: int = 4) -> set[str]:
    """Word n-grams as strings; a text shorter than n words is one shingle."""
    if len(words) < n:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + n]) for i in range(len(words) - n + 1)}
