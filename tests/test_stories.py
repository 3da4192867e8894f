"""Story clustering: coverage of one event joins one story; other events, and old news, do not."""

import io
import json
import math
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from django.core.management import call_command
from scipy.cluster.hierarchy import fcluster, linkage

from cupure.analysis.stories import NewsItem, StoryClusterer, StoryModel, average_link, choose_lead, terms_of

from .headlines import EVENT_A, EVENT_B

T0 = datetime(2026, 11, 20, 8, tzinfo=UTC)


def items(titles, start=T0, step=timedelta(minutes=7), prefix="x"):
    return [NewsItem(id=f"{prefix}{i}", title=t, published=start + i * step) for i, t in enumerate(titles)]


def settled(c: StoryClusterer, ids: list[int]) -> set[int]:
    """The stories ``ids`` belong to once the clusterer has consolidated, as the site does after each batch."""
    c.settle()
    return {c.resolve(i) for i in ids}


def test_same_event_joins_other_event_does_not():
    c = StoryClusterer()
    a = [c.add(i) for i in items(EVENT_A, prefix="a")]
    b = [c.add(i) for i in items(EVENT_B, prefix="b")]
    assert len(settled(c, a)) == 1 and len(settled(c, b)) == 1 and settled(c, a) != settled(c, b)


def test_interleaved_arrival_order():
    c = StoryClusterer()
    mixed = [x for pair in zip(items(EVENT_A, prefix="a"), items(EVENT_B, prefix="b")) for x in pair]
    got = {i.id: c.add(i) for i in mixed}
    assert len(settled(c, [got[k] for k in got if k.startswith("a")])) == 1
    assert len(settled(c, [got[k] for k in got if k.startswith("b")])) == 1


def test_stories_retire_after_a_day_of_silence():
    c = StoryClusterer()
    first = c.add(items(EVENT_A[:1])[0])
    later = NewsItem(id="late", title=EVENT_A[1], published=T0 + timedelta(days=3))
    assert c.add(later) != first
    c.sweep()
    assert first not in c.stories  # memory holds active stories only


DAM_REPORTS = [
    (
        "Engineers race to shore up the cracked Oroville dam spillway",
        "Engineers in Oroville, California, worked through the night to shore up the cracked spillway of the "
        "Oroville dam, the tallest in the United States, as the Department of Water Resources released 100,000 "
        "cubic feet of water a second from Lake Oroville. Governor Jerry Brown said the state would ask Washington "
        "for emergency aid. Butte County officials told 188,000 residents downstream to be ready to leave.",
    ),
    (
        "Oroville dam spillway repairs to cost $275 million, Water Resources says",
        "The Department of Water Resources said repairs to the Oroville dam spillway in Butte County will cost "
        "$275 million, weeks after 188,000 residents downstream of Lake Oroville were told to leave. Engineers "
        "found the cracked spillway had eroded faster than expected. Governor Jerry Brown asked Washington to "
        "pay for most of the work on the tallest dam in the United States.",
    ),
]


def test_full_reports_join_an_event_quiet_for_days_headlines_do_not_reach_that_far():
    """A full report carries names and numbers that tie it to an event quiet for more than a day (a repair
    bill weeks after the flood); a bare headline a day later opens a story of its own."""
    c = StoryClusterer()
    (t1, x1), (t2, x2) = DAM_REPORTS
    first = c.add(NewsItem(id="d1", title=t1, text=x1, published=T0))
    assert c.add(NewsItem(id="d2", title=t2, text=x2, published=T0 + timedelta(days=12))) == first
    headline = c.add(NewsItem(id="h1", title=EVENT_A[0], published=T0 + timedelta(days=12)))
    late = NewsItem(id="h2", title=EVENT_A[1], published=T0 + timedelta(days=14))
    assert c.add(late) != headline


def test_quiet_stories_kept_are_bounded(monkeypatch):
    """Past a day of silence at most MAX_QUIET stories stay in memory, the most recently active ones."""
    monkeypatch.setattr("cupure.analysis.stories.MAX_QUIET", 3)
    c = StoryClusterer()

    def story(n: int) -> int:  # a full-text story of its own
        item = NewsItem(
            id=f"r{n}",
            title=f"Flood report {n}",
            text="Water rose in the town. " * 40,
            published=T0 + timedelta(hours=n),
        )
        return c.place(c.doc(item), None)

    reports = [story(n) for n in range(6)]
    assert len(set(reports)) == 6
    c.now = (T0 + timedelta(days=3)).timestamp()
    c.sweep()
    assert set(c.stories) == set(reports[-3:])


