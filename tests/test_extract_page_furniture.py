"""A page's furniture (navigation, asides, footers, forms' widgets, scripts, comments) is dropped once, before
every pass of the extractor; what the metadata pass still reads on the raw page stays, and a page that keeps
its whole text inside such furniture still gives its text."""

import json

from cupure.ingest.extract import extract_article

from .conftest import LOREM

BODY = "".join(f"<p>{paragraph}</p>" for paragraph in LOREM)


def test_dates_and_authors_kept_in_hidden_inputs_and_json_ld_are_still_read():
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "author": {"@type": "Person", "name": "Ana Lima"}}
    page = (
        "<html><head><title>Rates held</title>"
        f'<script type="application/ld+json">{json.dumps(ld)}</script></head><body>'
        '<nav><a href="/">Home</a> <a href="/sport">Sport</a></nav>'
        '<input class="published_date" type="hidden" value="2019-11-18 23:41:18">'
        f"<article><h1>Rates held</h1>{BODY}</article>"
        "<aside><p>Most read: Weather turns cold</p></aside><footer><p>Copyright City Times</p></footer>"
        "</body></html>"
    )
    art = extract_article(page, "https://city.example/news/rates")
    assert art.author == "Ana Lima"
    assert art.published is not None and art.published.date().isoformat() == "2019-11-18"
    assert "Most read" not in art.text and "Copyright" not in art.text and "Sport" not in art.text
    assert all(paragraph in art.text for paragraph in LOREM)


def test_a_page_written_for_readers_without_javascript_keeps_its_text():
    app = f"<div id='app'><noscript>{BODY}</noscript></div>"
    page = f"<html><head><title>Rates held</title></head><body>{app}</body></html>"
    art = extract_article(page, "https://city.example/news/rates")
    assert LOREM[0] in art.text
