"""Plain dataclasses passed between the ingestion stages.

Nothing here imports Django: the stages are pure functions over these values,
and only ``cupure.sources.refresh`` turns them into rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from .blocks import Block, blocks_to_html, blocks_to_text


@dataclass
class FetchResult:
    """One HTTP response, after redirects, with the body already capped and decoded from gzip/deflate."""

    url: str  # the final URL, after redirects
    status: int
    headers: dict[str, str]  # lower-cased names
    content: bytes
    not_modified: bool = False

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def etag(self) -> str:
        return self.headers.get("etag", "")

    @property
    def last_modified(self) -> str:
        return self.headers.get("last-modified", "")


@dataclass
class Entry:
    """One item of a feed, as parsed. ``key`` is the within-feed dedup key, chosen while parsing."""

    key: str
    url: str
    title: str
    author: str = ""
    published: datetime | None = None
    summary_html: str = ""
    content_html: str = ""
    image: str = ""
    categories: list[str] = field(default_factory=list)


@dataclass
class ParsedFeed:
    title: str
    site_url: str
    entries: list[Entry]
    ttl_minutes: int | None = None
    kind: str = "rss"  # rss, atom, rdf, json
    bozo_message: str = ""  # a recoverable parser complaint, kept for the operator


@dataclass
class ExtractedArticle:
    """What the extractor found on an article page."""

    url: str
    title: str = ""
    author: str = ""
    published: datetime | None = None
    language: str = ""
    image: str = ""
    canonical_url: str = ""
    site_name: str = ""
    description: str = ""
    blocks: list[Block] = field(default_factory=list)

    @property
    def text(self) -> str:
        return blocks_to_text(self.blocks)

    @property
    def html(self) -> str:
        return blocks_to_html(self.blocks)


class ContentOrigin(StrEnum):
    """Where an article's text comes from; chosen while the draft is built, stored on the article."""

    PAGE = "page"  # extracted from the article's own page
    FEED = "feed"  # the feed's content or summary, when the page gave less or could not be read


@dataclass
class ArticleDraft:
    """An article ready to store: every HTML field already sanitized."""

    url: str
    canonical_url: str
    title: str
    author: str
    published: datetime
    language: str
    image: str
    site_name: str
    summary: str
    content_html: str
    text: str
    word_count: int
    content_origin: ContentOrigin
    content_hash: str
    minhash: bytes
    band_keys: tuple[int, ...]
    page_error: str = ""  # why the page could not be used, when the feed's content was
