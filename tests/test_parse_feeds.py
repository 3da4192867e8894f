"""Feed formats, broken feeds, and feed discovery."""

import json

import pytest

from cupure.ingest.errors import ParseError
from cupure.ingest.parse import discover_feeds, parse_feed

from .conftest import rss

RSS091 = b"""<?xml version="1.0"?><rss version="0.91"><channel><title>Old</title><link>http://ex.org/</link>
<item><title>One</title><link>http://ex.org/1</link><description>First</description></item></channel></rss>"""
RDF = b"""<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="http://ex.org/"><title>RDF site</title><link>http://ex.org/</link></channel>
<item rdf:about="http://ex.org/a"><title>RDF item</title><link>http://ex.org/a</link>
<dc:date>2026-11-20T08:00:00Z</dc:date><description>Text</description></item></rdf:RDF>"""
ATOM10 = b"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom" xml:base="http://ex.org/blog/">
<title>Atom site</title><link href="http://ex.org/"/><id>urn:x</id><updated>2026-11-20T08:00:00Z</updated>
<entry><title type="html">Hello &lt;em&gt;world&lt;/em&gt;</title><link href="posts/1"/><id>urn:1</id>
<updated>2026-11-20T08:00:00Z</updated><author><name>Ann Writer</name></author>
<content type="html">&lt;p&gt;Para one.&lt;/p&gt;&lt;p&gt;Para two.&lt;/p&gt;</content></entry></feed>"""
ATOM03 = b"""<?xml version="1.0"?><feed version="0.3" xmlns="http://purl.org/atom/ns#"><title>Atom 0.3</title>
<link rel="alternate" type="text/html" href="http://ex.org/"/><modified>2026-11-20T08:00:00Z</modified>
<entry><title>Old atom</title><link rel="alternate" type="text/html" href="http://ex.org/o"/><id>tag:o</id>
<issued>2026-11-20T08:00:00Z</issued><modified>2026-11-20T08:00:00Z</modified></entry></feed>"""


def test_rss20_with_content_and_dates():
    doc = rss(
        [
            {
                "title": "A &amp; B",
                "link": "http://ex.org/a?utm_source=rss&id=3",
                "guid": "g-1",
                "pubDate": "Fri, 20 Nov 2026 08:00:00 GMT",
                "content": "<p>One.</p><p>Two.</p>",
            }
        ],
        extra="<ttl>60</ttl>",
    )
    feed = parse_feed(doc.encode(), "http://ex.org/feed")
    assert feed.kind == "rss" and feed.ttl_minutes == 60
    (e,) = feed.entries
    assert e.title == "A & B"
    assert e.url == "http://ex.org/a?id=3"  # tracking parameter dropped from the reader's link
    assert e.key.startswith("id:") and e.key.endswith("g-1")
    assert e.published.isoformat() == "2026-11-20T08:00:00+00:00"
    assert "<p>Two.</p>" in e.content_html


@pytest.mark.parametrize(
    "doc,kind,title",
    [(RSS091, "rss", "One"), (RDF, "rdf", "RDF item"), (ATOM10, "atom", "Hello world"), (ATOM03, "atom", "Old atom")],
)
def test_every_format(doc, kind, title):
    feed = parse_feed(doc, "http://ex.org/feed")
    assert feed.kind == kind
    assert feed.entries[0].title == title
    assert feed.entries[0].url.startswith("http://ex.org/")


def test_atom_relative_links_resolved_and_author():
    e = parse_feed(ATOM10, "http://ex.org/feed.atom").entries[0]
    assert e.url == "http://ex.org/blog/posts/1"
    assert e.author == "Ann Writer"


def test_json_feed():
    doc = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "JSON site",
        "home_page_url": "https://ex.org/",
        "authors": [{"name": "Feed Author"}],
        "items": [
            {
                "id": "1",
                "url": "/posts/1",
                "title": "Json one",
                "content_html": "<p>Hi</p>",
                "date_published": "2026-11-20T08:00:00+01:00",
            },
            {"id": "2", "content_text": "First para.\n\nSecond para.", "url": "https://ex.org/2"},
            "not an object",
            {"id": "3"},
        ],
    }
    feed = parse_feed(json.dumps(doc).encode(), "https://ex.org/feed.json")
    assert feed.kind == "json" and feed.title == "JSON site"
    assert [e.url for e in feed.entries] == ["https://ex.org/posts/1", "https://ex.org/2"]
    assert feed.entries[0].author == "Feed Author"
    assert feed.entries[0].published.isoformat() == "2026-11-20T07:00:00+00:00"
    assert feed.entries[1].content_html == "<p>First para.</p><p>Second para.</p>"


@pytest.mark.parametrize(
    "body,message",
    [
        (b"", "empty"),
        (b"<html><head><title>Hi</title></head><body>A page</body></html>", "HTML page, not a feed"),
        (b'{"version": "1", "items": []}', "not a JSON Feed"),
        (b'{"version": "https://jsonfeed.org/version/1.1", "items": {}', "malformed JSON"),
        (b"<rss version='2.0'><channel><title>x</title><item><title>broken", "malformed feed"),
        (b"just some text", "not a feed"),
    ],
)
def test_broken_feeds_give_clear_errors(body, message):
    with pytest.raises(ParseError, match=message):
        parse_feed(body, "http://ex.org/feed")


def test_recoverable_markup_error_keeps_entries():
    doc = rss([{"title": "Fine", "link": "http://ex.org/f"}]).replace("</channel>", "<bogus>&nbsp;</channel>")
    feed = parse_feed(doc.encode(), "http://ex.org/feed")
    assert [e.title for e in feed.entries] == ["Fine"]


def test_entries_without_link_or_title():
    doc = rss([{"description": "Only text here"}, {"title": "No link"}, {"link": "http://ex.org/nt"}, {}])
    entries = parse_feed(doc.encode(), "http://ex.org/feed").entries
    assert len(entries) == 3  # the empty item is dropped
    assert entries[0].key.startswith("hash:") and entries[0].url == ""
    assert entries[2].key == "url:https://ex.org/nt" and entries[2].title == ""


def test_wrong_charset_declaration():
    # Declared ISO-8859-1, actually UTF-8: the text must not turn into mojibake.
    doc = rss([{"title": "Café crème in Zürich", "link": "http://ex.org/c"}]).replace(
        'encoding="utf-8"', 'encoding="iso-8859-1"'
    )
    feed = parse_feed(doc.encode("utf-8"), "http://ex.org/feed")
    assert feed.entries[0].title in ("Café crème in Zürich",)


def test_windows_1252_feed():
    doc = rss([{"title": "Caf\u00e9 \u2013 news", "link": "http://ex.org/c"}]).replace(
        'encoding="utf-8"', 'encoding="windows-1252"'
    )
    feed = parse_feed(doc.encode("cp1252"), "http://ex.org/feed")
    assert feed.entries[0].title == "Caf\u00e9 \u2013 news"


def test_discovery_prefers_rss_and_resolves_relative():
    page = b"""<html><head><link rel="alternate" type="application/feed+json" href="/feed.json">
    <link rel="alternate" type="application/rss+xml" title="Comments" href="/comments.xml">
    <link rel="alternate" type="application/rss+xml" title="News" href="feed.xml"></head></html>"""
    assert discover_feeds(page, "http://ex.org/news/") == [
        "http://ex.org/news/feed.xml",
        "http://ex.org/comments.xml",
        "http://ex.org/feed.json",
    ]
    assert discover_feeds(b"<html><body>nothing</body></html>", "http://ex.org/") == []


def test_only_web_links_survive():
    doc = rss(
        [
            {"title": "Bad", "link": "javascript:alert(1)", "guid": "1"},
            {"title": "Data", "link": "data:text/html,<script>alert(2)</script>", "guid": "2"},
            {"title": "Good", "link": "/relative/ok", "guid": "3"},
        ],
        link="https://ex.org/",
    )
    entries = parse_feed(doc.encode(), "https://ex.org/feed").entries
    assert [e.url for e in entries] == ["", "", "https://ex.org/relative/ok"]
    doc = {
        "version": "https://jsonfeed.org/version/1.1",
        "items": [{"id": "1", "url": "javascript:alert(1)", "title": "x"}],
    }
    assert parse_feed(json.dumps(doc).encode(), "https://ex.org/f.json").entries[0].url == ""
