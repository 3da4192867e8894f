"""Feed parsing: RSS 0.9x/1.0/2.0 and Atom 0.3/1.0 through feedparser, JSON Feed 1.0/1.1 by hand.

The within-feed dedup key of each entry is chosen here: the entry's id/guid
when it has one, else its canonical link, else a hash of title and content.
"""

from __future__ import annotations

import calendar
import hashlib
import html as htmllib
import json
from datetime import UTC, datetime
from html.parser import HTMLParser
from urllib.parse import urljoin

import feedparser

from cupure.lib.dates import parse_iso, plausible
from cupure.lib.html import DROP_WITH_CONTENT
from cupure.lib.text import xml_safe
from cupure.lib.urls import canonicalize, strip_tracking

from .blocks import text_to_html
from .charset import decode
from .errors import ParseError
from .types import Entry, ParsedFeed

FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/feed+json",
    "application/json",
    "text/xml",
    "application/xml",
)
# Feeds are small; one with more entries than this is truncated (newest first, as published).
MAX_ENTRIES = 500
# Longer links are no article's (and would not fit the database's URL columns).
MAX_URL = 2000


def looks_like_json(content: bytes) -> bool:
    return content.lstrip()[:1] in (b"{", b"[")


def looks_like_html(content: bytes, content_type: str = "") -> bool:
    head = content[:1024].lstrip().lower()
    if head.startswith(b"<?xml") or b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head:
        return False
    return "html" in content_type or head.startswith((b"<!doctype html", b"<html")) or b"<html" in head


def parse_feed(content: bytes, url: str, content_type: str = "") -> ParsedFeed:
    """Parse a feed document fetched from ``url``; raise ParseError with a readable reason."""
    if not content or not content.strip():
        raise ParseError("the feed is empty")
    if looks_like_json(content):
        return parse_json_feed(content, url)
    if looks_like_html(content, content_type):
        raise ParseError("this is an HTML page, not a feed (no <rss>, <feed> or <rdf:RDF> root)")
    # Hand feedparser the headers so it can weigh the HTTP charset against the XML declaration.
    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    parsed = feedparser.parse(content, response_headers=headers, sanitize_html=False, resolve_relative_uris=True)
    if not parsed.version:
        exc = parsed.get("bozo_exception")
        reason = f": {exc}" if exc else ""
        raise ParseError(f"not a feed: no RSS, Atom or RDF document found{reason}")
    bozo = ""
    if parsed.bozo:
        exc = parsed.get("bozo_exception")
        # A charset mismatch that feedparser recovered from is no error for the reader.
        if exc is not None and not isinstance(exc, (feedparser.CharacterEncodingOverride,)):
            bozo = str(exc)[:300]
    feed = parsed.feed
    site = feed.get("link") or url
    kind = "atom" if parsed.version.startswith("atom") else ("rdf" if parsed.version in ("rss090", "rss10") else "rss")
    ttl = None
    if str(feed.get("ttl", "")).strip().isdigit():
        ttl = int(str(feed.get("ttl")).strip())
    entries = []
    for item in parsed.entries[:MAX_ENTRIES]:
        entry = _entry_from_feedparser(item, base=site if site.startswith("http") else url)
        if entry is not None:
            entries.append(entry)
    if bozo and not entries:
        raise ParseError(f"malformed feed: {bozo}")
    return ParsedFeed(
        title=_clean_title(feed.get("title", "")),
        site_url=site,
        entries=entries,
        ttl_minutes=ttl,
        kind=kind,
        bozo_message=bozo,
    )


def _entry_from_feedparser(item, base: str) -> Entry | None:
    link = item.get("link") or ""
    if not link:
        for alt in item.get("links", []):
            if alt.get("rel", "alternate") == "alternate" and alt.get("href"):
                link = alt["href"]
                break
    guid = str(item.get("id") or "")
    if not link and guid.startswith(("http://", "https://")) and item.get("guidislink", True):
        link = guid
    link = web_link(base, link)
    content = ""
    for c in item.get("content", []) or []:
        if c.get("value"):
            content = c["value"]
            break
    summary = item.get("summary", "") or ""
    if content == summary:
        summary = ""
    title = _clean_title(item.get("title", ""))
    if not title and not link and not (content or summary):
        return None
    published = _struct_to_dt(item.get("published_parsed") or item.get("updated_parsed") or item.get("created_parsed"))
    image = ""
    for m in item.get("media_content", []) or item.get("media_thumbnail", []) or []:
        if m.get("url") and m.get("medium", "image") == "image":
            image = m["url"]
            break
    if not image:
        for enc in item.get("enclosures", []) or []:
            if str(enc.get("type", "")).startswith("image/") and enc.get("href"):
                image = enc["href"]
                break
    author = item.get("author", "") or ""
    categories = [t.get("term", "") for t in item.get("tags", []) or [] if t.get("term")]
    key = entry_key(guid, link, title, content or summary)
    return Entry(
        key=key,
        url=link,
        title=title,
        author=_plain(author),
        published=published,
        summary_html=summary,
        content_html=content,
        image=image,
        categories=categories,
    )


def web_link(base: str, link: str) -> str:
    """An entry's link made absolute, tracking parameters dropped; "" unless it is http(s).

    Links end up in href attributes ("Read at source"): a javascript: or data: link must never get there.
    """
    if not link:
        return ""
    try:
        absolute = strip_tracking(urljoin(base, link.strip()))
    except ValueError:  # "http://[::1" and other netlocs urllib cannot split: no link at all
        return ""
    if not absolute.lower().startswith(("http://", "https://")) or len(absolute) > MAX_URL:
        return ""
    return absolute


