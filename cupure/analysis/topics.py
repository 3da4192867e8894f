"""Topics of an article: names (people, places, organisations, works) and key terms, with no model to download.

- Names: runs of capitalised words inside sentences of the text ("European Central Bank", "Peaches
  Geldof"), and of headlines written in sentence case. A run ends at a sentence's end, a line break or
  punctuation ("Station (ISS)"), and loses the roles written before it ("Sen. Roy Blunt").
- Title Case headlines capitalise every word, so their capitals say nothing. There the stream's own case
  evidence decides (CaseBook: how its sentences write each word): a run of headline words that the stream
  writes as one name is a name ("Game of Thrones", "Lena Dunham"), and a lone headline word is a topic
  only if the stream mostly writes it capitalised ("Ukraine", not "banana"). Before a word has been seen
  inside a sentence, the language's word frequencies (wordfreq's lists) decide instead.
- Key phrases: two headline words the stream writes together, in lower case, often and in a good share of
  the uses of the rarer one ("climate change", "net neutrality"; not "weak data").
- One topic per thing: a name that is part of a longer one in the same article ("Space Station",
  "Handler") or its initials ("ISS") fold into it.
- Variants collapse to one topic key: case and diacritics folded, possessives ("Trump's" -> Trump) and
  plurals dropped, and a small editable alias table ("U.S." = "United States"). The display name is the most
  common surface form written in sentences.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from wordfreq import available_languages, zipf_frequency

from cupure.lib.text import fold, is_title_case

from .language import guess_language
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

# Nationalities written as names ("Russian troops", "Americans"): an adjective or a people, never a thing to
# follow by itself (the country, "Russia", is). Names that begin with one stay whole ("Chinese New Year",
# "American Idol"). "Republican" is not here: its key is the key of "Republicans", the party's members.
DEMONYMS = frozenset(
    """
afghan albanian algerian american andorran angolan argentine argentinian armenian australian austrian azerbaijani
bahraini bangladeshi belarusian belgian bolivian bosnian brazilian british bulgarian burmese cambodian cameroonian
canadian chilean chinese colombian congolese croatian cuban cypriot czech danish dominican dutch ecuadorian
egyptian emirati english eritrean estonian ethiopian european african asian arab arabian latino hispanic filipino
finnish french georgian german ghanaian greek guatemalan haitian honduran hungarian icelandic indian indonesian
iranian iraqi irish israeli italian ivorian jamaican japanese jordanian kazakh kenyan korean kosovar kurdish
kuwaiti kyrgyz laotian latvian lebanese liberian libyan lithuanian luxembourgish macedonian malagasy malaysian
malian maltese mexican moldovan mongolian montenegrin moroccan mozambican namibian nepalese nepali nicaraguan
nigerian nigerien norwegian omani pakistani palestinian panamanian paraguayan persian peruvian polish portuguese
qatari romanian russian rwandan salvadoran scottish senegalese serbian singaporean slovak slovenian somali
spanish sudanese swedish swiss syrian taiwanese tajik tanzanian thai tibetan tunisian turkish turkmen ugandan
ukrainian uruguayan uzbek venezuelan vietnamese welsh yemeni zambian zimbabwean democratic
""".split()
) | {"north korean", "south korean", "south african", "new zealander", "sri lankan", "saudi arabian", "sierra leonean"}

# Capitalised words that start sentences or headlines without naming anything: the stopwords minus the words
# that begin real names ("New York", "US", "First Republic").
NOT_NAMES = (STOPWORDS - {"new", "us", "one", "two", "first", "last", "live", "time", "day", "week", "year"}) | {
    "mr",
    "mrs",
    "former",  # "Former New York City Mayor Michael Bloomberg": of the role, never of a name
    "inc",
    "corp",
    "ltd",
    "llc",
    "plc",
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
    "jan",
    "feb",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "pm",
    "gmt",
    "but",
    "and",
    "the",
    "this",
    "it",
}
# Roles written before a name ("President Donald Trump", "Missouri Sen. Roy Blunt", "Wayne County Prosecutor
# Kym Worthy", "Ông Lộc"): the topic is the person, so a name loses everything up to its last role word. Vietnamese
# writes a place's kind before it the same way ("TP Bạc Liêu" city, "TX." town, "Q." district, "P." ward).
ROLES = frozenset(
    """
president vice speaker sen senator rep representative gov governor mayor judge secretary minister premier
chancellor commissioner ceo chairman chairwoman spokesman spokeswoman sheriff prosecutor attorney sgt sergeant
lt lieutenant mp leader editor ông bà tp tx q p
""".split()
)
# Words that are roles before a person's name and also begin names of their own ("General Motors", "Captain
# America", "Justice League"): a role only where a name of two words or more follows ("Police Chief Dean
# Esserman", "Attorney General Merrick Garland").
NAME_ROLES = frozenset(
    """
prime chief justice director officer detective capt captain gen general col colonel coach executive majority
minority
""".split()
)
# The last words of organisations' names: a run ending in one is no person, so a word of NAME_ROLES at its
# start begins the name ("General Motors Company", "General Dynamics Corporation"), no role.
ORGANISATION_ENDS = frozenset(
    """
