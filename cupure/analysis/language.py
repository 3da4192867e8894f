"""The language of a text that does not say it, from the most common words of each language (wordfreq's lists,
shipped with the package): the language whose commonest words the text uses most is the text's.

Only languages written in the Latin alphabet are told apart: topics are read from capitalisation, which
other scripts lack or which the topic reader does not see. English stays the answer unless another
language has clear evidence: a headline of a few words ("Die Hard returns") is never enough to switch.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from wordfreq import available_languages, top_n_list

DEFAULT = "en"
COMMON_WORDS = 100  # the commonest words of each language: function words mostly ("the", "und", "của")
MIN_HITS = 3  # common words of a language a text must use before it is said to be in that language
READ_CHARS = 600  # the title and the opening of the text say the language as well as the whole would
# wordfreq's languages written in Latin script (its list also has Arabic, Cyrillic, CJK, Greek, Hebrew and
# Indic ones).
LATIN = frozenset(
    "ca cs da de en es fi fil fr hu id is it lt lv ms nb nl pl pt ro sh sk sl sv tr vi".split()
) & frozenset(available_languages())
# Words standing apart: initials ("U.S.") and model names ("S5") are no language's.
_WORD = re.compile(r"(?<![\w.])[^\W\d_]+(?:['’][^\W\d_]+)?(?![\w.])")


@lru_cache(maxsize=1)
def _languages_of_word() -> dict[str, frozenset[str]]:
    """word -> the languages among whose commonest words it is (loaded once, on the first guess)."""
    index: dict[str, set[str]] = {}
    for language in sorted(LATIN):
        for word in top_n_list(language, COMMON_WORDS):
            index.setdefault(word, set()).add(language)
    return {word: frozenset(langs) for word, langs in index.items()}


def guess_language(text: str) -> str:
    """An ISO 639-1 code for ``text`` (English when nothing says otherwise)."""
    index = _languages_of_word()
    hits: Counter = Counter()
    for word in set(_WORD.findall(text[:READ_CHARS].lower())):  # each word once: "z z z z" is no Slovak
        for language in index.get(word, ()):
            hits[language] += 1
    if not hits:
        return DEFAULT
    # Ties go to English, then to the first code in the alphabet: never to the order a process's string
    # hashing gave the words, or one headline would change language (and tags) from one run to the next.
    best, n = max(hits.items(), key=lambda item: (item[1], item[0] == DEFAULT, [-ord(c) for c in item[0]]))
    # Twice English's count, so that English text quoting a few foreign words stays English.
    if best == DEFAULT or n < MIN_HITS or n < 2 * hits[DEFAULT]:
        return DEFAULT
    return best
