"""Article extraction: the body as blocks, plus the page's metadata.

trafilatura does the content detection; we ask for its XML tree rather than
its flat text so that paragraphs, headings, lists and quotes survive as
separate blocks. ``favor_precision`` measured best on the news benchmark
(see bench/extraction.py and docs/decisions/extraction.md), with the default
pass asked as well when the precise one keeps almost nothing.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urljoin

import lxml.html
import trafilatura
from lxml import etree

from cupure.lib.dates import parse_iso

from .blocks import blocks_from_trafilatura
from .charset import decode
from .errors import ExtractionError
from .types import ExtractedArticle

# Dates as full timestamps when the page has them, not only the day. Extensive search
# costs ~8% of extraction time and feeds usually carry the date anyway.
_DATE_PARAMS = {"original_date": True, "extensive_search": False, "outputformat": "%Y-%m-%dT%H:%M:%S%z"}

# Elements trafilatura's cleaning removes from the tree its own extractor reads (its MANUALLY_CLEANED), while
# its other stages search the raw page with them still in: the metadata pass, the raw-tree prunes of
# precision mode and readability. Dropping them once, before any stage, keeps every stage's text and saves
# a third of the time on navigation-heavy pages (docs/decisions/extraction.md). Left out of this list, though
# trafilatura cleans them too: what a later stage still reads on the raw page (<head> and <link>, metadata;
# <time> and hidden <input>s, htmldate's dates; <form>, kept when it wraps the whole page; <figure>, which
# may hold a table; <math>, recovered as text; <script>, JSON-LD).
UNREAD_ELEMENTS = (
    "aside", "footer", "nav", "menu", "noscript", "noindex", "style", "svg", "iframe", "embed", "object",
    "applet", "audio", "video", "canvas", "map", "picture", "source", "track", "param", "area", "button",
    "select", "option", "optgroup", "datalist", "textarea", "label", "fieldset", "legend", "output",
    "progress", "dialog", "marquee", "blink", "menuitem", "frame", "frameset",
)  # fmt: skip

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
    tree = _parse(text)
    head = HeadTags.of(tree)
    _drop_unread(tree)
    precise = True
    doc = _extract(tree, url, full_metadata, favor_precision=precise)
    blocks = _body_blocks(doc)
    if _words(blocks) < SHORT_BODY_WORDS:
        # The precise pass keeps so little that it more likely missed the article than found a short one:
        # ask the default pass too, and keep the longer body.
        second = _extract(tree, url, full_metadata, favor_precision=False)
        more = _body_blocks(second)
        if _words(more) > _words(blocks):
            doc, blocks, precise = second, more, False
    container, chunks = later_chunks(tree, blocks)
    if chunks:
        # trafilatura reads one container: the article's later chunks are moved into it and the same pass
        # asked again (the page's metadata is the first pass's).
        for chunk in chunks:
            container.extend(list(chunk))
        more = _body_blocks(_extract(tree, url, False, favor_precision=precise))
        if _words(more) > _words(blocks):
            blocks = more
    if doc is None or doc.body is None:
        raise ExtractionError("no article text found on the page")
    # The page's own headline often opens the body; the article page already shows it as the title.
    if blocks and blocks[0].kind == "h" and _same_words(blocks[0].text, doc.title or ""):
        blocks = blocks[1:]
    if not blocks:
        raise ExtractionError("no article text found on the page")
    if not full_metadata:
        return ExtractedArticle(
            url=url,
            author=head.meta("author", "article:author", "parsely-author"),
            language=head.language,
            image=head.meta("og:image", "twitter:image"),
            canonical_url=head.canonical(url) or head.meta("og:url"),
            site_name=head.meta("og:site_name", "application-name"),
            description=head.meta("og:description", "description"),
            blocks=blocks,
        )
    return ExtractedArticle(
        url=url,
        title=(doc.title or "").strip(),
        author=(doc.author or "").strip(),
        published=parse_date(doc.date),
        language=(doc.language or head.language).lower(),
        image=doc.image or "",
        canonical_url=head.canonical(url) or (doc.url or ""),
        site_name=(doc.sitename or "").strip(),
        description=(doc.description or "").strip(),
        blocks=blocks,
    )


def _parse(text: str) -> lxml.html.HtmlElement:
    """The page's tree, parsed once for every pass (trafilatura's own loader: its repairs, its parser)."""
    try:
        tree = trafilatura.load_html(text)
    except Exception as exc:  # noqa: BLE001 - lxml on hostile markup raises all sorts
        raise ExtractionError(f"the page could not be parsed ({type(exc).__name__})") from exc
    if tree is None:
        raise ExtractionError("no article text found on the page")
    return tree


def _drop_unread(tree: lxml.html.HtmlElement) -> None:
    """Remove from ``tree`` (in place) its comments, its scripts but JSON-LD, and the UNREAD_ELEMENTS; their
    tails (the text after them) stay. As trafilatura's own recall guard, the elements stay where every
    paragraph of the page lies inside one of them."""
    scripts = [s for s in tree.iter("script") if "json" not in (s.get("type") or "").lower()]
    for script in scripts:
        script.drop_tree()
    etree.strip_elements(tree, etree.Comment, with_tail=False)
    if any(next(p.iterancestors(*UNREAD_ELEMENTS), None) is None for p in tree.iter("p")):
        etree.strip_elements(tree, *UNREAD_ELEMENTS, with_tail=False)


def _extract(tree: lxml.html.HtmlElement, url: str, full_metadata: bool, favor_precision: bool):
    # bare_extraction works on a copy of a tree it is given: the second pass starts from the same tree.
    try:
        return trafilatura.bare_extraction(
            tree,
            url=url or None,
            date_extraction_params=_DATE_PARAMS,
            **{**EXTRACT_OPTIONS, "with_metadata": full_metadata, "favor_precision": favor_precision},
        )
    except Exception as exc:  # noqa: BLE001 - lxml/trafilatura on hostile markup raise all sorts (even AssertionError)
        raise ExtractionError(f"the page could not be parsed ({type(exc).__name__})") from exc


def _body_blocks(doc) -> list:
    return blocks_from_trafilatura(doc.body) if doc is not None and doc.body is not None else []


# How far above the container of the extracted paragraphs the article's other chunks may sit (Wired:
# div.article__chunks > div.grid > div.body__container, the chunks two levels apart).
CHUNK_LEVELS = 3
_KEY_WORDS = 8


def _key(text: str) -> str:
    return " ".join(text.split()[:_KEY_WORDS]).lower()


def later_chunks(tree, blocks) -> tuple:
    """(container, chunks): the element that holds most of the extracted paragraphs, and the article's
    chunks that follow it (none: an empty list).

    Some sites cut an article's body into containers of one tag and class, with advertising between them;
    trafilatura keeps the first. A chunk is a later element of the container's tag and class (never inside
    it) under an ancestor at most CHUNK_LEVELS up, holding paragraphs not yet extracted (SHORT_BODY_WORDS
    words at least: more than a teaser), in a branch with no headline (<h1>) and no <article> of its own,
    which the next story of an endless page has.
    """
    keys = {_key(b.text) for b in blocks if b.kind == "p" and len(b.text.split()) >= _KEY_WORDS}
    counts: Counter = Counter(p.getparent() for p in tree.iter("p") if _key(p.text_content()) in keys)
    if not counts:
        return None, []
    container, found = counts.most_common(1)[0]
    ancestors = list(container.iterancestors())[:CHUNK_LEVELS]
    if found < 2 or not container.get("class") or not ancestors or ancestors[-1].tag in ("body", "html"):
        return container, []
    chunks, after = [], False
    for el in ancestors[-1].iter(container.tag):
        after = after or el is container
        if not after or el is container or el.get("class") != container.get("class"):
            continue
        lineage = list(el.iterancestors())
        if container in lineage:
            continue
        branch = next((a for a in [el, *lineage] if a.getparent() in ancestors), None)
        if branch is None or next(branch.iter("h1", "article"), None) is not None:
            continue
        texts = (p.text_content() for p in el.iter("p"))
        if sum(len(text.split()) for text in texts if _key(text) not in keys) >= SHORT_BODY_WORDS:
            chunks.append(el)
    return container, chunks


def _words(blocks) -> int:
    return sum(len((b.text or " ".join(b.items) or " ".join(" ".join(r) for r in b.rows)).split()) for b in blocks)


def _same_words(a: str, b: str) -> bool:
    return bool(a) and re.findall(r"\w+", a.lower()) == re.findall(r"\w+", b.lower())


def parse_date(value: str | None) -> datetime | None:
    """An aware datetime from htmldate's output (UTC when the page gave no zone)."""
    return parse_iso(value)


