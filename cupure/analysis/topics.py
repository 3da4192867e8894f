"""Topics of an article: names (people, places, organisations) and key phrases, with no model to download.

- Names: runs of capitalised words inside sentences of the text ("European
  Central Bank", "Peaches Geldof"), and in headlines written in sentence case.
  Title Case headlines capitalise every word, so there capitalisation says
  nothing and only the key terms are used.
- Key terms: the headline's content words (stopwords removed), and adjacent
  pairs of them, which trending ranks against their own history.
- Common words of the article's language (wordfreq's frequency lists) are no
  topic on their own, as a headline word or as a lone capitalised word.
- Variants collapse to one topic key: case and diacritics folded, possessives
  ("Trump's" -> Trump) and plurals dropped, and a small editable alias table
  ("U.S." = "United States"). The display name is the most common surface form.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from wordfreq import available_languages, zipf_frequency

from cupure.lib.text import fold

from .stories import stem

ALIASES = {
    "u.s.": "United States",
    "us": "United States",
    "usa": "United States",
    "u.s.a.": "United States",
    "america": "United States",
    "united states of america": "United States",
    "uk": "United Kingdom",
    "u.k.": "United Kingdom",
    "britain": "United Kingdom",
    "great britain": "United Kingdom",
    "eu": "European Union",
    "e.u.": "European Union",
    "un": "United Nations",
    "u.n.": "United Nations",
    "nyc": "New York City",
    "fed": "Federal Reserve",
    "ecb": "European Central Bank",
}
# English function words and headline filler: never a topic on their own.
STOPWORDS = frozenset(
    """
