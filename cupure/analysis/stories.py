"""Story clustering: group the articles that report the same event, online, in one ordered pass.

An article is read as three sparse TF-IDF vectors, each a different kind of evidence:

- ``words``: the title (counted twice), the opening of the text and the URL slug;
- ``names``: what only one event has: capitalised words inside sentences (people, places, outlets) and
  numbers ("2-year-old", "5 killed", "$5 trillion"), which tell one shooting or one court ruling from the
  next when the words are the same;
- ``pairs``: adjacent word pairs of the title and the first sentences, which carry a phrase ("drive-by
  shooting", "Sét đánh") where single words of a language like Vietnamese are common syllables.

Document frequencies are learned from the stream itself: a term in more than ``MAX_DF`` of the documents
is a function word of the stream's language and weighs nothing, every other is weighed by its rarity.
Until the stream has ``MATURE`` documents, too few to tell function words from the day's big event, the
stop-word lists of every language (stopwords-iso) stand in.

An article is compared with the active stories that share its words (an inverted index over the stories'
centroids), and for the ``CANDIDATES`` most similar a pair model turns the three cosines (with mean-link
cosines, hinges, the story's size and the time between them) into the probability that the article reports
the story's event: 50 small boosted trees, bound to rise with every similarity and to fall with the days a
story has been quiet. It joins the most probable story when that probability reaches one half, else it
opens a story. There are two models, for articles with text and for headlines alone. They were fitted on
labelled pairs of the project's dev streams by ``bench/train_story_model.py`` and ship in
``story_model.json``: one model and one setting for headlines and full text in every language.

Consolidation (every hour of news, and ``settle()`` after each of the site's batches and at the end of a
stream) folds fragments opened while an event's vocabulary was forming, by average linkage over the
stories' word vectors. Merges only, never splits.

What a story shows: its lead (``choose_lead``, the most central full report) and its place among the top
stories (``rank_top``). ``Replay`` runs a finite stream through all of it, for the measuring commands.

Stories idle for longer than the window (a day for headlines, TEXT_WINDOW_DAYS for full reports, at most
MAX_QUIET of them past the day) retire from memory. Pure module: no database. ``state()`` and
``from_state()`` let the site persist the active stories and continue after a restart.
"""

from __future__ import annotations

import heapq
import json
import math
import operator
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import stopwordsiso

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_EXTENSION = re.compile(r"\.\w+$")
_SENTENCE = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+|\n+")
MODEL_PATH = Path(__file__).with_name("story_model.json")
# Full reports stay candidates this long after their last article: their names and numbers can tie a report
# to an event quiet for weeks, which a headline cannot (longer windows for headlines measured no better on
# UCI, and slower). Measured in docs/decisions/stories.md.
TEXT_WINDOW_DAYS = 30.0
# Quiet stories kept beyond the one-day window at most, the longest quiet retiring first: a bound on memory
# and on the state the site stores after each batch, whatever the stream.
MAX_QUIET = 5000


@dataclass
class NewsItem:
    id: str | int  # echoed back as given
    title: str
    published: datetime
    text: str = ""
    url: str = ""
    source: str = ""


@dataclass
class Story:
    id: int
    first_seen: float  # unix seconds
    last_seen: float
    size: int = 0
    texts: int = 0  # members with text of their own
    # Sums of member unit vectors, pruned to their heaviest terms; the norms go with them.
    words: dict[str, float] = field(default_factory=dict)
    names: dict[str, float] = field(default_factory=dict)
    pairs: dict[str, float] = field(default_factory=dict)
    norms: list[float] = field(default_factory=lambda: [0.0, 0.0, 0.0])
    sources: dict[str, float] = field(default_factory=dict)  # source -> when it last reported

    # The fields a saved clusterer keeps, in the order of its rows (the norms are recomputed on loading).
    STATE = ("id", "first_seen", "last_seen", "size", "texts", "words", "names", "pairs", "sources")

    @property
    def full_text(self) -> bool:
        """Most of its members have text of their own (a full-text story, not one of headlines)."""
        return 2 * self.texts > self.size

    def recent_sources(self, since: float) -> int:
        """Distinct sources that reported after ``since`` (unix seconds)."""
        return sum(1 for t in self.sources.values() if t > since)


@dataclass
class Doc:
    """An item as the clusterer reads it: three unit vectors, whether it has text, when, from whom."""

    words: dict[str, float]
    names: dict[str, float]
    pairs: dict[str, float]
    has_text: bool
    ts: float
    source: str = ""


