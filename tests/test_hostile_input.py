"""Property tests: whatever bytes arrive, the stages answer with a result or their own clear error."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cupure.ingest.blocks import blocks_from_html
from cupure.ingest.charset import decode
from cupure.ingest.errors import ExtractionError, ParseError
from cupure.ingest.extract import extract_article
from cupure.ingest.parse import discover_feeds, parse_feed
from cupure.lib.html import sanitize
from cupure.lib.urls import canonicalize, host_of, strip_tracking

FEEDISH = st.one_of(
    st.binary(max_size=2000),
    st.text(max_size=2000).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.builds(
        lambda a, b: (
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>{a}</title><item><title>{b}</title>'
            f"<link>{a}</link></item></channel></rss>".encode("utf-8", "surrogatepass")
        ),
        st.text(max_size=200),
        st.text(max_size=200),
    ),
    st.builds(
        lambda a: ('{"version": "https://jsonfeed.org/version/1.1", "items": ' + a + "}").encode(
            "utf-8", "surrogatepass"
        ),
        st.text(max_size=200),
    ),
)
HTMLISH = st.lists(
    st.sampled_from(
        [
            "<p>",
            "</p>",
            "<div>",
            "</div>",
            "<br>",
            "<script>",
            "</script>",
            "<ul><li>",
            "<table><tr><td>",
            "&amp;",
            "&#0;",
            "<!--",
            "-->",
            "<a href='javascript:x'>",
            "text ",
            "more words here. ",
            "\x00",
            "\u202e",
            "<svg onload=x>",
        ]
    ),
    max_size=60,
).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(FEEDISH)
def test_parse_feed_never_crashes(data):
    try:
        feed = parse_feed(data, "https://ex.org/feed")
    except ParseError as exc:
        assert str(exc)
    else:
        for e in feed.entries:
            assert e.key and isinstance(e.title, str)
    discover_feeds(data, "https://ex.org/")
    assert isinstance(decode(data), str)


@settings(max_examples=200, deadline=None)
@given(HTMLISH)
def test_html_stages_never_crash(fragment):
    blocks_from_html(fragment)
    out = sanitize(fragment)
    assert "<script" not in out and "javascript:" not in out and "onload" not in out
    try:
        extract_article(fragment.encode("utf-8", "surrogatepass"), "https://ex.org/a")
    except ExtractionError:
        pass


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.text(max_size=300),
        st.builds(lambda h, p: f"http://{h}:{p}/x?utm_source=a", st.text(max_size=20), st.text(max_size=8)),
    )
)
def test_url_helpers_never_crash(url):
    assert isinstance(canonicalize(url), str)
    assert isinstance(strip_tracking(url), str) and isinstance(host_of(url), str)