a about above after again against all also am an and any are as at be because been before being below between
both but by can could did do does doing down during each few for from further had has have having he her here
hers herself him himself his how i if in into is it its itself just me more most my myself no nor not now of off
on once only or other our ours ourselves out over own same she should so some such than that the their theirs
them themselves then there these they this those through to too under until up very was we were what when where
which while who whom why will with would you your yours yourself yourselves says said say new news via amid
after over vs one two first last year years week day days today time get gets make makes may might could us
report reports update updates live watch video photos photo exclusive breaking read more
hundred hundreds thousand thousands million millions billion billions trillion trillions percent per cent
""".split()
)

# Capitalised words that start sentences or headlines without naming anything: the stopwords minus the words
# that begin real names ("New York", "US", "First Republic").
NOT_NAMES = (STOPWORDS - {"new", "us", "one", "two", "first", "last", "live", "time", "day", "week", "year"}) | {
    "mr",
    "mrs",
    "ms",
    "dr",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "april",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "but",
    "and",
    "the",
    "this",
    "it",
}
# Word frequencies of the article's language (wordfreq's own lists, shipped with the package), on the Zipf
# scale: 6 is "know", 5 "leave" or "ways", 4 "ukraine", 3 "ebola". A word at or above COMMON is no topic on
# its own, as a headline word ("need", "things", "end") or a lone capitalised one ("Die", "Leave" from a
# film's title); below it the names readers follow stay ("Apple" 4.8, "Google" and "Obama" 4.9), which
# frequency cannot tell from "billion" (4.75): number words are in STOPWORDS.
COMMON = 5.0
_LANGUAGES = frozenset(available_languages())


@lru_cache(maxsize=200_000)
def frequency(word: str, language: str = "en") -> float:
    """Zipf frequency of ``word`` in ``language`` (English when the language has no list); 0 for unknown words."""
    lang = language if language in _LANGUAGES else "en"
    return zipf_frequency(word, lang)


_TOKEN = re.compile(r"[A-Za-z\u00C0-\u024F][\w.'’&-]*|\d[\w.,]*")
_SENTENCE_END = re.compile(r"[.!?:;\"“”]\s*$")


def topic_key(phrase: str, aliases: dict[str, str] | None = None) -> str:
    """The normalised key of a topic: folded words, possessives and plurals dropped, aliases resolved
    (``aliases``: lower-cased alias -> name; the built-in ALIASES when None)."""
    alias = (ALIASES if aliases is None else aliases).get(phrase.strip().lower())
    if alias:
        phrase = alias
    words = []
    for w in re.findall(r"[^\W_]+(?:['’]s)?", fold(phrase)):
        w = re.sub(r"['’]s$", "", w)
        words.append(stem(w))
    return " ".join(words)


def _clean_surface(word: str) -> str:
    word = re.sub(r"['’]s$", "", word.strip(".,:;!?\"'“”()[]"))
    return word


def is_title_case(title: str) -> bool:
    words = [w for w in title.split()[1:] if w[:1].isalpha() and w.lower() not in STOPWORDS]
    # "iPhone" counts as capitalised: brand spellings are not sentence case.
    return bool(words) and sum(any(c.isupper() for c in w) for w in words) >= 0.8 * len(words)


def names_in(
    text: str, sentence_case: bool = True, aliases: dict[str, str] | None = None, language: str = "en"
) -> list[str]:
    """Capitalised runs that are not just the first word of a sentence, nor one common word of the language."""
    aliases = ALIASES if aliases is None else aliases
    out: list[str] = []
    run: list[str] = []
    run_at_start = False
    prev = ""

    def flush():
        # A lone capitalised word that opens a sentence is just capitalised ("Talks ended..."); a run that
        # goes on ("Donald Trump said...") is a name wherever it stands.
        if run and not (run_at_start and len(run) == 1):
            out.append(" ".join(run))

    for tok in _TOKEN.findall(text):
        starts = not prev or bool(_SENTENCE_END.search(prev))
        clean = _clean_surface(tok)
        low = clean.lower().rstrip(".")
        capital = clean[:1].isupper() and low not in NOT_NAMES
        if capital:
            if not run:
                run_at_start = starts
            # Aliases resolve word by word inside a name: "U.S. Congress" -> "United States Congress".
            run.append(aliases.get(low, aliases.get(low + ".", clean)) if len(low) <= 4 else clean)
        elif run and low in ("of", "de", "van", "von", "al", "bin") and prev[:1].isupper():
            run.append(low)
        else:
            flush()
            run = []
        prev = tok
    flush()
    cleaned = []
    for name in out:
        parts = name.split()
        while parts and parts[-1] in ("of", "de", "van", "von", "al", "bin"):
            parts.pop()
        if len(parts) == 1 and (len(parts[0]) < 2 or frequency(parts[0].lower(), language) >= COMMON):
            continue
        if parts and (len(parts) > 1 or len(parts[0]) > 2 or parts[0].isupper()):
            cleaned.append(" ".join(parts))
    return cleaned if sentence_case else []


def title_terms(title: str, aliases: dict[str, str] | None = None, language: str = "en") -> list[tuple[str, str]]:
    """(key, surface) of the headline's content words, in order. A word common in the language is kept for
    the pairs it makes ("interest rates") but marked as no topic of its own (see ItemTopics.common)."""
    aliases = ALIASES if aliases is None else aliases
    out = []
    for tok in _TOKEN.findall(title):
        surface = _clean_surface(tok)
        low = surface.lower()
        if not surface or low in STOPWORDS or len(low) < 2 or low.replace(".", "").isdigit():
            continue
        key = topic_key(surface, aliases)
        if key and key not in STOPWORDS:
            out.append((key, aliases.get(low, surface)))
    return out


@dataclass
class ItemTopics:
    """Topic keys of one article and the surface forms seen for them."""

    names: dict[str, str] = field(default_factory=dict)  # key -> surface
    terms: dict[str, str] = field(default_factory=dict)  # key -> surface (words and adjacent pairs)
    common: set[str] = field(default_factory=set)  # term keys too common in the language to tag alone

    def keys(self) -> set[str]:
        return set(self.names) | set(self.terms)

    def surface(self, key: str) -> str:
        return self.names.get(key) or self.terms.get(key) or key


def item_topics(title: str, text: str = "", aliases: dict[str, str] | None = None, language: str = "") -> ItemTopics:
    """``aliases``: lower-cased alias -> name (the built-in ALIASES when None; the site adds operators' own);
    ``language``: the article's (an ISO 639-1 code; English frequencies when unknown)."""
    aliases = ALIASES if aliases is None else aliases
    language = (language or "en")[:2].lower()
    topics = ItemTopics()
    names = names_in(title, not is_title_case(title), aliases, language) + names_in(
        " ".join(text.split()[:400]), True, aliases, language
    )
    for name in names:
        surface = aliases.get(name.lower(), name)
        key = topic_key(surface, aliases)
        if key and key not in STOPWORDS:
            topics.names.setdefault(key, surface)
    terms = title_terms(title, aliases)
    for key, surface in terms:
        topics.terms.setdefault(key, surface)
        if " " not in surface and max(frequency(surface.lower(), language), frequency(key, language)) >= COMMON:
            topics.common.add(key)
    for (k1, s1), (k2, s2) in zip(terms, terms[1:]):
        topics.terms.setdefault(f"{k1} {k2}", f"{s1} {s2}")
    return topics


class TopicNamer:
    """Keeps, across a stream, the most common surface form of each topic key (the display name)."""

    def __init__(self):
        self.forms: dict[str, Counter] = {}

    def see(self, topics: ItemTopics) -> None:
        for key in topics.keys():
            self.forms.setdefault(key, Counter())[topics.surface(key)] += 1

    def name(self, key: str) -> str:
        forms = self.forms.get(key)
        if not forms:
            return key
        return forms.most_common(1)[0][0]


# A headline word tagged in more than this share of the items so far is too general to tag (once 1,000
# items are in): a backstop behind the word frequencies of the language (COMMON), which do most of the work.
KEY_TERM_MAX_SHARE = 0.02
TOPICS_PER_ARTICLE = 8
TEXT_CHARS = 4000  # topics are read from this much of an article's text


def tag_batch(
    batch: list[ItemTopics], mentions: Counter, n_tagged: int, limit: int = TOPICS_PER_ARTICLE
) -> list[list[str]]:
    """The site's tagging of one batch of items: each item's top topics, weighed by rarity against how often
    each topic was tagged before (``mentions``, over ``n_tagged`` items) and in this batch. Both the site's
    tagging job and `cupure trending` call this, so the bar replays what the site tags."""
    df = Counter(mentions)
    for topics in batch:
        df.update(topics.keys())
    n_docs = n_tagged + len(batch)
    return [top_topics(topics, df, n_docs, limit) for topics in batch]


class StreamTagger:
    """The site's tagging over a stream, one item at a time (`cupure topics`, `cupure trending`): each item's
    tags count as mentions for the items after it, as stored tags do on the site."""

    def __init__(self, limit: int = TOPICS_PER_ARTICLE):
        self.limit = limit
        self.mentions: Counter = Counter()
        self.tagged = 0
        self.namer = TopicNamer()

    def tag(self, title: str, text: str, language: str = "") -> list[str]:
        topics = item_topics(title, text[:TEXT_CHARS], language=language)
        self.namer.see(topics)
        keys = tag_batch([topics], self.mentions, self.tagged, self.limit)[0]
        self.mentions.update(keys)
        self.tagged += 1
        return keys


def top_topics(topics: ItemTopics, df: Counter, n_docs: int, limit: int = 6) -> list[str]:
    """The item's most informative topic keys: names first, then terms, by rarity in the stream so far."""
    import math

    def idf(key):
        return math.log((n_docs + 10) / (df.get(key, 0) + 1))

    names = sorted(topics.names, key=idf, reverse=True)
    # Key terms must be rare to say something (once the stream is long enough to tell): "dies", "wrong" no.
    rare = (lambda k: df.get(k, 0) <= KEY_TERM_MAX_SHARE * n_docs) if n_docs >= 1000 else (lambda k: True)
    words = sorted(
        (k for k in topics.terms if " " not in k and k not in topics.names and k not in topics.common and rare(k)),
        key=idf,
        reverse=True,
    )
    chosen: list[str] = []
    for key in names + words:
        if any(key in c.split() or key == c for c in chosen) or any(c in key.split() for c in chosen):
            continue
        chosen.append(key)
        if len(chosen) == limit:
            break
    return chosen