def _norm(text: str) -> str:
    """Lower case, composed; diacritics kept (in Vietnamese they tell syllables apart)."""
    text = text.lower()
    return text if text.isascii() else unicodedata.normalize("NFC", text)


_STEMS: dict[str, str] = {}


def stem(word: str) -> str:
    """A light plural/possessive folding for Latin-script words: "markets" -> "market"."""
    got = _STEMS.get(word)
    if got is None:
        got = _fold_plural(word)
        if len(_STEMS) < 500_000:  # a bound on memory whatever the stream
            _STEMS[word] = got
    return got


def _fold_plural(word: str) -> str:
    if not word.isascii() or len(word) < 4:
        return word
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def terms_of(text: str) -> list[str]:
    """The words of ``text``, lower-cased and lightly stemmed, possessives and one-letter words dropped."""
    text = text.replace("'s ", " ").replace("’s ", " ")
    return [stem(w) for w in _WORD.findall(_norm(text)) if len(w) > 1 or w.isdigit()]


def slug_terms(url: str) -> list[str]:
    """Words of the URL's last meaningful path segment ("/2014/03/fed-plosser-taper.html")."""
    # The path by hand: urlsplit validates more than a slug needs and costs a third of a headline's features.
    rest = url.split("://", 1)[-1].split("?", 1)[0].split("#", 1)[0]
    path = rest.split("/", 1)[1] if "/" in rest else ""
    segments = [s for s in path.split("/") if s and not s.isdigit()]
    if not segments:
        return []
    slug = max(segments[-2:], key=lambda s: s.count("-") + s.count("_"))
    if slug.count("-") + slug.count("_") < 2:
        return []
    return terms_of(_EXTENSION.sub("", slug).replace("-", " ").replace("_", " "))


_FUNCTION_WORDS: frozenset[str] | None = None


def function_words() -> frozenset[str]:
    """Stop words of every language stopwords-iso lists, as terms_of spells them (pairs of them, too)."""
    global _FUNCTION_WORDS
    if _FUNCTION_WORDS is None:
        words = {t for w in stopwordsiso.stopwords(stopwordsiso.langs()) for t in terms_of(w)}
        _FUNCTION_WORDS = frozenset(words)
    return _FUNCTION_WORDS


def _capitalised_title(title: str) -> bool:
    """Whether most of a title's longer words are capitalised, so its capitals are not counted as names.
    Not the reader's notion of Title Case (cupure.lib.text.is_title_case, which the topics use): this looser
    test also silences sentence-case titles heavy with names ("Teen shot in Allegheny Township"), whose places
    recur across unrelated events; the story model was fitted with it, and the stricter test cost gvc 0.004
    BCubed, retrained or not (docs/decisions/stories.md)."""
    words = [w for w in _WORD.findall(title) if w[:1].isalpha() and len(w) > 3]
    return bool(words) and sum(w[0].isupper() for w in words) > 0.6 * len(words)


def names_of(text: str, *, title: bool = False) -> list[str]:
    """Capitalised words that do not open a sentence, and numbers: the marks of one event.

    A title in Title Case capitalises every word, so it gives none but its numbers.
    """
    skip_caps = title and _capitalised_title(text)
    out = []
    for sentence in _SENTENCE.split(text):
        for i, w in enumerate(_WORD.findall(sentence)):
            if w[0].isdigit():
                out.append("#" + w.lower())
            elif i and not skip_caps and w[0].isupper() and len(w) > 1:
                out.append("@" + _norm(w))
    return out


