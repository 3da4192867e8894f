"""Mute rules: what a reader asked not to see. Pure code, no database.

A muted phrase matches whole words, in any case and with or without diacritics: "crypto" hides "Crypto
crash" and "CRYPTO: prices", not "cryptography"; "élysée" hides "Elysee palace". A hidden source hides
everything that source published. Rules are read from a headline and a summary, the text a reader sees
in a list.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from cupure.lib.text import tokens

MAX_PHRASE_WORDS = 8


def phrase_words(phrase: str) -> tuple[str, ...]:
    """The folded words a phrase matches, () when it has none (punctuation only)."""
    return tuple(tokens(phrase))


@dataclass(frozen=True)
class MuteRules:
    """One reader's mutes. ``phrases`` maps each phrase as the reader wrote it to its folded words."""

    phrases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    sources: dict[int, str] = field(default_factory=dict)  # hidden source id -> its name

    def __bool__(self) -> bool:
        return bool(self.phrases or self.sources)

    @cached_property
    def fingerprint(self) -> str:
        """The same for every reader with the same rules ("" for none): what they are shown is the same."""
        if not self:
            return ""
        phrases = "\n".join(sorted(" ".join(w) for w in self.phrases.values()))
        text = phrases + "|" + ",".join(map(str, sorted(self.sources)))
        return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()

    def reason(self, title: str, summary: str = "", source_id: int | None = None) -> str | None:
        """Why an item is hidden ("muted: 'crypto'", "hidden source: Fox News"), or None if it is shown."""
        if source_id is not None and source_id in self.sources:
            return f"hidden source: {self.sources[source_id]}"
        return self.phrase_reason(f"{title}\n{summary}")

    def phrase_reason(self, text: str) -> str | None:
        if not self.phrases:
            return None
        words = tokens(text)
        present = set(words)
        for phrase, want in self.phrases.items():
            if want and want[0] in present and _contains(words, want):
                return f"muted: '{phrase}'"
        return None


@lru_cache(maxsize=1024)
def rules_of(rows: tuple[tuple[int | None, str | None, str], ...]) -> MuteRules:
    """The rules of a reader's mutes as stored, ``(hidden source id, its name, phrase)`` rows: the same
    object for the same rows, so that what every page a signed-in reader opens asks of their rules (the
    phrases' words, the fingerprint) is worked out once, not at each request."""
    phrases: dict[str, tuple[str, ...]] = {}
    sources: dict[int, str] = {}
    for source_id, name, phrase in rows:
        if source_id:
            sources[source_id] = name
        else:
            phrases[phrase] = phrase_words(phrase)
    return MuteRules(phrases=phrases, sources=sources)


def _contains(words: list[str], want: tuple[str, ...]) -> bool:
    if len(want) == 1:
        return True  # the caller checked the one word is present
    n = len(want)
    first = want[0]
    return any(words[i] == first and tuple(words[i : i + n]) == want for i in range(len(words) - n + 1))
