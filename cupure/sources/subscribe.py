"""Subscribing: a URL (feed or web page) becomes a Feed; OPML files in and out."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import defusedxml.ElementTree as safe_xml
from defusedxml import DefusedXmlException
from django.db import transaction

from cupure.ingest import fetch
from cupure.ingest.charset import decode
from cupure.ingest.errors import IngestError, ParseError
from cupure.ingest.parse import MAX_URL, discover_feeds, looks_like_html, parse_feed
from cupure.lib.text import xml_safe
from cupure.news.models import Section

from .models import Feed, Source
from .refresh import FEED_ACCEPT, fetch_policy

# Dropped once the bytes are text: the parser would otherwise insist on the declared (multi-byte) encoding.
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


class SubscribeError(Exception):
    """A URL or file that cannot become a subscription; the message says why."""


def add_feed(url: str, section: str = "") -> Feed:
    """Subscribe to ``url``. A web page is searched for its feed (<link rel="alternate">).

    The feed is fetched and parsed once before anything is stored, so a URL
    that is not a feed is refused with the reason instead of being added.
    """
    try:
        url = fetch.check_url(url)
    except IngestError as exc:
        raise SubscribeError(str(exc)) from exc
    if len(url) > MAX_URL:
        raise SubscribeError(f"URL too long: {len(url):,} characters, the limit is {MAX_URL:,}")
    existing = Feed.objects.filter(url=url).first()
    if existing:
        raise SubscribeError(f"already subscribed: {url} (feed #{existing.pk})")
    sec = Section.objects.find(section)
    if section and sec is None:
        names = ", ".join(Section.objects.values_list("slug", flat=True))
        raise SubscribeError(f"unknown section {section!r}; sections are: {names}")
    policy = fetch_policy()
    try:
        result = fetch.fetch(url, policy, accept=FEED_ACCEPT)
        feed_url = url
        try:
            parsed = parse_feed(result.content, result.url, result.headers.get("content-type", ""))
        except ParseError:
            if not looks_like_html(result.content, result.content_type):
                raise
            candidates = discover_feeds(result.content, result.url, result.headers.get("content-type", ""))
            if not candidates:
                raise SubscribeError(
                    f'{url} is a web page that advertises no feed (no <link rel="alternate">)'
                ) from None
            feed_url = candidates[0]
            if Feed.objects.filter(url=feed_url).exists():
                raise SubscribeError(f"already subscribed: {feed_url} (found on {url})") from None
            result = fetch.fetch(feed_url, policy, accept=FEED_ACCEPT)
            parsed = parse_feed(result.content, result.url, result.headers.get("content-type", ""))
    except IngestError as exc:
        raise SubscribeError(f"cannot subscribe to {url}: {exc}") from exc
    with transaction.atomic():
        source = Source.objects.for_feed(
            feed_url, parsed.title, parsed.site_url if parsed.site_url.startswith("http") else ""
        )
        return Feed.objects.create(url=feed_url, title=parsed.title[:500], source=source, section=sec)


@dataclass
class OpmlReport:
    added: int = 0
    existing: int = 0
    skipped: int = 0

    def summary(self) -> str:
        return (
            f"{self.added} feed{'' if self.added == 1 else 's'} added, {self.existing} already subscribed, "
            f"{self.skipped} skipped (not http(s) URLs)"
        )


def import_opml(data: bytes) -> OpmlReport:
    """Add every feed an OPML file lists, without fetching them (the scheduler polls them soon).

    A feed's section comes from its ``category`` attribute or the name of the
    folder it sits in, when either names a section.
    """
    try:
        # OPML needs no DTD; entity declarations are how XML bombs and external entity reads start. The
        # parser refuses them as it meets them, in whatever encoding the file is written (UTF-16 too).
        root = safe_xml.fromstring(
            _XML_DECLARATION.sub("", decode(data), count=1), forbid_dtd=True, forbid_entities=True, forbid_external=True
        )
    except DefusedXmlException:
        raise SubscribeError("not an accepted OPML file: DTDs and entity declarations are refused") from None
    except ET.ParseError as exc:
        raise SubscribeError(f"not a valid OPML file: {exc}") from exc
    if root.tag.lower() != "opml" or root.find("body") is None:
        raise SubscribeError("not an OPML file: the root element must be <opml> with a <body>")
    report = OpmlReport()
    with transaction.atomic():
        _walk(root.find("body"), "", report)
    return report


def _walk(body, folder: str, report: OpmlReport) -> None:
    # A stack, not recursion: folders nested thousands deep are legal XML.
    stack = [(body, folder)]
    while stack:
        node, folder = stack.pop()
        for outline in reversed(node.findall("outline")):
            _add_outline(outline, folder, report, stack)


def _add_outline(outline, folder: str, report: OpmlReport, stack: list) -> None:
    xml_url = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
    title = outline.get("title") or outline.get("text") or ""
    # export_opml writes text="Source - Feed title": the publisher's name travels in the text.
    label = outline.get("text") or title
    if not xml_url:
        stack.append((outline, title or folder))
        return
    try:
        xml_url = fetch.check_url(xml_url)
    except IngestError:
        report.skipped += 1
        return
    if len(xml_url) > MAX_URL:
        report.skipped += 1
        return
    if Feed.objects.filter(url=xml_url).exists():
        report.existing += 1
        return
    section = Section.objects.find(outline.get("category", "")) or Section.objects.find(folder)
    site = (outline.get("htmlUrl") or "").strip()
    source = Source.objects.for_feed(xml_url, label, site if site.startswith(("http://", "https://")) else "")
    Feed.objects.create(url=xml_url, title=title[:500], source=source, section=section)
    report.added += 1


def export_opml(site_name: str = "cupure") -> str:
    """All feeds as OPML 2.0, in folders by section; ``category`` carries the section slug. Text that XML
    forbids (a feed title with U+0001) is left out: a file no reader, cupure's import-opml included, accepts
    would lose every subscription in it."""
    root = ET.Element("opml", version="2.0")
    ET.SubElement(ET.SubElement(root, "head"), "title").text = xml_safe(f"{site_name} subscriptions")
    body = ET.SubElement(root, "body")
    feeds = list(Feed.objects.select_related("source", "section").order_by("section__position", "source__name", "url"))
    folders: dict[str, ET.Element] = {}
    for f in feeds:
        parent = body
        if f.section:
            parent = folders.get(f.section.name)
            if parent is None:
                parent = folders[f.section.name] = ET.SubElement(body, "outline", text=xml_safe(f.section.name))
        text = f.source.name if not f.title or f.title.startswith(f.source.name) else f"{f.source.name} - {f.title}"
        attrs = {"type": "rss", "text": text, "title": f.title or f.source.name, "xmlUrl": f.url}
        if f.source.site_url:
            attrs["htmlUrl"] = f.source.site_url
        if f.section:
            attrs["category"] = f.section.slug
        ET.SubElement(parent, "outline", {k: xml_safe(v) for k, v in attrs.items()})
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