class StoryModel:
    """The pair model: P(an article reports a story's event) from their features.

    Either boosted trees (what ships: ``forests``, fitted by bench/train_story_model.py) or a logistic model
    (``weights``: what the trees' training starts from, and tests' hand-made models). Two of each, one for
    articles with text and one for headlines alone: the same similarity means different things over a title
    and over a whole report.
    """

    FEATURES = (
        "bias",
        "words",
        "names",
        "pairs",
        "named",
        "log_size",
        "gap_days",
        "words_mean",
        "pairs_mean",
        "words_hi",
        "names_hi",
        "pairs_hi",
        "words_lo",
        "names_lo",
        "pairs_lo",
        "names_mean",
        "quiet_days",
        "matched",
        "shared",
    )
    KINDS = ("headline", "fulltext")

    def __init__(
        self,
        weights: dict[str, dict[str, float]],
        linkage: dict[str, float] | None = None,
        forests: dict[str, dict] | None = None,
    ):
        self.weights = [[float(weights.get(kind, {}).get(f, 0.0)) for f in self.FEATURES] for kind in self.KINDS]
        # Average-linkage thresholds of consolidation, per kind (measured in bench/clustering.py).
        linkage = linkage or {}
        self.linkage = [float(linkage.get(kind, 1.0)) for kind in self.KINDS]
        # Per kind: the log-odds of the trees as one compiled function of the features, or None (logistic).
        forests = forests or {}
        self.forests = [_compile_forest(forests[kind]) if kind in forests else None for kind in self.KINDS]

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> StoryModel:
        model = json.loads(path.read_text())
        return cls(model.get("weights", {}), model.get("linkage"), model.get("forests"))

    def probability(self, x: list[float], has_text: bool) -> float:
        forest = self.forests[has_text]
        z = sum(map(operator.mul, self.weights[has_text], x)) if forest is None else forest(x)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def _compile_forest(forest: dict):
    """The log-odds of boosted trees as one Python function of the feature list.

    ``forest``: {"base": the starting log-odds, "trees": [[features, thresholds, lefts, rights, values], ...]}
    per tree, node 0 its root, a node a leaf when its feature is -1, left taken when the feature is at most
    the threshold. The trees become nested ``if``s, compiled once: walking them as data costs about five times
    as much, and the model is asked for every candidate story of every article.
    """

    def number(v) -> str:
        v = float(v)
        return repr(v) if math.isfinite(v) else f"float('{v}')"

    lines = ["def log_odds(x):", f"    z = {number(forest['base'])}"]

    def node(tree, i: int, indent: str) -> None:
        feature, threshold, left, right, value = tree
        if int(feature[i]) < 0:
            lines.append(f"{indent}z += {number(value[i])}")
            return
        lines.append(f"{indent}if x[{int(feature[i])}] <= {number(threshold[i])}:")
        node(tree, int(left[i]), indent + "    ")
        lines.append(f"{indent}else:")
        node(tree, int(right[i]), indent + "    ")

    for tree in forest["trees"]:
        node(tree, 0, "    ")
    lines.append("    return z")
    namespace: dict = {}
    exec(compile("\n".join(lines), "<story model>", "exec"), namespace)  # noqa: S102 - our own numbers, as code
    return namespace["log_odds"]


_DEFAULT_MODEL: StoryModel | None = None


def default_model() -> StoryModel:
    global _DEFAULT_MODEL
    if _DEFAULT_MODEL is None:
        _DEFAULT_MODEL = StoryModel.load()
    return _DEFAULT_MODEL


def _dot(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(t, 0.0) for t, w in a.items())