company corporation group holdings industries association foundation institute university college council
committee party club league union agency bank airlines airways partners coalition caucus conference convention
""".split()
)
_ANY_ROLE = ROLES | NAME_ROLES
# A party's member, singular, is an adjective or a person's label ("Tory MP", "Arizona Republican", "a
# Democrat"): no topic by itself, and not part of the name it follows. The plural names the party's members
# as a group ("Republicans", "Senate Democrats") and stays.
PARTY_MEMBERS = frozenset("republican democrat tory conservative liberal libertarian socialist".split())
_LABELS = ROLES | PARTY_MEMBERS  # what a person is, written after a name ("Tory MP", "Arizona Republican")
# Word frequencies of the article's language (wordfreq's own lists, shipped with the package), on the Zipf
# scale: 6 is "know", 5 "leave" or "ways", 4 "ukraine", 3 "ebola". A word at or above COMMON is no topic on
# its own, as a headline word ("need", "things", "end") or a lone capitalised one ("Die", "Leave" from a
# film's title); below it the names readers follow stay ("Apple" 4.8, "Google" and "Obama" 4.9), which
# frequency cannot tell from "billion" (4.75): number words are in STOPWORDS.
COMMON = 5.0
# A headline word the stream has never written inside a sentence (it stood first, or in a Title Case headline,
# where every word is capitalised) has no evidence of being a name: it is tagged alone only when the language
# hardly knows it ("Pistorius" 2.3, "Quiznos" 2.0); "Amy" (4.2), "Allies" (4.3), "Indefinite" (3.4) wait for
# a sentence that capitalises them (CaseBook.lowercase).
UNSEEN_RARE = 3.0
# A capital after a lower-case letter is a brand's own spelling, a name wherever it stands: "iPad", "eBay",
# "BlackBerry", "McDonald's" (sentence case cannot say so: "iPad" never starts with a capital).
_CAMEL = re.compile(r"[a-z\u00df-\u00ff][A-Z]")
TEXT_CHARS = 2500  # topics are read from this much of an article's text (about its first 400 words)
_LANGUAGES = frozenset(available_languages())


@lru_cache(maxsize=200_000)
def frequency(word: str, language: str = "en") -> float:
    """Zipf frequency of ``word`` in ``language`` (English when the language has no list); 0 for unknown words."""
    lang = language if language in _LANGUAGES else "en"
    return zipf_frequency(word, lang)


SPACED_SYLLABLES = frozenset({"vi"})  # Vietnamese: a word of two syllables is written as two
# Words that stand inside a name without capitals ("Game of Thrones", "Ursula von der Leyen", "Centers for
# Disease Control").
NAME_JOINERS = ("of", "for", "de", "da", "do", "dos", "das", "di", "du", "del", "van", "von", "der", "al", "bin")
_LETTER = "A-Za-z\u00c0-\u024f\u1e00-\u1eff"  # Latin, with its accented letters (Vietnamese among them)
_WORD = rf"[{_LETTER}][\w.'’&-]*|\d[\w.,]*"
_TOKEN = re.compile(_WORD)
_GAP_TOKEN = re.compile(rf"([^{_LETTER}\d]*)({_WORD})")  # what precedes a word, and the word
_INITIALS = re.compile(r"\b(?:[A-Za-z]\.){2,}")


def topic_key(phrase: str, aliases: dict[str, str] | None = None) -> str:
    """The normalised key of a topic: folded words, possessives and plurals dropped, aliases resolved
    (``aliases``: lower-cased alias -> name; the built-in ALIASES when None)."""
    alias = (ALIASES if aliases is None else aliases).get(phrase.strip().lower())
    if alias:
        phrase = alias
    # Initials are one word however they are written: "U.S. Congress" and "US Congress" are one name.
    phrase = _INITIALS.sub(lambda m: m.group(0).replace(".", ""), phrase)
    words = []
    for w in re.findall(r"[^\W_]+(?:['’]s)?", fold(phrase)):
        w = re.sub(r"['’]s$", "", w)
        words.append(stem(w))
    return " ".join(words)


@lru_cache(maxsize=200_000)
def word_key(word: str) -> str:
    """topic_key of one lower-cased word, without aliases: the key the stream's case evidence is kept under."""
    return topic_key(word, {})


def _clean_surface(word: str) -> str:
    if _INITIALS.fullmatch(word):  # "U.S." keeps its last full stop
        return word
    word = word.strip(".,:;!?\"'‘’“”()[]")  # a plural's possessive: "Grizzlies’" as "Grizzlies'"
    return word[:-2] if word.endswith(("'s", "’s")) else word


# Words with a full stop that ends no sentence: "U.S. Centers", "Sen. Roy Blunt", "J. Thomas Manger".
ABBREVIATIONS = frozenset(
    "mr mrs ms dr st jr sr sen rep gov gen lt col capt sgt inc co corp ltd vs no mt ft prof rev hon tp tx".split()
)
# A full stop glued to a capitalised word: "in the UK.The" (a sentence glued on), "P.Tam Phú", "TX.Điện Bàn"
# (Vietnamese ward and town abbreviations). "U.S." and "J.R.R." are initials: a capital, then no lower case.
_MISSING_SPACE = re.compile(r"(?<=[^\W\d_])\.(?=[^\W\d_][^\W\d_])")


def _space_after_stops(text: str) -> str:
    def stop(m):
        after = m.end()  # the lookahead holds two letters after the stop
        return ". " if text[after].isupper() and text[after + 1].islower() else "."

    return _MISSING_SPACE.sub(stop, text)


_POSSESSIVE = re.compile(r"[^\W\d_][’']s\W*$")
SENTENCE_ENDS = (".", "!", "?", '"', "”", "’", "'")
_SENTENCE_GAP = re.compile(r'[.!?:;"“”]')
# A wire desk's label before a headline: "US STOCKS-Wall St ends up", "UPDATE 2-Apple buys Beats" (not the
# "LA-" of "LA-Based Herbalife": a label has five characters or more).
_DESK_LABEL = re.compile(r"^[A-Z][A-Z0-9 ]{3,}[A-Z0-9]-(?=[A-Z])")
_PARTY_STATE = re.compile(r"^[DRI]-[A-Z][A-Za-z]*\.?$")  # "D-Calif.", "D-CA" after a lawmaker's name
# A period or an age group: "Q1" results, an "H2" forecast, the "U19" team of any country. Date words, as
# "March" is (NOT_NAMES): no topic alone.
_PERIOD_OR_AGE = re.compile(r"^(?:[QH][1-4]|U\d{2})$")
# An acronym in the plural ("IPOs", "SUVs", "NGOs") is a common noun's: things with a name have no plural.
_PLURAL_ACRONYM = re.compile(r"^[A-Z]{2,6}s$")


def _compound_adjective(word: str) -> bool:
    """ "Nazi-era", "year-old", "hands-on": a hyphenated word ending in a common lower-case word describes,
    it names nothing ("al-Qaeda", "Spider-Man", "Coca-Cola" end in a capital or a rare word)."""
    head, _, tail = word.rpartition("-")
    return bool(head) and tail.islower() and (tail in STOPWORDS or frequency(tail) >= 4.0)


def _degree_word(word: str, language: str) -> bool:
    """An English adverb of degree or manner ("mostly", "sharply") or a comparative or superlative ("higher",
    "lowest", "biggest"): it grades something, it names no kind of thing, so a phrase it stands in ("mostly
    higher", "lowest level") is no topic. Told by form: the word is a common word's "-ly", or it is a
    common stem's "-er" and that stem's "-est" is a word too (or the other way round), which keeps "player",
    "poster" and "interest" (no "playest", "postest", "interer")."""
    if language != "en" or len(word) < 5 or not word.isalpha():
        return False
    word = word.lower()

    def common(stem):
        return len(stem) >= 3 and frequency(stem) >= 4.5

    if word.endswith("ly"):
        return common(word[:-2]) or (word.endswith("ily") and common(word[:-3] + "y"))
    for ending, other in (("er", "est"), ("est", "er")):
        if word.endswith(ending):
            base = word[: -len(ending)]
            stems = [base, base + "e"]
            if len(base) >= 4 and base[-1] == base[-2]:  # "bigger": big
                stems.append(base[:-1])
            if base.endswith("i"):  # "easier": easy
                stems.append(base[:-1] + "y")
            return any(common(stem) for stem in stems) and frequency(base + other) >= 3.0
    return False