@dataclass
class HeadTags:
    """What a page's <head> says of itself: its <meta> tags (name, property, itemprop or http-equiv ->
    content, the first of each kept), its rel=canonical link and its language (<html lang>, else a
    language meta tag)."""

    metas: dict[str, str]
    canonical_href: str = ""
    lang: str = ""

    @classmethod
    def of(cls, root: lxml.html.HtmlElement) -> HeadTags:
        """The tags of the page parsed as ``root``; some pages put their <meta> tags in the body."""
        metas: dict[str, str] = {}
        for tag in root.iter("meta"):
            content = tag.get("content")
            if content is not None:
                # A tag may name itself twice: property="og:site_name" name="site_name".
                for attribute in ("name", "property", "itemprop", "http-equiv"):
                    if key := tag.get(attribute, "").strip().lower():
                        metas.setdefault(key, " ".join(content.split()))
        links = (link for link in root.iter("link") if "canonical" in link.get("rel", "").lower().split())
        canonical = next((link.get("href", "").strip() for link in links), "")
        said = ("og:locale", "content-language", "language")
        lang = root.get("lang") or next((metas[k] for k in said if metas.get(k)), "")
        return cls(metas, canonical, lang)

    def meta(self, *names: str) -> str:
        """The content of the first of ``names`` (in that order of preference) the page has; a link (an
        image, a URL) only when absolute."""
        for name in names:
            value = self.metas.get(name, "")
            if value and (not name.endswith(("image", "url")) or value.startswith(("http://", "https://"))):
                return value[:2000]
        return ""

    @property
    def language(self) -> str:
        """The page's language as a lower-case ISO 639 code ("en" of "en-GB" or "en_US"); "" if it says none."""
        code = re.split(r"[-_]", self.lang.strip(), maxsplit=1)[0].lower()
        return code if 2 <= len(code) <= 3 and code.isalpha() else ""

    def canonical(self, base: str) -> str:
        """The page's own rel=canonical link, absolute; "" when it has none."""
        if not self.canonical_href:
            return ""
        return urljoin(base, self.canonical_href) if base else self.canonical_href
