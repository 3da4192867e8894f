"""`cupure import`: articles from JSON lines or WARC files, through the same extraction and storage as feeds."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import IO, ClassVar

from django.utils import timezone as djtz
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from cupure.ingest.article import build_draft
from cupure.ingest.blocks import text_to_html
from cupure.ingest.errors import ExtractionError
from cupure.ingest.extract import extract_article
from cupure.ingest.types import Entry
from cupure.lib.dates import parse_iso
from cupure.lib.jsonlines import BadLine
from cupure.lib.urls import host_of
from cupure.news.models import Section

from .models import Source
from .refresh import Stored, Tally, store_draft


@dataclass
class ImportReport(Tally):
    FIELDS: ClassVar[dict[Stored, str]] = {
        Stored.NEW: "imported",
        Stored.DUPLICATE: "duplicates",
        Stored.LINKED: "existing",
        Stored.DELETED: "deleted",
    }
    imported: int = 0
    duplicates: int = 0
    existing: int = 0
    deleted: int = 0
    errors: list[str] = field(default_factory=list)
    source_ids: dict[str, int] = field(default_factory=dict)  # name -> id, for this import only

    def summary(self) -> str:
        return (
            f"{self.imported} imported, {self.duplicates} near-duplicates (stored under their original), "
            f"{self.existing} already stored, {self.deleted} deleted earlier, {len(self.errors)} skipped"
        )


class BadItem(BadLine):
    """An import line whose object is not an article the site can store."""


def source_id(name: str, cache: dict[str, int]) -> int:
    if name not in cache:
        cache[name] = Source.objects.for_name(name).pk
    return cache[name]


def parse_published(value) -> datetime:
    if value in (None, ""):
        raise BadItem("'published' is missing")
    if isinstance(value, (int, float)):
        return datetime.fromtimestamp(value / 1000 if value > 1e11 else value, tz=UTC)
    if not isinstance(value, str):
        raise BadItem("'published' must be an ISO 8601 string")
    dt = parse_iso(value)
    if dt is None:
        raise BadItem(f"'published' is not an ISO 8601 date: {value[:40]!r}")
    return dt


def import_item(obj, report: ImportReport) -> None:
    """One JSON object: url, title, source, published, text or html, optional section."""
    if not isinstance(obj, dict):
        raise BadItem("expected a JSON object")
    url = obj.get("url")
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        raise BadItem("'url' must be an http(s) URL")
    title = obj.get("title")
    if not isinstance(title, str) or not title.strip():
        raise BadItem("'title' is missing")
    text, html = obj.get("text"), obj.get("html")
    if not (isinstance(text, str) and text.strip()) and not (isinstance(html, str) and html.strip()):
        raise BadItem("one of 'text' or 'html' is required")
    published = parse_published(obj.get("published"))
    section = None
    if obj.get("section"):
        section = Section.objects.find(str(obj["section"]))
        if section is None:
            raise BadItem(f"unknown section {obj['section']!r}")
    source = obj.get("source") if isinstance(obj.get("source"), str) and obj.get("source").strip() else host_of(url)
    page = obj.get("_page")  # a WARC record, already extracted
    if page is not None:
        content_html = ""
    elif isinstance(html, str) and html.strip():
        content_html = html
        if _is_full_page(html):
            try:
                page = extract_article(html, url)
                content_html = ""  # the extracted article, not the page's menus and footers
            except ExtractionError:
                page = None
        # else: a body fragment, used as it is (sanitized like everything else)
    else:
        content_html = text_to_html(text)
    entry = Entry(key="", url=url, title=title.strip(), published=published, content_html=content_html)
    draft = build_draft(entry, page, now=djtz.now())  # a future date is clamped to now, as for feeds
    _, status = store_draft(draft, source_id=source_id(source, report.source_ids), section=section)
    report.count(status)


def _is_full_page(html: str) -> bool:
    head = html[:2000].lower()
    return "<html" in head or "<body" in head or "<!doctype" in head


def iter_warc(stream: IO[bytes]) -> Iterator[tuple[int, object | Exception]]:
    """HTML responses of a WARC file as import items (title and date from the page itself)."""

    n = 0
    try:
        for record in ArchiveIterator(stream):
            if record.rec_type != "response":
                continue
            n += 1
            url = record.rec_headers.get_header("WARC-Target-URI") or ""
            ctype = (record.http_headers.get_header("Content-Type") or "") if record.http_headers else ""
            if "html" not in ctype.lower():
                continue
            body = record.content_stream().read()
            try:
                page = extract_article(body, url, ctype)
            except ExtractionError as exc:
                yield n, BadItem(f"{url}: {exc}")
                continue
            date = record.rec_headers.get_header("WARC-Date")
            published = page.published.isoformat() if page.published else date
            yield (
                n,
                {
                    "url": url,
                    "title": page.title or url,
                    "source": page.site_name or host_of(url),
                    "published": published,
                    "html": page.html,
                    "_page": page,
                },
            )
    except ArchiveLoadFailed as exc:
        yield n + 1, BadItem(f"not a valid WARC record: {exc}")
        return
    if n == 0:
        yield 1, BadItem("no WARC response records found in the file")


def is_warc(path: str, head: bytes) -> bool:
    return path.endswith((".warc", ".warc.gz")) or head.startswith(b"WARC/")


def open_input(path: str) -> IO[bytes]:
    f = open(path, "rb")
    if f.read(2) == b"\x1f\x8b" and not path.endswith(".warc.gz"):
        f.close()
        return gzip.open(path, "rb")
    f.seek(0)
    return f