def _ends_sentence(prev: str, gap: str) -> bool:
    """Whether the word after ``prev`` and ``gap`` (what separates them) opens a sentence. A line break does:
    headings and captions often end without a full stop."""
    if gap != " " and ("\n" in gap or _SENTENCE_GAP.search(gap)):  # most words are one space apart
        return True
    if not prev.endswith((".", ":", ";")):
        return False
    if not prev.endswith("."):
        return True
    word = prev.rstrip(".")
    return len(word) > 1 and "." not in word and word.lower() not in ABBREVIATIONS


def _without_roles(parts: list[str]) -> tuple[list[str], list[str]]:
    """(what stands before the roles, the name after them): "Secretary of State Antony Blinken" -> ([],
    "Antony Blinken"); "Target CEO Gregg Steinhafel" -> ("Target", "Gregg Steinhafel"), the employer a name
    of its own."""
    first, cut = -1, 0
    organisation = parts[-1].lower() in ORGANISATION_ENDS
    for i, p in enumerate(parts[:-1]):
        word = p.lower().rstrip(".")
        # A role of two words ("Chief Executive", "Attorney General") is a role however short the name after it.
        if word in ROLES or (
            word in NAME_ROLES and not organisation and (len(parts) - i > 2 or (cut == i and first >= 0))
        ):
            first = i if first < 0 else first
            cut = i + 1
            if cut + 1 < len(parts) and parts[cut] == "of":  # "Secretary of State", "Chief of Staff"
                cut += 2
    if cut >= len(parts):
        return [], parts
    return parts[: max(0, first)], parts[cut:]


_INITIAL_SKIP = frozenset(("of", "the", "and", "for", "de", "la", "le", "du", "del", "on", "in"))
_ACRONYM = re.compile(r"\b[A-Z]{2,6}\b")


def _acronym_of(short: str, name: str) -> bool:
    """Whether ``short`` (a surface form) is the initials of ``name`` ("ISS", "International Space Station"),
    or of all its words but the first or the last ("CDC": "Centers for Disease Control and Prevention";
    "HHS": "Department of Health and Human Services"), as agencies are called."""
    letters = short.replace(".", "")
    if not (2 <= len(letters) <= 6 and letters.isupper() and letters.isalpha()):
        return False
    initials = "".join(w[0] for w in name.split() if w.lower() not in _INITIAL_SKIP).upper()
    if initials == letters:
        return True
    return len(letters) >= 3 and len(initials) == len(letters) + 1 and letters in (initials[1:], initials[:-1])


def initials_of(short_key: str, long_key: str) -> bool:
    """Whether two topic keys name one thing: ``short_key`` is the initials of ``long_key`` ("iss",
    "international space station"; keys are lower case, so the initials are read as capitals)."""
    return " " not in short_key and " " in long_key and _acronym_of(short_key.upper(), long_key)


def names_in(
    text: str,
    sentence_case: bool = True,
    aliases: dict[str, str] | None = None,
    language: str = "en",
    seen: dict[str, list[int]] | None = None,
    acronyms: frozenset[str] = frozenset(),
    joined: list[str] | None = None,
    openers: list[str] | None = None,
    followed: list[tuple[str, str]] | None = None,
) -> list[str]:
    """Capitalised runs that are not just the first word of a sentence, nor one common word of the language.
    ``seen``: where to count how each word inside a sentence is written (key -> [capitalised, lowercase]);
    only sentence-case text says anything about that. ``acronyms``: the all-capital words of the article; a
    run joined by "and" is one name only when one of them is its initials ("Food and Drug Administration"
    beside "FDA"), else two ("Obama and Putin"), and the whole run goes to ``joined``: the stream's case
    evidence may still name it (CaseBook.named), where other articles write its initials. ``openers``: the
    names that open a sentence, whose first word may be capitalised only for that ("Top Disney TV executives",
    "New DPRK missile"). ``followed``: (name, key of its last word and the lower-case word right after it)
    for each name a lower-case word follows with nothing between, in languages that space their syllables:
    where that pair is a word ("Phó Chủ tịch", vice-chairman), the name ends inside it."""
    if not sentence_case:
        return []
    aliases = ALIASES if aliases is None else aliases
    out: list[str] = []
    opening: list[bool] = []  # whether each name of ``out`` opens a sentence
    after: list[str] = []  # for each name of ``out``: its last word and the lower-case word after it, keyed
    next_word = ""  # the lower-case word right after the run being flushed
    run: list[str] = []
    run_at_start = False
    prev = ""

    cut = 0  # where a possessive splits the run in two names (0: nowhere)

    def flush():
        nonlocal run, cut
        # A name's possessive ends it when a name of two words or more follows: "CNN's Jake Tapper",
        # "Netanyahu's Likud Party" are two names; "the Sheriff's Office", "Martha's Vineyard" one.
        while run and run[-1] == "and":
            run.pop()
        parts = [run[:cut], run[cut:]] if cut and len(run) - cut >= 2 else [run]
        if "and" in run and not any(_acronym_of(a, " ".join(run)) for a in acronyms):
            if joined is not None:
                joined.append(" ".join(run))
            parts = [[]]
            for word in run:
                if word == "and":
                    parts.append([])
                else:
                    parts[-1].append(word)
        for i, part in enumerate(parts):
            if len(part) == 1 and _PLURAL_ACRONYM.match(part[0]):
                # "IPOs": evidence that "IPO" is a common noun (CaseBook.common_acronym), no name itself.
                if seen is not None:
                    seen.setdefault(word_key(part[0].lower()), [0, 0])[1] += 1
                continue
            # A lone capitalised word that opens a sentence is just capitalised ("Talks ended..."); a run
            # that goes on ("Donald Trump said...") is a name wherever it stands.
            if not part or (i == 0 and run_at_start and len(part) == 1):
                continue
            out.append(" ".join(part))
            opening.append(i == 0 and run_at_start)
            ends_run = i == len(parts) - 1 and next_word
            after.append(f"{word_key(part[-1].lower())} {next_word}" if ends_run else "")
            # Evidence that a word is a name by itself: capitalised alone inside a sentence ("Ukraine"), not
            # as part of a longer name ("White" of "White House", "Lady" of "Lady Gaga").
            if seen is not None and len(part) == 1:
                key = word_key(part[0].lower().rstrip("."))
                if key:
                    seen.setdefault(key, [0, 0])[0] += 1
            # ... and evidence that it is only the first word of names ("Tori" of "Tori Spelling").
            if seen is not None and len(part) > 1:
                key = word_key(part[0].lower().rstrip("."))
                if key:
                    seen.setdefault(key + OPENS_NAME, [0, 0])[0] += 1
        run, cut = [], 0

    last_key = ""  # the previous word's key when it was a lower-case content word
    for gap, tok in _GAP_TOKEN.findall(_space_after_stops(text)):
        starts = not prev or _ends_sentence(prev, gap)
        # A sentence's end, punctuation or a line between two words ends a name: "in Washington. Officials
        # said", "Station (ISS)", "Assange, Sweden".
        clean = _clean_surface(tok)
        low = clean.lower().rstrip(".")
        # Inside a Vietnamese run, a syllable that spells an English word is the name's: "Trần Nguyễn An Khương".
        capital = clean[:1].isupper() and (low not in NOT_NAMES or (bool(run) and language in SPACED_SYLLABLES))
        # An ampersand between two capitalised words is inside a name: "Procter & Gamble", "Peabody & Sherman".
        ampersand = bool(run) and capital and not starts and gap == " & "
        if run and (starts or gap.strip()) and not ampersand:
            flush()
        if ampersand:
            run.append("&")
        if seen is not None:
            key = word_key(low) if clean.islower() and low not in STOPWORDS else ""
            if key and not starts:
                seen.setdefault(key, [0, 0])[1] += 1
            # Two common words written together ("climate change", "jobless claims"): phrase evidence.
            if key and last_key and gap == " ":
                seen.setdefault(f"{last_key} {key}", [0, 0])[1] += 1
            last_key = key
        if capital:
            if not run:
                run_at_start = starts
            # Aliases name whole things, not words inside a name: "US Airways" stays the airline.
            run.append(clean)
            # A common noun's possessive opens a name of its own: "People's Republic", "Women's World Cup".
            if not cut and _POSSESSIVE.search(tok) and frequency(low, language) < COMMON:
                cut = len(run)
        elif (
            run
            and (low in NAME_JOINERS or low == "and")
            and prev[:1].isupper()
            and not (low == "for" and run_at_start and len(run) == 1)
        ):
            # "for" joins inside a sentence only: "Lawyers for Julian Assange" opens a sentence with a verb's
            # subject, "the Centers for Disease Control" is one name.
            run.append(low)
        else:
            if language in SPACED_SYLLABLES and followed is not None and gap == " " and clean.islower():
                next_word = word_key(low)
            flush()
            next_word = ""
        prev = tok
    # A text cut short ("... adding the item to the Third Special...", a feed's summary, a long headline) may
    # have cut its last name too: "Third Special" of the Third Special Session is no name.
    if text.rstrip().endswith(("...", "…")):
        run = []
    flush()
    cleaned = []
    for name, opens, pair in zip(out, opening, after):
        first = name.split()[0]
        last = name.split()[-1]
        for parts in _without_roles(name.split()):
            while parts and parts[-1] in NAME_JOINERS:  # flush() trimmed a trailing "and" already
                parts.pop()
            # A role after a name is the person's, not the name's: "Target CEO" is Target, "Tory MP" a Tory,
            # "Arizona Republican" a Republican of Arizona.
            if len(parts) > 1 and parts[-1].lower().rstrip(".") in _LABELS:
                parts.pop()
                while len(parts) > 1 and parts[-1].lower().rstrip(".") in _ANY_ROLE:  # "Prime Minister"
                    parts.pop()
            # A period or an age group is the report's or the team's, not the name's: "Apple Q1", "U19 Vietnam".
            while parts and _PERIOD_OR_AGE.match(parts[-1]):
                parts.pop()
            while parts and _PERIOD_OR_AGE.match(parts[0]):
                parts.pop(0)
            alias = aliases.get(" ".join(parts).lower())
            if alias:  # "US" is common as a word and a thing as a name
                cleaned.append(alias)
                continue
            if len(parts) == 1 and (
                len(parts[0]) < 2
                or frequency(parts[0].lower(), language) >= COMMON
                or parts[0].lower().rstrip(".") in _LABELS
                or _PARTY_STATE.match(parts[0])
                or _compound_adjective(parts[0])
            ):
                continue
            if parts and (len(parts) > 1 or len(parts[0]) > 2 or parts[0].isupper()):
                cleaned.append(" ".join(parts))
                if opens and openers is not None and parts[0] == first:
                    openers.append(cleaned[-1])
                if pair and followed is not None and parts[-1] == last:
                    followed.append((cleaned[-1], pair))
    return cleaned