class StoryClusterer:
    """Online single-pass clustering. Feed items in publication order with ``add``."""

    PRIOR_DOCS = 1000  # a young stream counts as if it had this many more documents without the term
    MAX_DF = 0.1  # a term in more of the documents than this is a function word of the stream's language
    MATURE = 300
    CANDIDATES = 2  # 1, 2, 3, 4 measured in docs/decisions/stories.md

    def __init__(
        self,
        *,
        model: StoryModel | None = None,
        window_days: float = 1.0,
        text_window_days: float | None = None,
        max_terms: int = 80,
        title_weight: float = 2.0,
        slug_weight: float = 0.5,
        text_words: int = 300,
        pair_words: int = 80,
        settle_hours: float = 1.0,
        lookback_hours: float = 12.0,
        join: float = 0.5,
        max_settling: int = 3000,
    ):
        self.model = model or default_model()
        self.join = join
        self.window = window_days * 86400.0  # for headline stories; full-text ones stay text_window_days
        self.text_window = (TEXT_WINDOW_DAYS if text_window_days is None else text_window_days) * 86400.0
        self.max_terms = max_terms
        self.title_weight = title_weight
        self.slug_weight = slug_weight
        self.text_words = text_words
        self.pair_words = pair_words
        self.max_settling = max_settling  # bounds consolidation's work: the stories it compares
        self.settle_every = settle_hours * 3600.0
        self.lookback = lookback_hours * 3600.0
        self._settled_at: float | None = None
        self._merges: list[tuple[int, int]] = []
        self.merged_into: dict[int, int] = {}  # a merged story id -> the story it joined
        self.df: Counter[str] = Counter()
        self.n_docs = 0
        self.stories: dict[int, Story] = {}
        # term -> {story id: the term's weight in that story's words centroid}
        self.index: dict[str, dict[int, float]] = defaultdict(dict)
        self.next_id = 1
        self._since_sweep = 0
        self.now = 0.0

    # -- features -------------------------------------------------------------------------------------
    def counts(self, item: NewsItem) -> tuple[Counter, Counter, Counter]:
        """Term counts of an item's three vectors (see the module docstring)."""
        lead = " ".join(item.text.split()[: self.text_words]) if item.text else ""
        title = terms_of(item.title)
        body = terms_of(lead) if lead else []
        words = self._words(title, body, item.url)
        names = Counter(names_of(item.title, title=True))
        if lead:
            names.update(names_of(lead))
        seq = title + ["|"] + body[: self.pair_words]
        pairs = Counter(f"{a} {b}" for a, b in zip(seq, seq[1:]) if a != "|" and b != "|")
        return words, names, pairs

    def word_counts(self, item: NewsItem) -> Counter:
        """The first of counts(), alone (choosing a lead needs no more)."""
        lead = " ".join(item.text.split()[: self.text_words]) if item.text else ""
        return self._words(terms_of(item.title), terms_of(lead) if lead else [], item.url)

    def _words(self, title: list[str], body: list[str], url: str) -> Counter:
        words: Counter[str] = Counter()
        for t in title:
            words[t] += self.title_weight
        words.update(body)
        if self.slug_weight and url:
            for t in set(slug_terms(url)):
                words[t] += self.slug_weight
        return words

    def vector(self, tf: Counter) -> dict[str, float]:
        """Sublinear TF times the stream's IDF, unit length, function words dropped: the terms in more than
        MAX_DF of the documents, or, while the stream is younger than MATURE documents (too young to tell its
        language's function words from the day's big event by frequency), those of the stop-word lists."""
        log_n = math.log(self.n_docs + self.PRIOR_DOCS + 1.0)
        young = self.n_docs < self.MATURE
        stop = function_words() if young else frozenset()
        cap = math.inf if young else self.MAX_DF * self.n_docs
        vec = {}
        df, log = self.df, math.log
        for t, w in tf.items():
            d = df[t]
            if d > cap:
                continue
            if young and (t in stop or (" " in t and all(p in stop for p in t.split(" ")))):
                continue
            vec[t] = (1.0 + log(w) if w >= 1 else w) * (log_n - log(d + 0.5))
        norm = math.sqrt(sum(v * v for v in vec.values()))
        return {t: v / norm for t, v in vec.items() if v > 0} if norm else {}

    def doc(self, item: NewsItem, *, learn: bool = True) -> Doc:
        """``item`` as vectors; ``learn`` counts it into the document frequencies first."""
        words, names, pairs = self.counts(item)
        if learn:
            self.n_docs += 1
            self.df.update(words.keys())
            self.df.update(names.keys())
            self.df.update(pairs.keys())
        return Doc(
            self.vector(words),
            self.vector(names),
            self.vector(pairs),
            bool(item.text.strip()),
            item.published.timestamp(),
            item.source,
        )

    def features(self, doc: Doc, story: Story, words_cos: float) -> list[float]:
        """The model's inputs for ``doc`` against ``story`` (names as in StoryModel.FEATURES)."""
        name_dot = _dot(doc.names, story.names) if doc.names and story.norms[1] else 0.0
        names = name_dot / story.norms[1] if name_dot else 0.0
        pair_dot = _dot(doc.pairs, story.pairs) if doc.pairs and story.norms[2] else 0.0
        pairs = pair_dot / story.norms[2] if pair_dot else 0.0
        named = 1.0 if doc.names and story.names else 0.0
        # How much of the article the story's words hold, and in how many words: one shared word ("care",
        # "office") can give a fair cosine with a big story that is about something else.
        in_story = [w for t, w in doc.words.items() if t in story.words]
        matched = sum(w * w for w in in_story)
        shared = min(len(in_story), 5) / 5.0
        days = abs(doc.ts - story.last_seen) / 86400.0
        gap, quiet = min(days, 1.0), math.log1p(max(0.0, days - 1.0))
        return [
            1.0,
            words_cos,
            names,
            pairs,
            named,
            math.log1p(story.size),
            gap,
            words_cos * story.norms[0] / story.size,
            pair_dot / story.size,
            max(0.0, words_cos - 0.5),
            max(0.0, names - 0.5),
            max(0.0, pairs - 0.5),
            max(0.0, 0.2 - words_cos),
            max(0.0, 0.2 - names),
            max(0.0, 0.2 - pairs),
            name_dot / story.size,
            quiet,
            matched,
            shared,
        ]

    def candidates(self, doc: Doc, exclude: int | None = None) -> list[tuple[int, list[float]]]:
        """The best CANDIDATES active stories by word cosine, each with its features."""
        if not doc.words:
            return []
        horizon, text_horizon = self.now - self.window, self.now - self.text_window
        scores: dict[int, float] = {}
        get = scores.get
        index = self.index
        for t, w in doc.words.items():
            posting = index.get(t)
            if posting:
                for sid, c in posting.items():
                    scores[sid] = get(sid, 0.0) + w * c
        stories = self.stories
        # Every indexed story has words; stories past the horizon are rare (sweep() retires them), so the
        # best few are taken first and filtered after, with room for the few filtered out.
        want = self.CANDIDATES
        best = heapq.nlargest(want + 4, [(dot / stories[sid].norms[0], sid) for sid, dot in scores.items()])

        def active(sid: int) -> bool:
            s = stories[sid]
            return sid != exclude and s.last_seen > (text_horizon if s.full_text else horizon)

        ranked = [(cos, sid) for cos, sid in best if active(sid)]
        if len(ranked) < want and len(best) == want + 4:
            ranked = heapq.nlargest(
                want, [(dot / stories[sid].norms[0], sid) for sid, dot in scores.items() if active(sid)]
            )
        ranked = ranked[:want]
        return [(sid, self.features(doc, self.stories[sid], cos)) for cos, sid in ranked]

    def best(self, doc: Doc, exclude: int | None = None) -> tuple[int | None, float]:
        """The story ``doc`` most probably reports, and that probability."""
        best, best_p = None, 0.0
        for sid, x in self.candidates(doc, exclude):
            p = self.model.probability(x, doc.has_text)
            if p > best_p:
                best, best_p = sid, p
        return best, best_p

    # -- the stream -----------------------------------------------------------------------------------
    def add(self, item: NewsItem) -> int:
        """Assign ``item`` to a story; returns the story id (new or existing)."""
        doc = self.doc(item)
        self.now = max(self.now, doc.ts)
        if self._settled_at is None:
            self._settled_at = doc.ts
        elif doc.ts - self._settled_at >= self.settle_every:
            self.consolidate()
            self._settled_at = doc.ts
        sid, p = self.best(doc)
        return self.place(doc, sid if p >= self.join else None)

    def place(self, doc: Doc, story_id: int | None) -> int:
        """Put ``doc`` into story ``story_id`` (None: a new story); returns the story's id."""
        if story_id is None or story_id not in self.stories:
            story = Story(id=story_id if story_id is not None else self.next_id, first_seen=doc.ts, last_seen=doc.ts)
            self.next_id = max(self.next_id, story.id) + 1
            self.stories[story.id] = story
        else:
            story = self.stories[story_id]
        self._join(story, doc)
        self._since_sweep += 1
        if self._since_sweep >= 2000:
            self.sweep()
        return story.id

    def resolve(self, story_id: int) -> int:
        """The id a story is known by now (after merges)."""
        seen = story_id
        while seen in self.merged_into:
            seen = self.merged_into[seen]
        if seen != story_id:
            self.merged_into[story_id] = seen  # path compression
        return seen

    def merge_pass(self) -> list[tuple[int, int]]:
        """Every (merged, into) pair that consolidation made since the last call. The site moves the merged
        stories' articles and redirects their URLs by these pairs."""
        merges, self._merges = self._merges, []
        return merges

    def settle(self) -> list[tuple[int, int]]:
        """Consolidate now, then merge_pass(): after each of the site's batches, and at the end of a finite
        stream (`cupure cluster`)."""
        self.consolidate()
        return self.merge_pass()

    def consolidate(self) -> None:
        """Fold the fragments of each event together once the stories have settled.

        A single pass opens several stories for one event while its vocabulary is still forming. Every
        ``settle_hours`` of news (and whenever the site asks, after each batch), the stories touched in the
        last ``lookback_hours`` are joined by average-linkage agglomeration over their word vectors: the
        two stories whose articles are most alike on average (the mean cosine over every pair of their
        articles) merge first, until no two are alike above the model's linkage threshold for their kind
        (headline stories and full-text stories are joined separately: a whole report shares more words
        with an unrelated one than a headline does). Merges only, never splits.
        """
        since = self.now - self.lookback
        if self._settled_at is not None:
            since = min(since, self._settled_at)  # everything touched since the last consolidation, too
        recent = sorted(
            (s for s in self.stories.values() if s.last_seen >= since and s.norms[0]), key=lambda s: -s.last_seen
        )[: self.max_settling]
        for kind, threshold in enumerate(self.model.linkage):
            group = sorted(s.id for s in recent if s.full_text == kind)
            for small, big in average_link(
                [self.stories[sid].words for sid in group], [self.stories[sid].size for sid in group], threshold
            ):
                small_id, big_id = group[small], group[big]
                self._absorb(self.stories[big_id], self.stories[small_id])
                self._merges.append((small_id, big_id))

    def _absorb(self, big: Story, small: Story) -> None:
        for t in small.words:
            self.index[t].pop(small.id, None)
        for attr in self._VECTORS:
            into = getattr(big, attr)
            for t, w in getattr(small, attr).items():
                into[t] = into.get(t, 0.0) + w
        self._prune(big)
        for t, w in big.words.items():
            self.index[t][big.id] = w
        big.size += small.size
        big.texts += small.texts
        big.first_seen = min(big.first_seen, small.first_seen)
        big.last_seen = max(big.last_seen, small.last_seen)
        for src, ts in small.sources.items():
            big.sources[src] = max(ts, big.sources.get(src, ts))
        del self.stories[small.id]
        self.merged_into[small.id] = big.id

    _VECTORS = ("words", "names", "pairs")

    def _prune(self, story: Story, attrs=_VECTORS) -> None:
        """Keep each centroid's ``max_terms`` heaviest terms (out of the index go the rest); set the norms."""
        for attr in attrs:
            i = self._VECTORS.index(attr)
            vec = getattr(story, attr)
            if len(vec) > self.max_terms:
                keep = dict(sorted(vec.items(), key=lambda kv: kv[1], reverse=True)[: self.max_terms])
                if attr == "words":
                    for t in vec.keys() - keep.keys():
                        self.index[t].pop(story.id, None)
                setattr(story, attr, keep)
                vec = keep
                if attr == "words":
                    for t, w in keep.items():
                        self.index[t][story.id] = w
            story.norms[i] = math.sqrt(sum(v * v for v in vec.values()))

    def _join(self, story: Story, doc: Doc) -> None:
        for i, attr in enumerate(self._VECTORS):
            into = getattr(story, attr)
            norm2 = story.norms[i] ** 2
            for t, w in getattr(doc, attr).items():
                old = into.get(t, 0.0)
                into[t] = old + w
                norm2 += w * (2 * old + w)  # the norm kept up as terms grow, not summed again
            # Pruning sorts the centroid: done once it has half as many terms again as it keeps.
            if len(into) > self.max_terms * 3 // 2:
                self._prune(story, (attr,))
            else:
                story.norms[i] = math.sqrt(max(norm2, 0.0))
        words = story.words
        for t in doc.words:
            if t in words:
                self.index[t][story.id] = words[t]
        story.size += 1
        story.texts += doc.has_text
        story.first_seen = min(story.first_seen, doc.ts)
        story.last_seen = max(story.last_seen, doc.ts)
        if doc.source:
            story.sources[doc.source] = max(doc.ts, story.sources.get(doc.source, doc.ts))

    def sweep(self) -> list[int]:
        """Retire the stories idle for longer than their window, and the longest quiet past MAX_QUIET; returns
        their ids."""
        self._since_sweep = 0
        horizon, text_horizon = self.now - self.window, self.now - self.text_window
        retired = [sid for sid, s in self.stories.items() if s.last_seen <= (text_horizon if s.full_text else horizon)]
        gone = set(retired)
        quiet = [(s.last_seen, sid) for sid, s in self.stories.items() if s.last_seen <= horizon and sid not in gone]
        if len(quiet) > MAX_QUIET:
            retired += [sid for _, sid in heapq.nsmallest(len(quiet) - MAX_QUIET, quiet)]
        for sid in retired:
            for t in self.stories[sid].words:
                posting = self.index.get(t)
                if posting is not None:
                    posting.pop(sid, None)
                    if not posting:
                        del self.index[t]
            del self.stories[sid]
        return retired

    # -- persistence ----------------------------------------------------------------------------------
    def state(self) -> dict:
        """Everything needed to continue the stream later, JSON-serialisable.

        Terms seen once are dropped from the document frequencies: they are
        most of the vocabulary and weigh nothing in any similarity.
        """
        return {
            "version": 2,
            "n_docs": self.n_docs,
            "df": {t: n for t, n in self.df.items() if n > 1},
            "next_id": self.next_id,
            "now": self.now,
            "merged_into": {str(k): v for k, v in self.merged_into.items()},
            "settled_at": self._settled_at,
            "stories": [[getattr(s, f) for f in Story.STATE] for s in self.stories.values()],
        }

    @classmethod
    def from_state(cls, state: dict, **options) -> StoryClusterer:
        """A clusterer that continues where ``state`` stopped; an older state's stories are not carried."""
        c = cls(**options)
        if not state or state.get("version") not in (1, 2):
            return c
        c.n_docs = state["n_docs"]
        c.df = Counter(state["df"])
        c.next_id = state["next_id"]
        c.now = state["now"]
        c.merged_into = {int(k): v for k, v in state["merged_into"].items()}
        c._settled_at = state.get("settled_at")
        if state["version"] != 2:
            return c  # version 1 stories have no name or pair centroids: new articles open new stories
        for row in state["stories"]:
            story = Story(**dict(zip(Story.STATE, row, strict=True)))
            c._prune(story)
            c.stories[story.id] = story
            for t, w in story.words.items():
                c.index[t][story.id] = w
        return c


