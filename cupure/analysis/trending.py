"""The trending bar: the day's biggest stories, each named by the topic that is rising behind it.

For every topic key, the number of distinct sources that mentioned it is counted per day. A topic's surprise
is a z-score against its own history: (sources now - expected) / sqrt(expected + 1), expected being the mean
of the previous BASELINE_DAYS days, scaled down on a day that hears from fewer sources than usual (a Sunday).
Sources, not articles: one feed posting twenty items adds one. Generic words never trend because their
baseline is as high as today.

``story_bar`` ranks the day's stories by distinct sources (at least MIN_SOURCES), and names each by the topic
that most of its articles mention (at least STORY_COVERAGE of them) among those surging against their own
baseline; a longer name holding that topic's words names the story instead when it covers as much of it
("Lena Dunham" over "Lena"). An article names a topic by its initials too ("GM" for "General Motors", and the
other way round). One story, one topic, one event: a topic that is part of one already on the bar ("Geldof"
beside "Peaches Geldof"), or its initials ("ISS" beside "International Space Station"), is skipped, and so
is a story that a topic already on the bar tells, or whose topic tells a story already there (one event split
in two: "Chelsea Lately", "Chelsea Handler").

Pure module: the site feeds it (day, source, article id, story, topic keys)
and shows the bar; `cupure trending` replays a stream through the same code.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from .topics import initials_of

BASELINE_DAYS = 7
MIN_SOURCES = 5
BAR_SIZE = 10
STORY_COVERAGE = 0.5


@dataclass
class Trend:
    key: str
    sources: int  # distinct sources in the current window
    usual: float  # mean distinct sources per day over the baseline
    score: float


class TrendCounter:
    def __init__(self, baseline_days: int = BASELINE_DAYS, min_sources: int = MIN_SOURCES):
        self.baseline_days = baseline_days
        self.min_sources = min_sources
        # day -> topic -> set of sources; day -> topic -> set of article ids (today's only, for overlap)
        self.sources: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))
        self.articles: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))
        # day -> story -> [sources, [topic keys of each article]]
        self.stories: dict[str, dict] = defaultdict(dict)
        self.day_sources: dict[str, set] = defaultdict(set)  # day -> every source heard from that day

    def add(self, day: str, source: str, article_id, keys, story=None) -> None:
        self.day_sources[day].add(source)
        by_topic_sources, by_topic_articles = self.sources[day], self.articles[day]
        for key in keys:
            by_topic_sources[key].add(source)
            by_topic_articles[key].add(article_id)
        if story is not None:
            entry = self.stories[day].setdefault(story, [set(), []])
            entry[0].add(source)
            entry[1].append(set(keys))

    def regroup(self, day: str, resolve) -> None:
        """Count as one the stories of ``day`` that were merged since they were counted (``resolve``: a story
        id -> the story it is part of now), as the site's database does by moving their articles."""
        merged: dict = {}
        for story, (sources, key_sets) in self.stories.get(day, {}).items():
            entry = merged.setdefault(resolve(story), [set(), []])
            entry[0] |= sources
            entry[1].extend(key_sets)
        self.stories[day] = merged

    def forget_before(self, day: str) -> None:
        """Drop days older than the baseline needs (memory stays bounded)."""
        for d in [d for d in self.sources if d < day]:
            del self.sources[d]
            self.day_sources.pop(d, None)
            self.articles.pop(d, None)
            self.stories.pop(d, None)

    def volume(self, day: str, history: list[str]) -> float:
        """How many sources were heard from on ``day`` for each one on a usual day of ``history`` (1 without
        history): on UCI's Sunday 23 March 2014, 264 sources against 2,117 the day before."""
        usual = sum(len(self.day_sources.get(d, ())) for d in history) / max(1, len(history))
        return len(self.day_sources.get(day, ())) / usual if usual else 1.0

    def surprise(self, key, day: str, history: list[str], baseline: dict | None = None, volume: float = 1.0) -> Trend:
        """``volume``: how much of a usual day's news the window holds; a topic is expected in proportion."""
        n = len(self.sources.get(day, {}).get(key, ()))
        if baseline is not None:  # the caller counted the history itself (the site, from the database)
            usual = baseline.get(key, 0.0)
        else:
            usual = sum(len(self.sources.get(d, {}).get(key, ())) for d in history) / max(1, len(history))
        expected = usual * volume
        return Trend(key, n, usual, (n - expected) / math.sqrt(expected + 1.0))

    def story_bar(
        self,
        day: str,
        previous_days: list[str],
        size: int = BAR_SIZE,
        baseline: dict | None = None,
        stories_per_place: int = 5,
        volume: float | None = None,
    ) -> list[Trend]:
        """The bar built from the day's biggest stories, one topic each (see the module docstring).
        ``baseline`` maps keys to their usual distinct sources per day, and ``volume`` is the window's sources
        against a usual day's, when the history is not in here."""
        history = previous_days[-self.baseline_days :]
        # A quiet day (a Sunday hears from a fraction of a weekday's sources) expects less of every topic, so
        # its biggest stories still rise; a busier day expects no more than usual, or a young site whose
        # sources grow day by day would see nothing rise.
        volume = min(1.0, self.volume(day, history) if volume is None else volume)
        stories = sorted(self.stories.get(day, {}).values(), key=lambda e: len(e[0]), reverse=True)
        chosen: list[Trend] = []
        named: list[tuple[dict, int]] = []  # the chosen stories' topic counts and sizes
        for sources, key_sets in stories[: size * stories_per_place]:
            if len(sources) < self.min_sources or len(chosen) == size:
                break
            counts = _coverage(key_sets)
            covered = STORY_COVERAGE * len(key_sets)
            # A story most of whose articles carry a topic already on the bar is that topic's event again
            # (one event split over two stories, "Chelsea Lately" beside "Chelsea Handler").
            if any(counts.get(c.key, 0) >= covered for c in chosen):
                continue
            eligible = []
            for key, n in counts.items():
                if n < covered:
                    continue
                trend = self.surprise(key, day, history, baseline, volume)
                if trend.score <= 0 or trend.sources < self.min_sources:
                    continue
                # Coverage first (the topic must name this story), surprise breaks near-ties, then the longer
                # (more specific) key: "evacuation" over "forces"; the key itself settles the rest.
                eligible.append(((round(n / len(key_sets), 1), round(trend.score, 2), len(key), key), trend))
            if not eligible:
                continue
            trend = max(eligible, key=lambda e: e[0])[1]
            # The whole name: a topic holding every word of the chosen one that names the story as well
            # ("Lena Dunham" over "Lena", "Game of Thrones" over "Thrones").
            words = set(trend.key.split())
            longer = [e for e in eligible if words < set(e[1].key.split())]
            if longer:
                trend = max(longer, key=lambda e: (e[0][0], len(e[1].key.split()), e[0]))[1]
            words = set(trend.key.split())
            if any(
                words <= set(c.key.split()) or set(c.key.split()) <= words or _one_thing(trend.key, c.key)
                for c in chosen
            ):
                continue
            # ... or whose topic names a story already on the bar as well.
            if any(other.get(trend.key, 0) >= STORY_COVERAGE * n for other, n in named):
                continue
            chosen.append(trend)
            named.append((counts, len(key_sets)))
        return chosen

    def bar_candidates(self, day: str, size: int = BAR_SIZE, stories_per_place: int = 5) -> set:
        """Keys that could make ``story_bar``: enough sources and STORY_COVERAGE of one of the biggest
        stories. A site asks only these for their history."""
        stories = sorted(self.stories.get(day, {}).values(), key=lambda e: len(e[0]), reverse=True)
        out = set()
        today = self.sources.get(day, {})
        for sources, key_sets in stories[: size * stories_per_place]:
            if len(sources) < self.min_sources:
                break
            counts = _coverage(key_sets)
            out |= {
                k
                for k, n in counts.items()
                if n >= STORY_COVERAGE * len(key_sets) and len(today.get(k, ())) >= self.min_sources
            }
        return out


def _one_thing(a: str, b: str) -> bool:
    """Whether two keys name one thing: one is the initials of the other ("iss", "international space station")."""
    return initials_of(a, b) or initials_of(b, a)


def _coverage(key_sets: list[set]) -> dict[str, int]:
    """How many of a story's articles name each topic, by that key or by the other name of the same thing in
    the story: its initials or their expansion ("GM" in some reports, "General Motors" in others)."""
    counts: dict[str, int] = defaultdict(int)
    for keys in key_sets:
        for k in keys:
            counts[k] += 1
    short = [k for k in counts if " " not in k and 2 <= len(k) <= 6]
    long = [k for k in counts if " " in k]
    same = defaultdict(set)
    for a in short:
        for b in long:
            if initials_of(a, b):
                same[a].add(b)
                same[b].add(a)
    for key, others in same.items():
        counts[key] = sum(1 for keys in key_sets if key in keys or keys & others)
    return counts