SPAN_WORDS = 5
# The case book's key for the times a word opened a longer name inside a sentence: "tori …" (CaseBook.first_word).
OPENS_NAME = " …"


def title_spans(title: str) -> dict[str, str]:
    """key -> surface of every run of 2 to SPAN_WORDS headline words that could be a name: capitalised at
    both ends, joiners between. A Title Case headline cannot say which runs are names; the stream's case
    evidence does (CaseBook.named)."""
    pairs = _GAP_TOKEN.findall(title)
    toks = [_clean_surface(tok) for _, tok in pairs]
    # glued[j]: nothing but spaces (or an ampersand: "Peabody & Sherman") between words j - 1 and j
    glued = [gap.strip() in ("", "&") for gap, _ in pairs]
    out: dict[str, str] = {}
    for i, first in enumerate(toks):
        if not first[:1].isupper() or first.lower() in STOPWORDS:
            continue
        for j in range(i + 1, min(len(toks), i + SPAN_WORDS)):
            last = toks[j]
            low = last.lower()
            if not last or not glued[j] or not (last[:1].isupper() or low in NAME_JOINERS):
                break
            if last[:1].isupper() and low not in STOPWORDS:
                surface = " ".join(("& " if k > i and pairs[k][0].strip() else "") + toks[k] for k in range(i, j + 1))
                out.setdefault(topic_key(surface, {}), surface)
    return out


# A quoted run in a headline: 'Orange Is the New Black', “Dancing with the Stars” (not the apostrophe of "Don't",
# nor a plural's possessive inside the quote when the quote closes further on: 'Moms' Night Out').
_QUOTE_END = r"""["”'’](?=$|[\s,.:;!?)])"""
_QUOTED = re.compile(
    rf"""(?:^|(?<=[\s(:]))["“'‘]([^\W\d_][^"“”]*?)(?!(?<=s)['’]\s[A-Z][^"“”'’]*{_QUOTE_END}){_QUOTE_END}"""
)
_LEADING_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
QUOTED_WORDS = (2, 6)  # longer quotes are mostly what someone said