# A model that never joins online: every item opens a story, as a young stream's first reports may, and only
# consolidation (average linkage at the usual headline threshold) brings them together.
SPLITTER = StoryModel({"headline": {"bias": -30}, "fulltext": {"bias": -30}}, {"headline": 0.06, "fulltext": 0.3})


def test_merges_resolve_to_the_surviving_story():
    c = StoryClusterer(model=SPLITTER)
    one = c.add(NewsItem("1", "Apple cheaper iPhone 5c 8GB model launched", T0))
    two = c.add(NewsItem("2", "Apple 8GB iPhone 5c cheaper model on sale in Europe", T0))
    assert one != two  # a strict threshold opened two stories for one event
    merges = c.settle()
    assert merges and c.resolve(one) == c.resolve(two)
    assert len(c.stories) == 1 and next(iter(c.stories.values())).size == 2


GOLD = [
    "Gold prices climb to six-month high on safe-haven demand",
    "Gold hits six-month high as investors seek safety",
    "Gold extends gains to six-month high",
    "Spot gold rises for third session on safe-haven buying",
    "Gold prices steady near six-month high",
    "Gold rises as Ukraine tensions intensify",
    "Gold gains on Ukraine tensions, weak China data",
]


def test_fragments_fold_into_the_main_story_once_settled():
    # A model that never joins splits the day's gold story into fragments. The stream has run a while (a
    # hundred other reports), so "gold" in seven of its documents is news, not a word of every story.
    c = StoryClusterer(model=SPLITTER, settle_hours=12)
    for i in range(100):
        c.add(NewsItem(f"w{i}", f"Council of district {i} approves budget", T0 - timedelta(hours=2)))
    c.settle()
    got = {i.title: c.add(i) for i in items(GOLD, prefix="g") + items(EVENT_A[:2], start=T0 + timedelta(hours=1))}
    assert len({got[t] for t in GOLD}) == len(GOLD) and c.merge_pass() == []  # not settled yet: nothing folds
    # Half a day later the stories have settled: the fragments, alike on average, join one story.
    restored = StoryClusterer.from_state(
        json.loads(json.dumps(c.state())), model=SPLITTER
    )  # a restart in between changes nothing
    restored.add(NewsItem("late", EVENT_B[0], T0 + timedelta(hours=13)))
    merges = restored.merge_pass()
    main = restored.resolve(got[GOLD[0]])
    assert {restored.resolve(got[t]) for t in GOLD} == {main}
    assert {small for small, _ in merges} >= {got[t] for t in GOLD} - {main}
    assert restored.resolve(got[EVENT_A[0]]) != main  # another event stays apart


def test_terms_fold_case_possessives_plurals():
    assert terms_of("Trump's DEALS with the Markets") == ["trump", "deal", "with", "the", "market"]
    # No stop-word list: function words weigh nothing once the stream shows they are everywhere.
    c = StoryClusterer()
    for i, title in enumerate(["The cat and the dog", "The bank and the rates", "The match and the goal"] * 20):
        c.add(NewsItem(str(i), title, T0))
    vec = c.doc(NewsItem("x", "The vote and the senate", T0), learn=False).words
    assert "the" not in vec and "and" not in vec and {"vote", "senate"} <= vec.keys()


def test_cluster_command(tmp_path, capsys):
    lines = [
        json.dumps({"id": i.id, "title": i.title, "published": i.published.isoformat()})
        for i in items(EVENT_A, prefix="a") + items(EVENT_B, prefix="b")
    ]
    lines.insert(2, "{broken")
    lines.append(json.dumps({"id": 9, "title": "No date"}))
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines))
    err = io.StringIO()
    call_command("cluster", str(path), stderr=err)
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [o["id"] for o in out] == [f"a{i}" for i in range(4)] + [f"b{i}" for i in range(3)]
    assert len({o["cluster"] for o in out[:4]}) == 1 and out[0]["cluster"] != out[4]["cluster"]
    # One lead per story of two or more items, among its members.
    leads = [o for o in out if o.get("lead")]
    assert len(leads) == 2 and {o["cluster"] for o in leads} == {out[0]["cluster"], out[4]["cluster"]}
    assert "line 3: not valid JSON" in err.getvalue() and "line 9: 'published'" in err.getvalue()


