"""Article bodies as structured blocks, and the two renderings of them.

Keeping paragraphs as separate blocks is what guarantees that no page ever
shows two sentences glued across a paragraph break ("companies.Why it
matters"): text joins blocks with a blank line, HTML wraps each in its own
element.
"""

from __future__ import annotations

import copy
import html as htmllib
import re
from dataclasses import dataclass, field

from lxml import etree
from lxml import html as lxml_html

from cupure.lib.html import DROP_WITH_CONTENT


@dataclass
class Block:
    """One structural piece of an article body."""

    kind: str  # "p", "h", "ul", "ol", "quote", "pre", "table"
    text: str = ""
    items: list[str] = field(default_factory=list)  # list items, for ul/ol
    rows: list[list[str]] = field(default_factory=list)  # table cells, for table


_SPACE = re.compile(r"[ \t\r\f\v\u00a0\u200b]+")
_NEWLINES = re.compile(r"\s*\n\s*")

# Elements that start a new block when an HTML fragment (feed content) is cut into blocks.
_BLOCK_TAGS = {
    "p": "p",
    "div": "p",
    "section": "p",
    "article": "p",
    "figcaption": "p",
    "dd": "p",
    "dt": "p",
    "h1": "h",
    "h2": "h",
    "h3": "h",
    "h4": "h",
    "h5": "h",
    "h6": "h",
    "blockquote": "quote",
    "pre": "pre",
    "ul": "ul",
    "ol": "ol",
    "table": "table",
}
# Elements of trafilatura's XML that are blocks of their own (inside a table cell: a layout table).
_TRAFILATURA_BLOCKS = {"p", "head", "list", "quote", "code", "table"}
# trafilatura's own XML vocabulary (anything else in its body is the page's HTML, from a fallback).
_TRAFILATURA_TAGS = _TRAFILATURA_BLOCKS | {"item", "row", "cell", "graphic", "ref", "hi", "lb", "del"}
_SKIP_TAGS = DROP_WITH_CONTENT | {"input", "meta", "link"}  # what is no text, and void tags


def clean_inline(text: str) -> str:
    """Collapse runs of whitespace inside one block to single spaces."""
    return _SPACE.sub(" ", _NEWLINES.sub(" ", text or "")).strip()


def _lines(el) -> list[str]:
    """The element's text as the reader sees it, one string per line: a <br> (trafilatura's <lb>) ends a
    line, so "…di Natale.<br>Si tratta…" is two lines, never "Natale. Si" glued into one sentence run."""
    lines: list[list[str]] = [[]]

    def walk(node, top: bool):
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in _SKIP_TAGS and not top:  # (trafilatura's <head> is a heading: the element itself is read)
            pass
        elif tag in ("br", "lb"):
            lines.append([])
        else:
            if node.text:
                lines[-1].append(node.text)
            for child in node:
                walk(child, False)
        if not top and node.tail:
            lines[-1].append(node.tail)

    walk(el, True)
    return [text for text in (unglue(clean_inline("".join(parts))) for parts in lines) if text]


# A sentence end touching the next sentence's first letter: "continuum.'Click", "launch.The". In running
# text that is never how a sentence ends; it is two runs of the page (a quote and its share button, two
# spans) whose boundary the extractor's text lost. Lower case before, upper case after: "U.S." and "e.g."
# are not touched.
_TOUCHING = re.compile(r"([^\W\d_])([.!?][\"'”’)]?)([^\W\d_])")


def unglue(text: str) -> str:
    """``text`` with a space wherever a sentence end touches the capital of the next sentence."""
    return _TOUCHING.sub(lambda m: f"{m[1]}{m[2]} {m[3]}" if m[1].islower() and m[3].isupper() else m[0], text)


def _inline_text(el) -> str:
    """Text of an element on one line (list items, table cells), a <br> read as a space."""
    return " ".join(_lines(el))


def blocks_from_trafilatura(body) -> list[Block]:
    """Blocks from the body element of trafilatura's XML tree (p, head, list/item, quote, code, table)."""
    blocks: list[Block] = []
    if body is None:
        return blocks
    for el in body:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag == "head":
            _add_lines(blocks, "h", el)
        elif tag == "list":
            items = [_inline_text(i) for i in el.iter("item")]
            items = [i for i in items if i]
            if items:
                kind = "ol" if (el.get("rend") or "").startswith("ol") else "ul"
                blocks.append(Block(kind, items=items))
        elif tag == "quote":
            # A quote may itself hold several paragraphs: keep them apart.
            inner = [c for c in el if isinstance(c.tag, str) and c.tag in ("p", "head")]
            for c in inner or [el]:
                _add_lines(blocks, "quote", c)
        elif tag == "code":
            text = "".join(el.itertext()).strip("\n")
            if text.strip():
                blocks.append(Block("pre", text))
        elif tag == "table" and any(
            isinstance(c.tag, str) and c.tag in _TRAFILATURA_BLOCKS for c in el.iter() if c is not el
        ):
            # A layout table (the whole article, a pull quote beside it): its cells hold paragraphs, read
            # them in order as paragraphs, not as one row of cells glued together.
            for cell in el.iter("cell"):
                if cell.text and cell.text.strip():
                    _add(blocks, Block("p", clean_inline(cell.text)))
                blocks.extend(blocks_from_trafilatura(cell))
        elif tag == "table":
            rows = []
            for row in el.iter("row"):
                cells = [_inline_text(c) for c in row if isinstance(c.tag, str) and c.tag == "cell"]
                if any(cells):
                    rows.append(cells)
            if rows:
                blocks.append(Block("table", rows=rows))
        elif tag in ("graphic", "ref"):
            continue
        elif tag not in _TRAFILATURA_TAGS:
            # trafilatura's fallback extractors hand back the page's own HTML (div, h2, ul, blockquote, br):
            # read it as HTML, a container of blocks.
            holder = etree.Element("div")
            holder.append(copy.copy(el))
            holder[0].tail = None
            _collect(holder, blocks)
        else:  # p, and anything trafilatura may add later: read it as a paragraph
            _add_lines(blocks, "p", el)
        if el.tail and el.tail.strip():  # text between blocks (a heading's) is a paragraph of its own
            _add(blocks, Block("p", unglue(clean_inline(el.tail))))
    return blocks