import numpy as np  # noqa: E402
from scipy.sparse import csr_matrix  # noqa: E402


def as_matrix(vectors: list[dict[str, float]]) -> csr_matrix:
    """Sparse term vectors as the rows of one matrix, its columns the terms they use (in no set order)."""
    vocab: dict[str, int] = {}
    rows, cols, vals = [], [], []
    for i, vec in enumerate(vectors):
        for t, w in vec.items():
            rows.append(i)
            cols.append(vocab.setdefault(t, len(vocab)))
            vals.append(w)
    return csr_matrix((vals, (rows, cols)), shape=(len(vectors), len(vocab)), dtype=np.float64)


def average_link(sums: list[dict[str, float]], sizes: list[int], threshold: float) -> list[tuple[int, int]]:
    """Average-linkage agglomeration of groups of unit vectors, given each group's vector sum and size.

    The similarity of two groups is the mean cosine over all pairs of their members, which is
    ``dot(sum_a, sum_b) / (size_a * size_b)``, so groups merge exactly as their articles would, without
    the articles. Repeatedly merges the most similar pair until none reaches ``threshold``; returns the
    merges in order as (absorbed, absorber) indexes into ``sums``, the larger group absorbing.
    """
    count = len(sums)
    if count < 2:
        return []
    matrix = as_matrix(sums)
    dots = (matrix @ matrix.T).toarray()  # dot products of the sums; they add up as groups merge
    size = np.asarray(sizes, dtype=np.float64)
    sim = dots / np.outer(size, size)
    np.fill_diagonal(sim, -np.inf)
    gone = np.zeros(count, dtype=bool)
    best = sim.argmax(axis=1)  # each row's most similar group, and how similar
    best_sim = sim[np.arange(count), best]
    merges = []
    while True:
        a = int(best_sim.argmax())
        if best_sim[a] < threshold:
            return merges
        b = int(best[a])
        if size[b] > size[a] or (size[b] == size[a] and b < a):
            a, b = b, a  # a absorbs b
        dots[a] += dots[b]
        dots[:, a] = dots[a]
        size[a] += size[b]
        gone[b] = True
        row = dots[a] / (size[a] * size)
        row[gone] = -np.inf
        row[a] = -np.inf
        sim[a] = row
        sim[:, a] = row
        sim[b] = -np.inf
        sim[:, b] = -np.inf
        best_sim[b] = -np.inf
        # A merged group's similarity to any other is a weighted mean of its parts', so it never exceeds a
        # row's best: only the rows whose best was a or b (and a's own) need looking at again.
        stale = np.flatnonzero(((best == a) | (best == b) | (np.arange(count) == a)) & ~gone)
        if len(stale):
            best[stale] = sim[stale].argmax(axis=1)
            best_sim[stale] = sim[stale, best[stale]]
        merges.append((b, a))


