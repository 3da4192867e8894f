"""Turning fetched bytes into text: any declared or sniffed charset.

Order of evidence (WHATWG encoding sniffing, simplified): a byte-order mark,
then the HTTP Content-Type charset, then a <meta charset> / XML declaration in
the first 2 KB. A declaration that does not decode cleanly is treated as wrong
(servers often say ISO-8859-1 for UTF-8 pages) and the bytes are sniffed.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

_META = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
_XML = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_\-.]+)["']""", re.I)
_HTTP = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_\-:.]+)", re.I)

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# XML 1.0 appendix F: a document without a byte-order mark still shows its width in its first "<?".
_XML_WIDTHS = ((b"<\0\0\0", "utf-32-le"), (b"\0\0\0<", "utf-32-be"), (b"<\0?\0", "utf-16-le"), (b"\0<\0?", "utf-16-be"))


def _norm(name: str) -> str | None:
    try:
        name = codecs.lookup(name.strip().lower()).name
    except LookupError:
        return None
    # WHATWG: a page that says latin-1 means windows-1252.
    return "cp1252" if name in ("latin-1", "iso8859-1", "ascii") else name


def declared_charset(content: bytes, content_type: str = "") -> str | None:
    m = _HTTP.search(content_type or "")
    if m and _norm(m.group(1)):
        return _norm(m.group(1))
    head = content[:2048]
    m = _XML.search(head) or _META.search(head)
    if m:
        return _norm(m.group(1).decode("ascii", "ignore"))
    return None


def decode(content: bytes, content_type: str = "") -> str:
    """Decode a document's bytes to str; never raises."""
    for bom, name in _BOMS:
        if content.startswith(bom):
            return content[len(bom) :].decode(name, errors="replace")
    for head, name in _XML_WIDTHS:
        if content.startswith(head):
            return content.decode(name, errors="replace")
    declared = declared_charset(content, content_type)
    candidates = [c for c in (declared, "utf-8") if c]
    for name in dict.fromkeys(candidates):
        try:
            text = content.decode(name)
        except UnicodeDecodeError:
            continue
        if name != "utf-8" and declared == name and _looks_like_misdeclared_utf8(content):
            return content.decode("utf-8")
        return text
    best = from_bytes(content[:200_000]).best()
    if best is not None and best.encoding:
        return content.decode(best.encoding, errors="replace")
    return content.decode("utf-8", errors="replace")


def _looks_like_misdeclared_utf8(content: bytes) -> bool:
    """True when bytes declared as a single-byte charset are in fact valid UTF-8 with multibyte runs."""
    if not re.search(rb"[\xc2-\xf4][\x80-\xbf]", content):
        return False
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