def quoted_titles(title: str) -> dict[str, str]:
    """key -> surface of the runs a headline quotes that read as a work's title: two to six words, the first
    capitalised, and not the whole headline."""
    out = {}
    for m in _QUOTED.finditer(title):
        surface = m.group(1).strip()
        if surface[:1].isupper() and QUOTED_WORDS[0] <= len(surface.split()) <= QUOTED_WORDS[1]:
            if len(m.group(0)) < len(title.strip()):
                # Keyed without a leading article: 'The Walking Dead' is the Walking Dead of unquoted headlines.
                bare = _LEADING_ARTICLE.sub("", surface)
                out.setdefault(topic_key(bare if " " in bare else surface, {}), surface)
    return out


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
    common: set[str] = field(default_factory=set)  # term keys too common in the language to tag on no evidence
    lowered: set[str] = field(default_factory=set)  # term keys the headline writes in lower case: never alone
    spans: dict[str, str] = field(default_factory=dict)  # a Title Case headline's runs that may be names
    titles: set[str] = field(default_factory=set)  # keys of the titles the headline quotes
    case: dict[str, list[int]] = field(default_factory=dict)  # word key -> [capitalised, lowercase] in sentences
    openers: set[str] = field(default_factory=set)  # name keys written only where a sentence starts
    # name key -> keys of its last word and the lower-case word after it, for a name never written otherwise
    followed: dict[str, set[str]] = field(default_factory=dict)
    language: str = "en"

    def keys(self) -> set[str]:
        return set(self.names) | set(self.terms) | set(self.spans)

    def surface(self, key: str) -> str:
        return self.names.get(key) or self.terms.get(key) or self.spans.get(key) or key

    @property
    def quoted(self) -> set[str]:
        """The word keys inside the quoted titles: never topics alone."""
        return {w for title in self.titles for w in title.split()}

    def piece_of_title(self, key: str) -> bool:
        """Whether ``key`` shares words with a title the headline quotes without being that title."""
        return key not in self.titles and bool(self.quoted & set(key.split()))


def _people_apart(names: list[str]) -> list[str]:
    """``names`` with a person's name cut from what was glued to it:
    - "X of Y" where the item also writes X alone: "Jim Jordan of Ohio" beside "Jim Jordan" is a person and
      their state; "Bank of America" or "Federal Bureau of Investigation", whose first words are no name
      alone, stay whole;
    - a party's member before a name: "Republican George W. Bush", "Democrat Al Gore" are the men; a party's
      own body keeps its name ("Republican National Committee", ORGANISATION_ENDS)."""
    whole = {n.lower() for n in names if " of " not in n}
    out = []
    for name in names:
        head, of, tail = name.partition(" of ")
        first, *rest = name.split()
        if of and " " in head and head.lower() in whole and tail[:1].isupper():
            out += [head, tail]
        elif len(rest) >= 2 and first.lower() in PARTY_MEMBERS and rest[-1].lower() not in ORGANISATION_ENDS:
            out.append(" ".join(rest))
        else:
            out.append(name)
    return out


# Three or more words in capitals, such as a teaser for another article inside a page's text ("CORE OF THE
# PROBLEM? Apple engineer says ..."): shouted, when a stop word is among them, not a run of acronyms.
_SHOUTED = re.compile(r"\b[A-Z][A-Z'’]*(?:[ \t]+[A-Z][A-Z'’]*){2,}\b")


def _heading_apart(m: re.Match) -> str:
    """A shouted run of words says nothing of which words are names (every one is capitalised): a line of
    its own, left out as a heading is, rather than acronyms ("CORE") or lower-case evidence."""
    words = m.group(0).split()
    return "\n" if any(w.lower() in STOPWORDS for w in words) else m.group(0)


def item_topics(title: str, text: str = "", aliases: dict[str, str] | None = None, language: str = "") -> ItemTopics:
    """``aliases``: lower-cased alias -> name (the built-in ALIASES when None; the site adds operators' own);
    ``language``: the article's (an ISO 639-1 code; guessed from its words when it does not say)."""
    aliases = ALIASES if aliases is None else aliases
    language = language[:2].lower() if language else guess_language(f"{title}\n{text}")
    topics = ItemTopics(language=language)
    title = _DESK_LABEL.sub("", title)
    title_case = is_title_case(title)
    acronyms = frozenset(_ACRONYM.findall(title + " " + text[:TEXT_CHARS]))
    joined: list[str] = []  # runs joined by "and" that may be one name ("Food and Drug Administration")
    openers: list[str] = []  # names written where a sentence starts
    followed: list[tuple[str, str]] = []  # names a lower-case word follows (languages that space syllables)
    names = names_in(title, not title_case, aliases, language, topics.case, acronyms, joined, openers, followed)
    for line in _SHOUTED.sub(_heading_apart, text[:TEXT_CHARS]).split("\n"):
        # A line in Title Case (the headline repeated atop the text, a subheading, a byline, a speaker label)
        # says no more about which words are names than a Title Case headline does; a sentence full of
        # names ("Lawyers for Julian Assange, Sweden and Ecuador met.") ends as a sentence does.
        heading = is_title_case(line) and not line.rstrip().endswith(SENTENCE_ENDS)
        names += names_in(line, not heading, aliases, language, topics.case, acronyms, joined, openers, followed)
    quoted = quoted_titles(title)
    topics.titles = set(quoted)
    names = _people_apart(names)
    # A name the item writes only where a sentence starts may owe its first capital to that alone.
    opening = Counter(openers)
    opening_only = {name for name, n in Counter(names).items() if opening[name] == n}
    # ... and one always followed by a lower-case syllable may end inside a word ("Phó Chủ" of "Phó Chủ tịch").
    after: dict[str, list[str]] = {}
    for name, pair in followed:
        after.setdefault(name, []).append(pair)
    followed_only = {name for name, n in Counter(names).items() if len(after.get(name, ())) == n}
    for name in names:
        surface = aliases.get(name.lower(), name)
        key = topic_key(surface, aliases)
        if key and key not in STOPWORDS:
            topics.names.setdefault(key, surface)
            if name in followed_only:
                topics.followed.setdefault(key, set()).update(after[name])
            if name in opening_only:
                topics.openers.add(key)
            # A name written as one inside a sentence is evidence for Title Case headlines; a piece of a
            # quoted title is not ("New Black Season" of "Watch the 'Orange Is the New Black' Season 2 trailer"),
            # nor a run that opens a sentence ("Top Disney TV").
            elif " " in key and not topics.piece_of_title(key):
                topics.case.setdefault(key, [0, 0])[0] += 1
    if title_case:
        topics.spans = {k: v for k, v in title_spans(title).items() if k not in topics.names}
    for key, surface in quoted.items():
        # A title quoted in a headline is a work's whole name, a candidate as a Title Case run is; each quote
        # counts as the title written as one (CaseBook.named), so a work two headlines quote is a topic.
        topics.spans.setdefault(key, surface)
        topics.case.setdefault(key, [0, 0])[0] += 1
    for run in joined:
        key = topic_key(run, {})
        if key not in topics.names:
            topics.spans.setdefault(key, run)
    terms = title_terms(title, aliases)
    for key, surface in terms:
        topics.terms.setdefault(key, surface)
        if " " in surface:
            continue
        # A headline that writes a word in lower case says itself that it is no name; "3D", "19th" neither.
        if surface.islower() or surface[:1].isdigit():  # "iPhone", "eBay" are spelt so
            topics.lowered.add(key)
        elif (
            not _CAMEL.search(surface)
            and max(frequency(surface.lower(), language), frequency(key, language)) >= UNSEEN_RARE
        ):
            topics.common.add(key)
    for (k1, s1), (k2, s2) in zip(terms, terms[1:]):
        # Two headline words written as one run keep what stands between them ("Fast & Furious").
        pair = f"{k1} {k2}"
        topics.terms.setdefault(pair, topics.spans.get(pair) or f"{s1} {s2}")
    return topics