# -- what the site shows of a story ---------------------------------------------------------------------
LEAD_MIN_WORDS = 150  # a full report rather than a teaser


def choose_lead(clusterer: StoryClusterer, members: list[NewsItem], full: list[bool]) -> int:
    """The index of the member that best represents a story: the most central (word cosine with the sum of
    the members' vectors) of the members that are full reports (``full``), or of all when none is.
    Ties go to the earliest. Centrality rather than arrival: the first report of an event is often a
    teaser, and a stray article that joined by mistake is the least central of all."""
    vectors = [clusterer.vector(clusterer.word_counts(m)) for m in members]
    centroid: dict[str, float] = {}
    for vec in vectors:
        for t, w in vec.items():
            centroid[t] = centroid.get(t, 0.0) + w
    score = [_dot(vec, centroid) for vec in vectors]
    pool = [i for i, f in enumerate(full) if f] or list(range(len(members)))
    return max(pool, key=lambda i: (round(score[i], 9), -members[i].published.timestamp(), -i))


TOP_WINDOW_H = 24.0  # sources count towards the ranking while they reported within this many hours
GROWTH_WINDOW_H = 6.0
HALF_LIFE_H = 8.0


@dataclass
class StoryActivity:
    """What top stories are ranked by, whether from the database or from a replayed stream."""

    id: int
    sources: int  # distinct sources that reported in the last TOP_WINDOW_H
    growth: int  # distinct sources that reported in the last GROWTH_WINDOW_H
    last_seen: float  # unix seconds
    terms: dict[str, float] = field(default_factory=dict)  # signature(): what the story is about