def test_state_round_trip_continues_the_stream():
    c = StoryClusterer()
    first = [c.add(i) for i in items(EVENT_A[:2], prefix="a")]
    restored = StoryClusterer.from_state(json.loads(json.dumps(c.state())))
    later = items(EVENT_A[2:], start=T0 + timedelta(hours=1), prefix="c")
    assert [restored.add(i) for i in later] == [c.add(i) for i in later]
    assert settled(restored, first + [restored.add(later[0])]) == settled(c, first + [c.add(later[0])])
    assert len(settled(restored, first)) == 1


def partition(labels) -> set[frozenset[int]]:
    groups: dict = {}
    for i, label in enumerate(labels):
        groups.setdefault(label, set()).add(i)
    return {frozenset(g) for g in groups.values()}


def test_average_link_matches_textbook_average_linkage():
    # Merging groups by their vector sums must give what average linkage over the members themselves gives.
    rng = np.random.default_rng(7)
    for _ in range(5):
        vectors = rng.random((40, 12)) * (rng.random((40, 12)) < 0.3)
        vectors = vectors[vectors.any(axis=1)]
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        threshold = 0.35
        merges = average_link(
            [{str(t): w for t, w in enumerate(v) if w} for v in vectors], [1] * len(vectors), threshold
        )
        owner = list(range(len(vectors)))
        for small, big in merges:
            owner = [big if o == small else o for o in owner]
        distances = np.clip(1 - vectors @ vectors.T, 0, None)[np.triu_indices(len(vectors), 1)]
        expected = fcluster(linkage(distances, method="average"), t=1 - threshold, criterion="distance")
        assert partition(owner) == partition(expected)


def test_lead_is_the_most_central_full_report_not_the_first():
    c = StoryClusterer()
    for i in items(EVENT_A + EVENT_B + GOLD):
        c.add(i)
    stray = NewsItem("s", "Gold prices rise as dollar weakens", T0)  # joined by mistake, arrived first
    members = [stray] + items(EVENT_A, start=T0 + timedelta(minutes=1), prefix="m")
    assert choose_lead(c, members, [True] * len(members)) != 0
    central = choose_lead(c, members, [True] * len(members))
    assert "Twitter" in members[central].title and "Turkey" in members[central].title
    # Only teasers but one: the full report leads, however central the teasers are.
    assert choose_lead(c, members, [False, False, False, True, False]) == 3


def test_top_stories_rank_sources_not_articles_and_list_an_event_once():
    from cupure.analysis.stories import StoryActivity, rank_top

    now = T0.timestamp()
    quake = {"earthquake": 0.8, "japan": 0.6}
    stories = [
        StoryActivity(1, sources=3, growth=1, last_seen=now, terms={"budget": 1.0}),
        StoryActivity(2, sources=9, growth=4, last_seen=now - 3600, terms=quake),
        StoryActivity(3, sources=8, growth=4, last_seen=now - 3600, terms=dict(quake)),  # the same event
        StoryActivity(4, sources=1, growth=1, last_seen=now, terms={"cat": 1.0}),  # one source: never
        StoryActivity(5, sources=4, growth=0, last_seen=now - 30 * 3600, terms={"rates": 1.0}),
    ]
    assert [sid for sid, _ in rank_top(stories, now)] == [2, 1, 5]


def test_a_tree_model_reads_its_trees():
    """One tree on the word cosine: at most 0.5 goes left (log-odds -2), above goes right (+3)."""
    tree = [[1, -1, -1], [0.5, 0.0, 0.0], [1, 0, 0], [2, 0, 0], [0.0, -2.0, 3.0]]
    model = StoryModel({}, None, {"headline": {"base": -1.0, "trees": [tree]}})
    x = [0.0] * len(StoryModel.FEATURES)
    x[StoryModel.FEATURES.index("words")] = 0.3
    assert model.probability(x, False) == pytest.approx(1 / (1 + math.exp(3)))
    x[StoryModel.FEATURES.index("words")] = 0.7
    assert model.probability(x, False) == pytest.approx(1 / (1 + math.exp(-2)))
    assert model.probability(x, True) == 0.5  # no full-text model given: a logistic model with no weights
    assert all(forest is not None for forest in StoryModel.load().forests)  # what ships is trees