PHRASE_MIN = 20  # times two words are written together before they are a phrase (CaseBook.phrase)
PHRASE_SHARE = 0.3
NAME_MIN = 2  # times a multi-word name was written as one inside sentences before a headline run counts


class CaseBook:
    """The stream's case evidence: key -> [times capitalised, times lowercase] inside sentences, for headline
    words and names (a multi-word name counts as capitalised each time it is written as one). The site keeps
    it in the database (CaseCount); a replay in memory. ``touched``: keys changed since the caller last saved."""

    def __init__(self, counts: dict[str, list[int]] | None = None):
        self.counts: dict[str, list[int]] = counts if counts is not None else {}
        self.touched: set[str] = set()

    @staticmethod
    def wanted(batch: list[ItemTopics]) -> set[str]:
        """The keys a batch reads and records: its headline words, names and Title Case runs. Other words
        of the running text are not kept (they cannot be tagged), which bounds the book."""
        keys: set[str] = set()
        for t in batch:
            keys.update(t.terms)  # words, and pairs that may be phrases
            keys.update(t.names)
            keys.update(t.spans)
            keys.update(run for name in t.names for run in _inner_runs(name))  # _glued_apart reads them
            keys.update(pair for pairs in t.followed.values() for pair in pairs)
        keys.update([k + OPENS_NAME for k in keys if " " not in k])
        return keys

    def record(self, batch: list[ItemTopics]) -> None:
        wanted = self.wanted(batch)
        for t in batch:
            for key, (cap, low) in t.case.items():
                if key in wanted:
                    row = self.counts.setdefault(key, [0, 0])
                    row[0] += cap
                    row[1] += low
                    self.touched.add(key)

    def lowercase(self, key: str) -> bool | None:
        """Whether the stream writes ``key`` in lower case too often for a name (once for every two times
        capitalised, or more); None while it has never written it. This tells a name ("Ukraine": 721 times
        capitalised, never in lower case on UCI) from a common noun ("banana" 2 / 55, "recall" 17 / 1,840) and
        from one that headlines like to capitalise ("Internet" 193 / 152, "Mother" 252 / 225); until a word is
        seen, the language's frequencies decide."""
        row = self.counts.get(key)
        if not row or not (row[0] or row[1]):
            return None
        return 2 * row[1] >= row[0]

    def common_acronym(self, key: str) -> bool:
        """Whether the stream writes the acronym ``key`` in the plural (counted as its lower-case uses: "IPOs",
        "SUVs", "ETFs"), three times or more and once for every fifty times in the singular or more: a common
        noun's initials. Names have no plural (UCI: "FBI" 188 / 0, "ECB" 1,303 / 0, "GM" 2,692 / 3; "IPO"
        1,371 / 45)."""
        row = self.counts.get(key)
        return bool(row) and row[1] >= 3 and 50 * row[1] >= row[0]

    def first_word(self, key: str, times: int = 5) -> bool:
        """Whether the stream writes the word ``key`` as the first word of longer names five times or more for
        each time it writes it as a name alone (and five times at least): a first name, no thing alone. The
        UCI headlines' book at the end, longer / alone: "Tori" 91 / 5, "Kim" 1,213 / 131, "Chelsea" 128 / 6,
        "Miley" 1,000 / 21; "Apple" 278 / 1,046, "Obama" 23 / 153, "Google" 1,260 / 973. Brands that open
        their products' names sit between ("Ford" 133 / 41, of Ford Motor, Focus, Mustang), with some first
        names ("Willow" 56 / 21): the cut leaves both as names."""
        opens = self.counts.get(key + OPENS_NAME)
        alone = self.counts.get(key, (0, 0))[0]
        return bool(opens) and opens[0] >= 5 and opens[0] >= times * alone

    def no_name_alone(self, key: str, surface: str) -> bool:
        """Whether the stream says the capitalised word ``key`` (written ``surface``) names nothing by itself:
        an acronym it writes in the plural, a common noun's ("IPO"), or a first name ("Tori")."""
        return (surface.isupper() and self.common_acronym(key)) or self.first_word(key)

    def word(self, key: str) -> bool:
        """Whether two syllables ``key`` are a word of a language that spaces its syllables: the stream writes
        them together in lower case three times or more ("chủ tịch", chairman; "xây dựng", to build)."""
        row = self.counts.get(key)
        return bool(row) and row[1] >= 3

    def phrase(self, key: str) -> bool:
        """Whether two headline words make an established phrase: written together in lower case PHRASE_MIN
        times, and that in PHRASE_SHARE of the sentences that write the rarer word ("climate change", not
        "weak data")."""
        row = self.counts.get(key)
        if not row or row[1] < PHRASE_MIN:
            return False
        a, b = key.split(" ", 1)
        if a == b:
            return False
        rarer = min(sum(self.counts.get(a, (0, 0))), sum(self.counts.get(b, (0, 0))))
        return row[1] >= PHRASE_SHARE * max(1, rarer)

    def always_capitalised(self, key: str) -> bool:
        """Whether the stream writes ``key`` capitalised ten times or more for each time in lower case (and ten
        times at least): a name even inside a quoted title ("Batman" of 'Batman v Superman'), where a word
        merely fond of capitals is not ("Dancing" 22 / 6 of 'Dancing with the Stars')."""
        row = self.counts.get(key)
        return bool(row) and row[0] >= 10 and row[0] >= 10 * row[1]

    def named(self, key: str) -> bool:
        row = self.counts.get(key)
        return bool(row) and row[0] >= NAME_MIN and row[0] >= row[1]

    def name_alone(self, key: str) -> bool:
        """Whether the stream writes ``key`` as a name of its own: named, seldom in lower case, and no first
        name ("Sweden", "Julian Assange"; not "Tori", "Police")."""
        return self.named(key) and not self.lowercase(key) and not self.first_word(key)


class TopicNamer:
    """Keeps, across a stream or a batch, the most common surface form of each topic key (the display name).
    Forms written in sentences win over a Title Case headline's ("Game of Thrones", not "Game Of Thrones")."""

    def __init__(self):
        self.forms: dict[str, Counter] = {}
        self.headline_forms: dict[str, Counter] = {}
        self.inner_forms: dict[str, Counter] = {}  # runs inside names, which _glued_apart may tag alone

    def see(self, topics: ItemTopics) -> None:
        for key, surface in {**topics.terms, **topics.names}.items():
            self.forms.setdefault(key, Counter())[surface] += 1
        for key, surface in topics.spans.items():
            self.headline_forms.setdefault(key, Counter())[surface] += 1
        for key, surface in topics.names.items():
            keys, words = key.split(), surface.split()
            if len(keys) == len(words):
                for i, j in _inner_spans(len(keys)):
                    self.inner_forms.setdefault(" ".join(keys[i:j]), Counter())[" ".join(words[i:j])] += 1

    def name(self, key: str) -> str:
        forms = self.forms.get(key) or self.headline_forms.get(key) or self.inner_forms.get(key)
        if not forms:
            return key
        return forms.most_common(1)[0][0]


