"""The search query language: what a reader types, as the engines receive it. No database."""

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from cupure.search.compile import fts5
from cupure.search.query import MAX_CHARS, MAX_TERMS, parse


def terms(q):
    return [[str(t) for t in g] for g in q.groups]


def test_words_phrases_exclusions_or_prefix():
    q = parse('obama "state visit" -golf putin OR xi elect*')
    assert terms(q) == [["obama"], ['"state visit"'], ["putin", "xi"], ["elect*"]]
    assert [str(t) for t in q.excluded] == ["golf"]
    assert fts5(q) == '("obama" AND "state visit" AND ("putin" OR "xi") AND "elect" *) NOT "golf"'


def test_filters_with_quoted_values_and_exclusions():
    q = parse('ceasefire topic:"palestinian state" section:World -source:bbc since:2025-01 until:2025-02')
    assert terms(q) == [["ceasefire"]]
    assert (q.topic, q.section, q.not_source) == ("palestinian state", "World", "bbc")
    assert q.since == date(2025, 1, 1) and q.until == date(2025, 2, 28)  # a month runs to its last day
    assert q.without("section") == 'ceasefire -source:bbc topic:"palestinian state" since:2025-01-01 until:2025-02-28'
    assert q.without("filters") == "ceasefire"


def test_unbalanced_quote_runs_to_the_end():
    q = parse('"climate summit')
    assert terms(q) == [['"climate summit"']]


def test_engine_syntax_is_read_as_words():
    q = parse('NEAR(gaza aid) title:hamas ^truce "x" * + AND ) col:')
    flat = [str(t) for g in q.groups for t in g]
    # Words joined by punctuation stay together, as a phrase ("e-mail", "NEAR(gaza").
    assert flat == ['"NEAR gaza"', "aid", "hamas", "truce", "x", "AND", "col"]
    assert "“title:” is not a filter" in q.notices[0] and "“hamas” was searched for" in q.notices[0]
    # Every word is quoted in the FTS5 string: nothing the reader typed is FTS5 syntax.
    assert fts5(q).count('"') == 2 * len(flat)


def test_lone_operators_and_only_exclusions_explain_themselves():
    assert parse("OR").empty and parse("-").empty and parse('""').empty and parse("   ").empty
    q = parse("-golf -tennis")
    assert q.empty and "leave out" in q.notices[0]
    assert terms(parse("a OR")) == [["a"]] and terms(parse("OR b")) == [["b"]]
    assert terms(parse("war or peace")) == [["war"], ["or"], ["peace"]]  # lower-case "or" is a word


def test_bad_dates_and_empty_filters_are_reported_not_fatal():
    q = parse("since:yesterday until:2025-02-30 section: flood")
    assert q.since is None and q.until is None and terms(q) == [["flood"]]
    assert len(q.notices) == 3 and "since:2025-01-31" in q.notices[0]
    q = parse("since:2025-03-01 until:2025-01-01")
    assert q.since == date(2025, 1, 1) and "swapped" in q.notices[0]


def test_long_queries_are_cut_with_a_message():
    q = parse("word " * 400)
    assert len(q.groups) == MAX_TERMS
    assert any(str(MAX_CHARS) in n for n in q.notices) and any("left out" in n for n in q.notices)


def test_control_characters_and_scripts():
    q = parse("gaza\x00\x1b[31m\u200bceasefire  中国经济  Élysée")
    assert terms(q) == [["gaza"], ["31m"], ["ceasefire"], ["中国经济"], ["Élysée"]]
    assert q.cjk and not parse("Élysée").cjk


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=300))
def test_any_input_parses_and_compiles(text):
    q = parse(text)
    expr = fts5(q) if q.groups else ""
    # Balanced quotes and parentheses: a string FTS5 can always parse.
    assert expr.count('"') % 2 == 0 and expr.count("(") == expr.count(")")
    assert len(q.terms) + len(q.excluded) <= MAX_TERMS