def entry_key(guid: str, link: str, title: str, body: str) -> str:
    if guid:
        return "id:" + guid.strip()[:500]
    if link:
        return "url:" + canonicalize(link)[:500]
    return "hash:" + hashlib.sha256(f"{title}\n{body}".encode()).hexdigest()


def parse_json_feed(content: bytes, url: str) -> ParsedFeed:
    """JSON Feed 1.0 / 1.1 (https://www.jsonfeed.org/version/1.1/)."""
    try:
        data = json.loads(decode(content, "application/json"))
    except ValueError as exc:
        raise ParseError(f"malformed JSON feed: {exc}") from exc
    except RecursionError:
        raise ParseError("malformed JSON feed: arrays or objects nested too deeply") from None
    if not isinstance(data, dict) or not str(data.get("version", "")).startswith("https://jsonfeed.org/version/"):
        raise ParseError("this JSON document is not a JSON Feed (no jsonfeed.org version)")
    items = data.get("items")
    if not isinstance(items, list):
        raise ParseError("malformed JSON feed: 'items' is not a list")
    base = data.get("home_page_url") if isinstance(data.get("home_page_url"), str) else url
    feed_author = _json_author(data)
    entries = []
    for item in items[:MAX_ENTRIES]:
        if not isinstance(item, dict):
            continue
        link = item.get("url") or item.get("external_url") or ""
        link = web_link(base or url, link) if isinstance(link, str) else ""
        title = _clean_title(item.get("title") or "") if isinstance(item.get("title"), str) else ""
        content_html = item.get("content_html") if isinstance(item.get("content_html"), str) else ""
        if not content_html and isinstance(item.get("content_text"), str):
            content_html = text_to_html(item["content_text"])
        summary = item.get("summary") if isinstance(item.get("summary"), str) else ""
        if not title and not link and not content_html:
            continue
        guid = str(item.get("id") or "")
        published = _iso(item.get("date_published")) or _iso(item.get("date_modified"))
        image = item.get("image") or item.get("banner_image") or ""
        tags = [t for t in item.get("tags", []) if isinstance(t, str)] if isinstance(item.get("tags"), list) else []
        entries.append(
            Entry(
                key=entry_key(guid, link, title, content_html),
                url=link,
                title=title,
                author=_json_author(item) or feed_author,
                published=published,
                summary_html=htmllib.escape(summary) if summary else "",
                content_html=content_html,
                image=image if isinstance(image, str) else "",
                categories=tags,
            )
        )
    title = data.get("title") if isinstance(data.get("title"), str) else ""
    return ParsedFeed(title=_clean_title(title), site_url=base or url, entries=entries, kind="json")


def _json_author(obj: dict) -> str:
    authors = obj.get("authors") if isinstance(obj.get("authors"), list) else None
    if authors is None and isinstance(obj.get("author"), dict):
        authors = [obj["author"]]
    names = [a.get("name") for a in authors or [] if isinstance(a, dict) and isinstance(a.get("name"), str)]
    return ", ".join(n.strip() for n in names if n.strip())


def _iso(value) -> datetime | None:
    dt = plausible(parse_iso(value))
    return dt.astimezone(UTC) if dt else None


def _struct_to_dt(st) -> datetime | None:
    if not st:
        return None
    try:
        return plausible(datetime.fromtimestamp(calendar.timegm(st), tz=UTC))
    except (OverflowError, ValueError, TypeError, OSError):
        return None


def _plain(text: str) -> str:
    """Markup removed: titles and authors are shown as text, never as HTML."""
    if "<" not in text and "&" not in text:
        return " ".join(text.split())
    parser = _TextOnly()
    parser.feed(text)
    parser.close()
    return " ".join("".join(parser.parts).split())


def _clean_title(text: str) -> str:
    return xml_safe(_plain(text or ""))[:1000]


class _TextOnly(HTMLParser):
    """The text a reader would see: what scripts, styles, templates (DROP_WITH_CONTENT) hold is not text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        self.hidden += tag in DROP_WITH_CONTENT

    def handle_endtag(self, tag):
        if tag in DROP_WITH_CONTENT and self.hidden:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


class _AlternateLinks(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str, str]] = []  # (type, href, title)

    def handle_starttag(self, tag, attrs):
        if tag not in ("link", "a"):
            return
        a = {k.lower(): (v or "") for k, v in attrs}
        rels = a.get("rel", "").lower().split()
        if (
            "alternate" in rels
            and a.get("href")
            and a.get("type", "").lower() in FEED_TYPES[:4] + ("application/json",)
        ):
            self.links.append((a["type"].lower(), a["href"], a.get("title", "")))


def discover_feeds(content: bytes, url: str, content_type: str = "") -> list[str]:
    """Feed URLs a web page advertises with <link rel="alternate">, absolute, best first (RSS/Atom before JSON)."""
    parser = _AlternateLinks()
    try:
        parser.feed(decode(content[:500_000], content_type))
        parser.close()
    except Exception:  # noqa: BLE001 - html.parser on hostile input: no links found is the answer
        return []
    order = {t: i for i, t in enumerate(FEED_TYPES)}
    # Comment feeds are rarely what a reader wants to follow.
    links = sorted(parser.links, key=lambda link: (order.get(link[0], 99), "comment" in link[2].lower()))
    return list(dict.fromkeys(urljoin(url, href.strip()) for _, href, _ in links))
