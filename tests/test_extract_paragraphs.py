"""Extraction keeps paragraphs apart, finds the metadata, and holds its quality on real news pages."""

import importlib.util
import re

import pytest

from cupure.ingest.blocks import blocks_from_html, blocks_to_text
from cupure.ingest.errors import ExtractionError
from cupure.ingest.extract import extract_article

from .conftest import LOREM, ROOT, SHARED, aeb_pages, article_page
from .server import sqlite_only


def test_paragraphs_are_never_glued():
    html = article_page("Rates held", LOREM, canonical="https://news.example/rates")
    art = extract_article(html.encode(), "https://news.example/rates?utm_source=x")
    assert "this year.\n\nWhy it matters:" in art.text
    assert "year.Why" not in art.text
    assert art.text.count("\n\n") == len(LOREM) - 1
    assert art.html.count("<p>") == len(LOREM)
    assert art.canonical_url == "https://news.example/rates"
    assert art.language == "en"
    assert "Copyright footer" not in art.text and "Home" not in art.text.split("\n")[0]


def test_headings_lists_quotes_are_blocks():
    body = (
        f"<p>{LOREM[0]}</p><h2>What happens next</h2><p>{LOREM[1]}</p><ul><li>first point here</li>"
        f"<li>second point here</li></ul><blockquote><p>{LOREM[2]}</p></blockquote><p>{LOREM[3]}</p>"
    )
    html = f"<html><body><article><h1>T</h1>{body}</article></body></html>"
    art = extract_article(html, "https://news.example/x")
    kinds = [b.kind for b in art.blocks]
    assert "h" in kinds and "ul" in kinds and "quote" in kinds
    assert "- first point here\n- second point here" in art.text


def test_feed_html_cut_into_blocks():
    blocks = blocks_from_html(
        "First line<br><br>Second para<div><p>Inner one</p><p>Inner two</p></div>tail text<script>alert(1)</script>"
    )
    assert blocks_to_text(blocks) == "First line\n\nSecond para\n\nInner one\n\nInner two\n\ntail text"
    # One <br> is a line break too: the lines around it are never one run of text.
    lines = blocks_from_html("<p>…lo shopping di Natale.<br>Si tratta di una tradizione.</p>")
    assert blocks_to_text(lines) == "…lo shopping di Natale.\n\nSi tratta di una tradizione."


def test_line_breaks_and_layout_tables_in_pages_keep_paragraphs_apart():
    br = "<br>\n".join(LOREM[:3])
    pulled = (
        f"<p>{LOREM[0]}</p><table><tr><td><p>{LOREM[1]}</p></td><td><p>A pull quote.</p></td></tr></table>"
        f"<p>{LOREM[2]}</p>"
    )
    for body in (f"<p>{br}</p>", pulled):
        html = f"<html><body><article><h1>Rates held</h1>{body}<p>{LOREM[3]}</p></article></body></html>"
        art = extract_article(html, "https://news.example/x")
        assert "this year.\n\nWhy it matters:" in art.text, art.text
        assert "year.Why" not in art.text and "year. Why" not in art.text


def test_a_sentence_end_touching_the_next_sentence_gets_its_space():
    from cupure.ingest.blocks import unglue

    assert unglue("in the space-time continuum.'Click To Tweet") == "in the space-time continuum.' Click To Tweet"
    assert unglue("The U.S. and e.g. Node.js stay as written.") == "The U.S. and e.g. Node.js stay as written."


def test_empty_and_hostile_pages_raise_clear_errors():
    for page in (
        b"",
        b"   ",
        b"<html><body><nav>menu</nav></body></html>",
        b"\x00\xff\xfe garbage",
        b"<svg onload=x><p><p>",
    ):  # the last one made lxml raise AssertionError (found by hypothesis)
        with pytest.raises(ExtractionError):
            extract_article(page, "https://news.example/")


def test_deeply_nested_html_does_not_crash():
    page = "<div>" * 5000 + "<p>" + " ".join(LOREM) + "</p>" + "</div>" * 5000
    try:
        art = extract_article(page, "https://news.example/deep")
    except ExtractionError:
        return  # a clear refusal is fine; a crash is not
    assert "central bank" in art.text


def test_no_glued_sentences_on_real_pages():
    """On real pages, every paragraph break of the hand-made text survives as a break in ours."""
    glued = re.compile(r"[a-z]{3}[.!?][A-Z][a-z]")
    for key, raw, truth in aeb_pages(40):
        try:
            text = extract_article(raw, "").text
        except ExtractionError:
            continue
        ours = set(glued.findall(text))
        theirs = set(glued.findall(truth.replace("\n", " ")))
        assert not (ours - theirs - {m for m in ours if m in raw.decode("utf-8", "ignore")}), key


@sqlite_only
def test_quality_on_the_news_benchmark():
    pages = aeb_pages()
    spec = importlib.util.spec_from_file_location("score", SHARED / "tools" / "score_extraction.py")
    scorer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scorer)
    truth, pred = {}, {}
    for key, raw, body in pages:
        truth[key] = {"articleBody": body}
        try:
            pred[key] = {"articleBody": extract_article(raw, "").text}
        except ExtractionError:
            pred[key] = {"articleBody": ""}
    m = scorer.score(truth, pred)
    assert m["f1"] >= 0.970, m  # bench/extraction.py measures 0.9722
    assert m["empty"] <= 1
    # Paragraphs as the page has them: bench/extraction.py's measures, one definition for both.
    spec = importlib.util.spec_from_file_location("bench_extraction", ROOT / "bench" / "extraction.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    figures = bench.paragraph_figures(truth, pred)
    assert figures["breaks_kept"] >= 0.99 and figures["glued_joins"] == 0, figures
