"""Topics collapse variants to one readable name; the bar shows each trending topic once, counted by sources."""

import io
import json
from datetime import date, timedelta

from django.core.management import call_command

from cupure.analysis.topics import item_topics, topic_key
from cupure.analysis.trending import TrendCounter


def test_variants_collapse_to_one_key():
    assert topic_key("Trump's") == topic_key("trump") == "trump"
    assert topic_key("U.S.") == topic_key("United States") == topic_key("USA")
    assert topic_key("Élysée Palace") == "elysee palace"
    assert topic_key("markets") == topic_key("Market")


def test_names_from_text_not_sentence_starts():
    t = item_topics(
        "Trump's deal with the U.S. Congress collapses",
        "Talks between Donald Trump and leaders of the U.S. Congress ended. The European Central Bank "
        "said markets were calm.",
    )
    assert {"donald trump", "us congress", "european central bank"} <= set(t.names)
    assert "talk" not in t.names and "the" not in t.names


def test_aliases_name_whole_things_not_words_inside_names():
    """ "US" alone is the United States; inside "US Airways" it is part of the airline's name. Initials are
    one name however they are dotted."""
    t = item_topics("Airline merger", "US Airways and the US Congress met. Then the U.S. Congress voted in the US.")
    assert {"us airway", "us congress", "united state"} <= set(t.names)
    assert t.names["us airway"] == "US Airways" and "united state airway" not in t.names
    assert topic_key("U.S. Congress") == topic_key("US Congress")


def test_title_case_headlines_give_terms_not_names():
    t = item_topics("Apple Launches Cheaper iPhone In China")
    assert not t.names and {"apple", "iphone", "china"} <= set(t.terms)


def test_title_case_lines_in_the_text_give_no_names():
    """The headline repeated atop the text, subheadings and speaker labels capitalise every word: no
    "Recommends Arming Teachers", no "ARI SHAPIRO HOST"; the names the sentences write stay."""
    t = item_topics(
        "NRA School Safety Report Recommends Arming Teachers, Loosening Gun Laws",
        "NRA School Safety Report Recommends Arming Teachers, Loosening Gun Laws\n\nWASHINGTON -- Former Rep. "
        "Asa Hutchinson released a report funded by the National Rifle Association.\n\nARI SHAPIRO, HOST:\n\n"
        "The Memphis Grizzlies’ coach spoke to reporters.",
    )
    assert {"asa hutchinson", "national rifle association", "memphis grizzly"} <= set(t.names)
    assert not {"recommend arming teacher", "loosening gun law", "nra school safety report", "ari shapiro"} & set(
        t.names
    )


def day(n):
    return (date(2026, 11, 1) + timedelta(days=n)).isoformat()


def test_sources_not_articles_make_a_trend():
    c = TrendCounter(min_sources=3)
    days = [day(i) for i in range(8)]
    for i, d in enumerate(days[:-1]):
        for s in range(3):  # a weather report every day: generic, never trends
            c.add(d, f"paper{s}", f"w{i}{s}", {"weather"}, story=f"weather{i}")
    today = days[-1]
    for n in range(30):  # one noisy feed, thirty items
        c.add(today, "spammy", f"s{n}", {"giveaway"}, story="giveaway")
    for s in range(6):  # six outlets on a real event
        c.add(today, f"outlet{s}", f"e{s}", {"eruption", "volcano"}, story="volcano")
    for s in range(3):  # as many as every day: no rise
        c.add(today, f"paper{s}", f"w{s}", {"weather"}, story="weather-today")
    bar = c.story_bar(today, days[:-1])
    assert [t.key for t in bar] in (["eruption"], ["volcano"])  # one story, one place; no giveaway, no weather
    assert bar[0].sources == 6 and bar[0].usual == 0


def test_topics_and_trending_commands(tmp_path, capsys):
    lines = []
    n = 0
    for d in range(6):
        for s in range(4):
            n += 1
            lines.append(
                {"id": n, "title": f"Weather update number {n}", "source": f"s{s}", "published": f"2026-11-0{d + 1}"}
            )
    for s in range(8):
        n += 1
        lines.append(
            {
                "id": n,
                "title": f"Mount Etna eruption forces evacuation, report {s}",
                "source": f"o{s}",
                "published": "2026-11-06T12:00:00Z",
            }
        )
    path = tmp_path / "stream.jsonl"
    path.write_text("\n".join(json.dumps(row) for row in lines) + "\nnot json\n")
    err = io.StringIO()
    call_command("trending", str(path), "--every", "1d", stderr=err)
    bars = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [b["at"] for b in bars] == [f"2026-11-0{d}" for d in range(1, 7)]
    assert bars[-1]["topics"] and bars[-1]["topics"][0] == "Mount Etna"
    assert len(bars[-1]["topics"]) == len(set(bars[-1]["topics"]))
    assert "line 33" in err.getvalue()
    call_command("topics", str(path), stderr=io.StringIO())
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(out) == n and set(out[-1]) == {"id", "topics"} and "Mount Etna" in out[-1]["topics"]


def test_fragments_merged_after_counting_count_as_one_story():
    """Consolidation merges two fragments of one event after their articles were counted: the bar counts their
    sources together, as the site does once the articles have moved to the surviving story."""
    c = TrendCounter(min_sources=5)
    days = [day(i) for i in range(8)]
    today = days[-1]
    for s in range(3):
        c.add(today, f"outlet{s}", f"a{s}", {"eruption"}, story=1)
        c.add(today, f"paper{s}", f"b{s}", {"eruption"}, story=2)
    assert c.story_bar(today, days[:-1]) == []  # three sources each: too few apart
    c.regroup(today, lambda story: 1)  # story 2 was merged into story 1
    (top,) = c.story_bar(today, days[:-1])
    assert top.key == "eruption" and top.sources == 6
