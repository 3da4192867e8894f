"""From a feed entry (and the extracted page, when there is one) to an ArticleDraft.

Rule for the body: the extracted page wins unless its fetch or extraction
failed, or it holds fewer words than the feed's own content (a paywall, a
consent wall, a teaser page). Sanitizing is the last step before the draft
is returned, and so before anything is stored.
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime

from cupure.lib.dates import plausible
from cupure.lib.html import sanitize
from cupure.lib.text import tokens, xml_safe
from cupure.lib.urls import host_of, strip_tracking

from .blocks import blocks_from_html, blocks_to_html, blocks_to_text, clean_inline
from .fingerprint import fingerprint
from .types import ArticleDraft, ContentOrigin, Entry, ExtractedArticle

SUMMARY_CHARS = 400


def build_draft(
    entry: Entry, page: ExtractedArticle | None, *, now: datetime, page_error: str = "", feed_site_name: str = ""
) -> ArticleDraft:
    feed_blocks = blocks_from_html(entry.content_html or entry.summary_html)
    feed_text = blocks_to_text(feed_blocks)
    origin, blocks, text, words = ContentOrigin.FEED, feed_blocks, feed_text, tokens(feed_text)
    if page is not None and page.blocks:
        page_text = blocks_to_text(page.blocks)
        page_words = tokens(page_text)
        if len(page_words) >= len(words):
            origin, blocks, text, words = ContentOrigin.PAGE, page.blocks, page_text, page_words
        elif not page_error:
            page_error = "the page held less text than the feed"
    link = strip_tracking(entry.url or (page.url if page else ""))
    site = (page.site_name if page else "") or feed_site_name
    title = entry.title or (page.title if page else "") or _first_words(text) or link
    title = without_site_name(clean_inline(title), (site, feed_site_name, host_of(link)))
    # A body that opens by restating the headline would show it twice (and lead every summary with it).
    if len(blocks) > 1 and blocks[0].text and tokens(blocks[0].text) == tokens(title):
        blocks = blocks[1:]
        text = blocks_to_text(blocks)
        words = tokens(text)
    # A headline-only item whose body is its headline again: the page says only the headline is there.
    html = "" if tokens(text) == tokens(title) else blocks_to_html(blocks)
    summary_source = blocks_to_text(blocks_from_html(entry.summary_html)) if entry.summary_html else ""
    summary = _shorten(summary_source or text, SUMMARY_CHARS)
    if tokens(summary) == tokens(title):
        summary = ""  # every list would print the headline twice
    fp = fingerprint(link, text, canonical_hint=page.canonical_url if page else "", words=words)
    published = plausible(entry.published) or plausible(page.published if page else None) or now
    if published > now:  # a clock in the future would pin the article to the top
        published = now
    text, summary, title = xml_safe(text), xml_safe(summary), xml_safe(title)
    return ArticleDraft(
        url=link,
        # An entry without a link still needs a unique key: its words stand in for the URL.
        canonical_url=fp.canonical_url or "urn:sha256:" + hashlib.sha256(f"{title}\n{text}".encode()).hexdigest(),
        title=clean_inline(title)[:1000],
        author=_person(xml_safe(clean_inline(entry.author or (page.author if page else ""))))[:300],
        published=published,
        language=(page.language if page else "")[:12],
        image=_http_only(entry.image or (page.image if page else ""))[:2000],
        site_name=xml_safe(site)[:200],
        summary=summary,
        content_html=sanitize(xml_safe(html)),
        text=text,
        word_count=len(words),
        content_origin=origin,
        content_hash=fp.content_hash,
        minhash=fp.minhash,
        band_keys=fp.band_keys,
        page_error=page_error,
    )


def not_news(entry: Entry) -> str:
    """Why a feed entry cannot be shown as an article ("" when it can): one with neither a link nor a title
    (a bare GUID, a status update) has nothing to headline a card with and nowhere to send the reader."""
    if not entry.url and not entry.title.strip():
        return "no link and no title"
    return ""


# How pages and feeds append (or prepend) their site's name to a headline: "Title - BBC News", "Site | Title".
_SITE_SEPARATORS = re.compile(r"\s+(?:[-|–—·•»:]|::)\s+")


_HOST_COMMON = {"www", "m", "amp", "co", "com", "org", "net", "gov", "ac", "edu", "news", "feeds", "rss"}


def without_site_name(title: str, names) -> str:
    """``title`` without a leading or trailing segment that is the site's name ("… - BBC News"), judged
    against ``names`` (the page's site name, the source's name, the link's host); the rest must keep at
    least two words."""
    parts = _SITE_SEPARATORS.split(title)
    if len(parts) < 2:
        return title
    wanted = {_key(n) for n in names if n}
    # A host's own labels, not its suffixes: bbc.co.uk -> bbc, theguardian.com -> theguardian.
    hosts = {
        label
        for n in names
        if n and "." in n and " " not in n
        for label in n.split(".")[:-1]
        if label not in _HOST_COMMON
    }

    def is_site(segment: str) -> bool:
        key = _key(segment)
        if not key:
            return False
        short = len(key.split()) <= 3
        return key in wanted or (short and (key.split()[0] in hosts or key.replace(" ", "") in hosts))

    for edge in (-1, 0):
        if is_site(parts[edge]):
            matches = list(_SITE_SEPARATORS.finditer(title))
            rest = title[: matches[-1].start()] if edge == -1 else title[matches[0].end() :]
            if len(rest.split()) >= 2:
                return rest.strip()
    return title


def _key(text: str) -> str:
    return " ".join(tokens(text))


def _person(author: str) -> str:
    """An author as a name: a profile link ("https://www.facebook.com/bbcnews") names nobody."""
    return "" if re.match(r"(?i)(https?://|www\.)\S+$", author) else author


def _http_only(url: str) -> str:
    """Image links end up in src attributes: only absolute http(s) URLs are kept."""
    url = (url or "").strip()
    return url if url.startswith(("https://", "http://")) and " " not in url else ""


def _first_words(text: str, n: int = 12) -> str:
    words = text.split()
    return " ".join(words[:n]) + ("…" if len(words) > n else "")


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut + "…"
