"""Article extraction: the body as blocks, plus the page's metadata.

trafilatura does the content detection; we ask for its XML tree rather than
its flat text so that paragraphs, headings, lists and quotes survive as
separate blocks. ``favor_precision`` measured best on the news benchmark
(see bench/extraction.py and docs/decisions/extraction.md), with the default
pass asked as well when the precise one keeps almost nothing.
"""

from __future__ import annotations

import html as htmllib
import re
from datetime import datetime
from urllib.parse import urljoin

import trafilatura

from cupure.lib.dates import parse_iso

from .blocks import blocks_from_trafilatura
from .charset import decode
from .errors import ExtractionError
from .types import ExtractedArticle

# Dates as full timestamps when the page has them, not only the day. Extensive search
# costs ~8% of extraction time and feeds usually carry the date anyway.
_DATE_PARAMS = {"original_date": True, "extensive_search": False, "outputformat": "%Y-%m-%dT%H:%M:%S%z"}

_HTML_LANG = re.compile(r"<html[^>]*\slang\s*=\s*[\"']?([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)?", re.I)
_META_LOCALE = re.compile(
    r"""<meta[^>]+(?:property|name|http-equiv)\s*=\s*["'](?:og:locale|content-language|language)["'][^>]*"""
    r"""content\s*=\s*["']([A-Za-z]{2,3})""",
    re.I,
)
_CANONICAL = re.compile(r"""<link[^>]+rel\s*=\s*["']?canonical["']?[^>]*>""", re.I)
_HREF = re.compile(r"""href\s*=\s*["']([^"']+)["']""", re.I)

# Bodies shorter than this from the precise pass are checked against the default pass (extract_article).
SHORT_BODY_WORDS = 50

EXTRACT_OPTIONS = dict(
    include_comments=False,
    include_tables=True,
    include_images=False,
    include_formatting=False,
    include_links=False,
    with_metadata=True,
)


def extract_article(
    page: str | bytes, url: str = "", content_type: str = "", *, full_metadata: bool = True
) -> ExtractedArticle:
    """Extract the article on ``page``.

    ``full_metadata=False`` skips trafilatura's metadata pass (title, date and
    author heuristics: about 45% of extraction time) and reads author, image,
    site name, language and canonical URL from the page's <head> tags only; no
    title or date is found then. Ingestion uses it when the feed already gave
    the title and the date.

    Raises ExtractionError when the page holds no article text; never returns
    an article without blocks.
    """
    text = decode(page, content_type) if isinstance(page, bytes) else page
    if not text or not text.strip():
        raise ExtractionError("the page is empty")
    doc = _extract(text, url, full_metadata, favor_precision=True)
    blocks = blocks_from_trafilatura(doc.body) if doc is not None and doc.body is not None else []
    if _words(blocks) < SHORT_BODY_WORDS:
        # The precise pass keeps so little that it more likely missed the article than found a short one:
        # ask the default pass too, and keep the longer body.
        second = _extract(text, url, full_metadata, favor_precision=False)
        more = blocks_from_trafilatura(second.body) if second is not None and second.body is not None else []
        if _words(more) > _words(blocks):
            doc, blocks = second, more
    if doc is None or doc.body is None:
        raise ExtractionError("no article text found on the page")
    # The page's own headline often opens the body; the article page already shows it as the title.
    if blocks and blocks[0].kind == "h" and _same_words(blocks[0].text, doc.title or ""):
        blocks = blocks[1:]
    if not blocks:
        raise ExtractionError("no article text found on the page")
    head = text[:60_000]
    if not full_metadata:
        return ExtractedArticle(
            url=url,
            author=_meta(head, "author", "article:author", "parsely-author"),
            language=_language(head).lower(),
            image=_meta(head, "og:image", "twitter:image"),
            canonical_url=_canonical(head, url) or _meta(head, "og:url"),
            site_name=_meta(head, "og:site_name", "application-name"),
            description=_meta(head, "og:description", "description"),
            blocks=blocks,
        )
    return ExtractedArticle(
        url=url,
        title=(doc.title or "").strip(),
        author=(doc.author or "").strip(),
        published=parse_date(doc.date),
        language=(doc.language or _language(head) or "").lower(),
        image=doc.image or "",
        canonical_url=_canonical(head, url) or (doc.url or ""),
        site_name=(doc.sitename or "").strip(),
        description=(doc.description or "").strip(),
        blocks=blocks,
    )


def _extract(text: str, url: str, full_metadata: bool, favor_precision: bool):
    try:
        return trafilatura.bare_extraction(
            text,
            url=url or None,
            date_extraction_params=_DATE_PARAMS,
            **{**EXTRACT_OPTIONS, "with_metadata": full_metadata, "favor_precision": favor_precision},
        )
    except Exception as exc:  # noqa: BLE001 - lxml/trafilatura on hostile markup raise all sorts (even AssertionError)
        raise ExtractionError(f"the page could not be parsed ({type(exc).__name__})") from exc


def _words(blocks) -> int:
    return sum(len((b.text or " ".join(b.items) or " ".join(" ".join(r) for r in b.rows)).split()) for b in blocks)


def _same_words(a: str, b: str) -> bool:
    return bool(a) and re.findall(r"\w+", a.lower()) == re.findall(r"\w+", b.lower())


def parse_date(value: str | None) -> datetime | None:
    """An aware datetime from htmldate's output (UTC when the page gave no zone)."""
    return parse_iso(value)


_META_TAG = re.compile(r"<meta\s[^>]*>", re.I)
_META_KEY = re.compile(r"""(?:name|property|itemprop)\s*=\s*["']([^"']+)["']""", re.I)
_META_CONTENT = re.compile(r"""content\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)


def _meta(head: str, *names: str) -> str:
    """The content of the first <meta> whose name/property is one of ``names`` (in that order of preference)."""
    found: dict[str, str] = {}
    for tag in _META_TAG.findall(head):
        key, content = _META_KEY.search(tag), _META_CONTENT.search(tag)
        if key and content:
            found.setdefault(key.group(1).strip().lower(), htmllib.unescape(content.group(1) or content.group(2) or ""))
    for name in names:
        value = " ".join(found.get(name, "").split())
        wants_link = name.endswith(("image", "url"))
        if value and (not wants_link or value.startswith(("http://", "https://"))):
            return value[:2000]
    return ""


def _language(head: str) -> str:
    m = _HTML_LANG.search(head) or _META_LOCALE.search(head)
    return m.group(1) if m else ""


def _canonical(head: str, base: str) -> str:
    """The page's own rel=canonical link, absolute; "" when it has none."""
    for tag in _CANONICAL.findall(head):
        m = _HREF.search(tag)
        if m:
            href = htmllib.unescape(m.group(1).strip())
            return urljoin(base, href) if base else href
    return ""