# A headline word tagged in more than this share of the items so far is too general to tag (once 1,000
# items are in): a backstop behind the word frequencies of the language (COMMON), which do most of the work.
KEY_TERM_MAX_SHARE = 0.02
TOPICS_PER_ARTICLE = 8


def tag_batch(
    batch: list[ItemTopics],
    mentions: Counter,
    n_tagged: int,
    limit: int = TOPICS_PER_ARTICLE,
    book: CaseBook | None = None,
) -> list[list[str]]:
    """The site's tagging of one batch of items: each item's top topics, weighed by rarity against how often
    each topic was tagged before (``mentions``, over ``n_tagged`` items) and in this batch, after the batch's
    case evidence is recorded in ``book``. Both the site's tagging job and `cupure trending` call this, so the
    bar replays what the site tags."""
    book = book if book is not None else CaseBook()
    book.record(batch)
    df = Counter(mentions)
    for topics in batch:
        df.update(topics.keys())
    n_docs = n_tagged + len(batch)
    return [top_topics(topics, df, n_docs, limit, book) for topics in batch]


class StreamTagger:
    """The site's tagging over a stream, one item at a time (`cupure topics`, `cupure trending`): each item's
    tags count as mentions for the items after it, as stored tags do on the site."""

    def __init__(self, limit: int = TOPICS_PER_ARTICLE):
        self.limit = limit
        self.mentions: Counter = Counter()
        self.tagged = 0
        self.namer = TopicNamer()
        self.book = CaseBook()

    def tag(self, title: str, text: str, language: str = "") -> list[str]:
        topics = item_topics(title, text[:TEXT_CHARS], language=language)
        self.namer.see(topics)
        keys = tag_batch([topics], self.mentions, self.tagged, self.limit, self.book)[0]
        self.mentions.update(keys)
        self.tagged += 1
        return keys


_DEMONYM_KEYS = frozenset(topic_key(d, {}) for w in DEMONYMS for d in (w, w + "s"))


OPENER_LOWERCASE = 10  # times in lower case, never capitalised, for a sentence's first word to open no name


def _past_the_opener(key: str, surface: str, book: CaseBook) -> tuple[str, str]:
    """A name that opens a sentence, less its first word when that word is capitalised only for opening it:
    a stop word or one the stream writes in lower case ("New DPRK missile", "Top Disney TV"), never writes the
    whole run as a name inside a sentence ("New York" stays), and does write the rest as one ("DPRK")."""
    first, _, rest = key.partition(" ")
    if not rest or len(surface.split()) != len(key.split()) or book.named(key):
        return key, surface
    if not (first in STOPWORDS or book.lowercase(first)):  # the stream never counts a stop word's case
        return key, surface
    rest_is_named = book.named(rest) if " " in rest else book.lowercase(rest) is False
    # A word the stream never capitalises inside a sentence opens no name, whatever the rest is: "Top" of "Top
    # Disney TV exec Anne Sweeney leaving" (0 / 39 on UCI then), where "New" of "New Jersey" is capitalised too.
    cap, low = book.counts.get(first, (0, 0))
    if not rest_is_named and cap == 0 and low >= OPENER_LOWERCASE and first not in STOPWORDS:
        rest_is_named = book.lowercase(rest.split()[0]) is False
    return (rest, surface.split(" ", 1)[1]) if rest_is_named else (key, surface)


def _inner_spans(n: int) -> list[tuple[int, int]]:
    """(start, end) of every run of words inside a name of ``n`` words, shorter than it: what _glued_apart may
    cut it into."""
    return [(i, j) for i in range(n) for j in range(i + 1, n + 1) if j - i < n]


def _inner_runs(key: str) -> list[str]:
    words = key.split()
    return [" ".join(words[i:j]) for i, j in _inner_spans(len(words))]


# A model's or a sequel's number ends the name before it: "Galaxy S III", "Airbus A321", "Rocky IV".
_DESIGNATOR = re.compile(r"^(?:[IVX]+|\S*\d\S*)$")


FIRST_NAME_LOWERCASE = 10  # a first name is capitalised ten times or more for each time in lower case


def _person(keys: list[str], book: CaseBook, times: int = 1) -> bool:
    """Whether a name of two or three words reads as a person's: its first word is a first name, a word of
    letters that opens longer names ``times`` times as often as it stands alone and that the stream hardly
    ever writes in lower case ("Jim", "Ted"; not "New", "National", "Day" of "Day Two of Ultra", "U.S."), and
    none of its words is a rank or ends an organisation's name ("John Jay College")."""
    return (
        2 <= len(keys) <= 3
        and _first_name(keys[0], book, times)
        and not any(k in _ANY_ROLE or k in ORGANISATION_ENDS for k in keys)
    )


def _first_name(key: str, book: CaseBook, times: int = 5) -> bool:
    """Whether the word ``key`` is a first name: letters only, opening longer names ``times`` times as often as
    it stands alone (CaseBook.first_word), and hardly ever written in lower case ("Burger" of "Burger King" is
    a common noun too)."""
    cap, low = book.counts.get(key, (0, 0))
    return key.isalpha() and FIRST_NAME_LOWERCASE * low <= cap and book.first_word(key, times)


def _people_of_headline(spans: dict[str, str], book: CaseBook) -> dict[str, str]:
    """The runs of a Title Case headline that read as a person's whole name before the stream has written it
    as one inside sentences (CaseBook.named): "Jenny McCarthy" of "Jenny McCarthy Slammed for Anti-Vaccine
    Stance". The run is a person's name (_person) that opens with a first name by the stream's strict test
    ("Jenny"; not "Google", "Kanye", "House" or "US", which stand alone too), whose middle words open names too
    or join them ("Jennifer Love Hewitt", "Robert De Niro"), that no acronym opens ("ECB Draghi"), and whose
    last word is neither an initial ("Michael C" of "Michael C. Hall"), a first name nor a common word ("Kim
    Wedding"). It is followed by a word the stream writes in lower case, or by nothing: "Jada Pinkett" of
    "Jada Pinkett Smith" is no name."""
    out = {}
    for key, surface in spans.items():
        words, written = key.split(), surface.split()
        last = words[-1]
        if (
            len(words) != len(written)
            or not _person(words, book, times=5)
            or not all(book.first_word(w) or w in NAME_JOINERS for w in words[1:-1])
            or any(w.isupper() for w in written[:-1])
            or len(last) < 2
            or last in NAME_JOINERS
            or book.first_word(last, times=1)
            or book.lowercase(last)
        ):
            continue
        longer = [k for k in spans if k.startswith(key + " ")]
        after = min(longer, key=len).split()[len(words)] if longer else None
        if after is None or book.lowercase(after):
            out[key] = surface
    return out