SIGNATURE_TERMS = 30
SAME_EVENT = 0.5  # signatures this alike tell one event twice


def signature(story: Story) -> dict[str, float]:
    """A story's heaviest SIGNATURE_TERMS words at unit length: enough to tell two stories of one event."""
    top = sorted(story.words.items(), key=lambda kv: kv[1], reverse=True)[:SIGNATURE_TERMS]
    norm = math.sqrt(sum(w * w for _, w in top))
    return {t: round(w / norm, 4) for t, w in top} if norm else {}


def rank_top(stories: list[StoryActivity], now: float, limit: int = 20) -> list[tuple[int, float]]:
    """(story id, score) of the best ``limit`` stories, best first: the most sources covering it now,
    (1 + ln(1 + sources)) x (1 + ln(1 + growth)) x 0.5 ** (hours since its last article / HALF_LIFE_H).
    Sources count, not articles, so one busy feed cannot lift a story; a story needs two of them. An event
    appears once: a story whose signature is SAME_EVENT alike to a better one's is left out (consolidation
    keeps apart fragments it is not sure of, but two of them must not fill two places)."""
    scored = []
    for s in stories:
        if s.sources < 2:
            continue
        age_h = max(0.0, (now - s.last_seen) / 3600.0)
        score = (1 + math.log1p(s.sources)) * (1 + math.log1p(s.growth)) * 0.5 ** (age_h / HALF_LIFE_H)
        scored.append((score, s.id))
    scored.sort(key=lambda p: (-p[0], p[1]))
    terms = {s.id: s.terms for s in stories}
    picked: list[tuple[int, float]] = []
    for score, sid in scored:
        if any(terms[sid] and _dot(terms[sid], terms[other]) >= SAME_EVENT for other, _ in picked):
            continue
        picked.append((sid, score))
        if len(picked) == limit:
            break
    return picked