def _add(blocks: list[Block], block: Block) -> None:
    if block.text:
        blocks.append(block)


def _add_lines(blocks: list[Block], kind: str, el) -> None:
    """One block of ``kind`` per line of ``el``."""
    blocks.extend(Block(kind, line) for line in _lines(el))


def blocks_from_html(fragment: str) -> list[Block]:
    """Cut an HTML fragment (a feed's content:encoded, say) into blocks.

    Text directly inside a container is gathered into paragraphs that end at
    every block-level element and at every <br>.
    """
    if not fragment or not fragment.strip():
        return []
    try:
        root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return [Block("p", clean_inline(htmllib.unescape(re.sub(r"<[^>]+>", " ", fragment))))]
    blocks: list[Block] = []
    _collect(root, blocks)
    return [b for b in blocks if b.text or b.items or b.rows]


def _collect(container, blocks: list[Block]) -> None:
    buf: list[str] = []

    def flush():
        text = clean_inline("".join(buf))
        buf.clear()
        if text:
            blocks.append(Block("p", text))

    if container.text:
        buf.append(container.text)
    for child in container:
        tag = child.tag.lower() if isinstance(child.tag, str) else ""
        if tag in _SKIP_TAGS:
            pass
        elif tag in _BLOCK_TAGS:
            flush()
            kind = _BLOCK_TAGS[tag]
            if kind in ("ul", "ol"):
                items = [_inline_text(li) for li in child if isinstance(li.tag, str) and li.tag == "li"]
                items = [i for i in items if i]
                if items:
                    blocks.append(Block(kind, items=items))
            elif kind == "table":
                rows = []
                for tr in child.iter("tr"):
                    cells = [_inline_text(td) for td in tr if isinstance(td.tag, str) and td.tag in ("td", "th")]
                    if any(cells):
                        rows.append(cells)
                if rows:
                    blocks.append(Block("table", rows=rows))
            elif kind == "pre":
                text = "".join(child.itertext()).strip("\n")
                if text.strip():
                    blocks.append(Block("pre", text))
            elif kind == "p" and any(isinstance(c.tag, str) and c.tag.lower() in _BLOCK_TAGS for c in child):
                _collect(child, blocks)  # a div of paragraphs
            elif kind == "quote" and any(isinstance(c.tag, str) and c.tag.lower() in _BLOCK_TAGS for c in child):
                start = len(blocks)
                _collect(child, blocks)
                for b in blocks[start:]:
                    if b.kind == "p":
                        b.kind = "quote"
            else:
                _add_lines(blocks, kind, child)
            if child.tail:
                buf.append(child.tail)
            continue
        elif tag == "br":  # a line break is a break: the lines on either side are never one sentence run
            flush()
            if child.tail:
                buf.append(child.tail)
            continue
        else:
            buf.append(_inline_text(child))
            buf.append(" ")
        if child.tail:
            buf.append(child.tail)
    flush()


def paragraphs_from_text(text: str) -> list[str]:
    """Paragraphs of a plain text: split on blank lines; a text with none is split on single newlines
    (many tools write one paragraph per line)."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    parts = re.split(r"\n\s*\n", text) if re.search(r"\n\s*\n", text) else text.split("\n")
    return [clean_inline(p) for p in parts if p.strip()]


def text_to_html(text: str) -> str:
    """Plain text as escaped paragraphs."""
    return "".join(f"<p>{htmllib.escape(p)}</p>" for p in paragraphs_from_text(text))


def blocks_to_text(blocks: list[Block]) -> str:
    """Plain text: one blank line between blocks; list items and table rows on their own lines."""
    out: list[str] = []
    for b in blocks:
        if b.kind in ("ul", "ol"):
            out.append("\n".join(f"- {i}" if b.kind == "ul" else f"{n}. {i}" for n, i in enumerate(b.items, 1)))
        elif b.kind == "table":
            out.append("\n".join(" | ".join(r) for r in b.rows))
        elif b.text:
            out.append(b.text)
    return "\n\n".join(out)


def blocks_to_html(blocks: list[Block]) -> str:
    """HTML made only of the tags the sanitizer allows; every text is escaped here."""
    esc = htmllib.escape
    out: list[str] = []
    for b in blocks:
        if b.kind == "h":
            out.append(f"<h2>{esc(b.text)}</h2>")
        elif b.kind == "quote":
            out.append(f"<blockquote><p>{esc(b.text)}</p></blockquote>")
        elif b.kind == "pre":
            out.append(f"<pre>{esc(b.text)}</pre>")
        elif b.kind in ("ul", "ol"):
            items = "".join(f"<li>{esc(i)}</li>" for i in b.items)
            out.append(f"<{b.kind}>{items}</{b.kind}>")
        elif b.kind == "table":
            rows = "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in r) + "</tr>" for r in b.rows)
            out.append(f"<table><tbody>{rows}</tbody></table>")
        else:
            out.append(f"<p>{esc(b.text)}</p>")
    return "\n".join(out)