def _glued_apart(key: str, surface: str, book: CaseBook) -> list[tuple[str, str]]:
    """A run of two names written with nothing between them, cut in two where each side is a name the stream
    writes alone and the whole run is not one: "Julian Assange Sweden", "Jim Jordan of Ohio" (a lawmaker and
    his state), "Việt Nam Thuận Hữu" (an association of Vietnam's officer, after its name). "New York Times"
    stays whole: the stream names it as one, and writes "Times" in lower case."""
    keys, words = key.split(), surface.split()
    if len(keys) < 2 or len(keys) != len(words) or book.named(key):
        return [(key, surface)]
    for cut in range(1, len(keys)):
        if keys[cut - 1] in NAME_JOINERS:
            continue
        rest = cut + 1 if keys[cut] in NAME_JOINERS else cut  # "of Ohio" is Ohio
        if rest < len(words) and _DESIGNATOR.match(words[rest]):
            continue
        left, right = " ".join(keys[:cut]), " ".join(keys[rest:])
        # "X Y of Z" where X opens people's names: a person and where they are from or serve, even before the
        # stream has written the person's name alone ("Rep. Jim Jordan of Ohio", "Sen. Ted Cruz of Texas").
        person_of = keys[cut] == "of" and _person(keys[:cut], book)
        # A letter alone is an initial or a place kind's abbreviation ("H." for huyện, a district), no name; a
        # word that opens longer names more often than it stands alone begins this one ("Kanye West",
        # "Michael Melton", "Little Rock Police Department"), though it is a name alone too.
        if (
            len(right) > 1
            and len(left) > 1
            and (book.name_alone(left) and (" " in left or not book.first_word(left, times=1)) or person_of)
            and book.name_alone(right)
        ):
            return [(left, " ".join(words[:cut])), *_glued_apart(right, " ".join(words[rest:]), book)]
    return [(key, surface)]


FRAGMENT_SHARE = 0.25  # a piece of a quoted title named less than this share as often as the title is none


def item_names(topics: ItemTopics, book: CaseBook | None = None) -> dict[str, str]:
    """The item's names, one per thing: its names and the Title Case runs the stream writes as names, less
    those that are part of a longer one ("Space Station" in "International Space Station", "Handler" beside
    "Chelsea Handler") or its initials ("ISS")."""
    names = dict(topics.names)
    if book is not None:
        # A lone capitalised word the stream mostly writes in lower case is a fragment of a name the reader
        # did not take whole ("Đường" of "Cục Đường bộ"), not a thing; an acronym it writes in the plural is
        # a common noun's ("IPO"); a word it writes mostly as the first of longer names is a first name ("Tori").
        names = {k: v for k, v in names.items() if " " in k or not (book.lowercase(k) or book.no_name_alone(k, v))}
        # A name that ends inside a word is a piece of a longer one: "Sở Xây" of "Sở Xây dựng" (the department
        # of construction), "Trường Đại" of "Trường Đại học" (a university).
        names = {k: v for k, v in names.items() if not any(book.word(pair) for pair in topics.followed.get(k, ()))}
        apart = {}
        for key, surface in names.items():
            for i, (part, part_surface) in enumerate(_glued_apart(key, surface, book)):
                if i == 0 and key in topics.openers:
                    part, part_surface = _past_the_opener(part, part_surface, book)
                apart[part] = part_surface
        names = apart
        names.update((k, v) for k, v in topics.spans.items() if book.named(k))
        names.update(_people_of_headline(topics.spans, book))

    # A piece of a quoted title is no name of its own ("Orange", "New Black Season") unless the stream names
    # it as one where nothing is quoted: "Captain America" of 'Captain America: The Winter Soldier'.
    def named_apart(key):
        return book is not None and (book.named(key) if " " in key else book.always_capitalised(key))

    names = {k: v for k, v in names.items() if not topics.piece_of_title(k) or named_apart(k)}
    words = {k: set(k.split()) for k in names}

    def fragment_of(key, title):
        # The stream names the title far more often than the piece: "Moms Night" (2) of 'Moms' Night Out' (34).
        return book is not None and FRAGMENT_SHARE * book.counts.get(title, (0, 0))[0] > book.counts.get(key, (0, 0))[0]

    out = {}
    for key, surface in names.items():
        # ... and stays beside it, unless it is seldom named but there: the series is a topic of its own, the
        # sequel's title one more.
        if any(o != key and words[key] < words[o] and (o not in topics.titles or fragment_of(key, o)) for o in names):
            continue
        if any(o != key and " " in o and _acronym_of(surface, names[o]) for o in names):
            continue
        out[key] = surface
    return out


def top_topics(topics: ItemTopics, df: Counter, n_docs: int, limit: int = 6, book: CaseBook | None = None) -> list[str]:
    """The item's most informative topic keys: names first, then headline words, by rarity in the stream so
    far. A headline word is tagged alone only when it is a name: the stream writes it capitalised inside
    sentences (``book``), or, before it has seen enough, it is rare in the language."""

    def idf(key):
        return math.log((n_docs + 10) / (df.get(key, 0) + 1))

    def thing(key):
        return key not in _DEMONYM_KEYS

    def lone(key):
        if key in NOT_NAMES or key in ROLES or key in topics.lowered:  # "March", "Mrs", "CEO": still no thing
            return False
        surface = topics.terms[key]
        if surface.lower() in PARTY_MEMBERS or _PERIOD_OR_AGE.match(surface):  # "Republican" (not "Republicans"), "Q1"
            return False
        if book is not None and book.no_name_alone(key, surface):  # "IPO", "Tori"
            return False
        if key in topics.quoted and not (book is not None and book.always_capitalised(key)):  # "Orange" of a title
            return False
        if _compound_adjective(surface):
            return False
        lower = book.lowercase(key) if book is not None else None
        return not lower if lower is not None else key not in topics.common

    named = item_names(topics, book)
    names = sorted(filter(thing, named), key=idf, reverse=True)
    # Languages that space their syllables write a word of two syllables as two: a pair of them written
    # together is that word ("thiệt mạng", killed), no phrase.
    if book is not None and topics.language not in SPACED_SYLLABLES:
        phrases = [
            k
            for k in topics.terms
            if " " in k
            and k not in named
            and book.phrase(k)
            and not _compound_adjective(topics.terms[k])
            and not any(_degree_word(w, topics.language) for w in k.split())
        ]
        names += sorted(phrases, key=idf, reverse=True)
    # Key terms must be rare to say something (once the stream is long enough to tell): "dies", "wrong" no.
    rare = (lambda k: df.get(k, 0) <= KEY_TERM_MAX_SHARE * n_docs) if n_docs >= 1000 else (lambda k: True)
    words = sorted(
        (k for k in topics.terms if " " not in k and k not in named and lone(k) and rare(k) and thing(k)),
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