class Replay:
    """A finite stream through the site's clustering, leads and top stories (`cupure cluster`, `top`).

    Keeps every item (the leads are chosen among a story's members at the end) and each story's members,
    moved along as consolidation merges stories.
    """

    def __init__(self, clusterer: StoryClusterer | None = None):
        self.clusterer = clusterer or StoryClusterer()
        self.items: list[NewsItem] = []
        self.story_of: list[int] = []
        self.members: dict[int, list[int]] = defaultdict(list)  # story id -> indexes into items

    def add(self, item: NewsItem) -> int:
        sid = self.clusterer.add(item)
        self.story_of.append(sid)
        self.members[sid].append(len(self.items))
        self.items.append(item)
        return sid

    def settle(self) -> None:
        """Consolidate, as the site does after each batch, and move the merged stories' members."""
        for small, _ in self.clusterer.settle():
            moved = self.members.pop(small, [])
            self.members[self.clusterer.resolve(small)].extend(moved)

    def story(self, index: int) -> int:
        return self.clusterer.resolve(self.story_of[index])

    def leads(self) -> set[int]:
        """Indexes of the lead item of each story of two or more items."""
        out = set()
        for idxs in self.members.values():
            if len(idxs) > 1:
                members = [self.items[i] for i in idxs]
                full = [len(m.text.split()) >= LEAD_MIN_WORDS for m in members]
                out.add(idxs[choose_lead(self.clusterer, members, full)])
        return out

    def top(self, limit: int = 20) -> list[list[int]]:
        """The top stories now (the stream's clock), best first, each as its members' indexes."""
        c = self.clusterer
        now = c.now
        activity = [
            StoryActivity(
                s.id,
                s.recent_sources(now - TOP_WINDOW_H * 3600),
                s.recent_sources(now - GROWTH_WINDOW_H * 3600),
                s.last_seen,
                signature(s),
            )
            for s in c.stories.values()
        ]
        return [sorted(self.members[sid]) for sid, _ in rank_top(activity, now, limit)]
