"""`cupure extract PATH|URL...`: the site's extraction on local files (.html, .html.gz) or URLs.

Prints one JSON line per input: input, url, title, author, published,
language, text (a blank line between paragraphs), html. An input that fails
prints {"input", "error"} instead, and the command exits with status 1.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from django.core.management.base import BaseCommand

from cupure.ingest import fetch
from cupure.ingest.errors import IngestError
from cupure.ingest.extract import extract_article
from cupure.lib.html import sanitize
from cupure.sources.refresh import PAGE_ACCEPT, fetch_policy


def read_input(item: str, policy) -> tuple[bytes, str, str]:
    """(bytes, url, content type) of a local file or an http(s) URL."""
    if item.startswith(("http://", "https://")):
        result = fetch.fetch(item, policy, accept=PAGE_ACCEPT)
        return result.content, result.url, result.headers.get("content-type", "")
    path = Path(item)
    data = path.read_bytes()
    if path.suffix == ".gz" or data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return data, "", ""


class Command(BaseCommand):
    help = "Extract articles from local HTML files (.html, .html.gz) or URLs; one JSON line each."

    def add_arguments(self, parser):
        parser.add_argument("inputs", nargs="+", metavar="PATH|URL")
        parser.add_argument("--base-url", default="", help="URL of local files, to resolve relative links")

    def handle(self, *args, inputs, base_url, **opts):
        policy = fetch_policy()
        failed = 0
        for item in inputs:
            try:
                data, url, ctype = read_input(item, policy)
                art = extract_article(data, url or base_url, ctype)
            except (OSError, EOFError, gzip.BadGzipFile) as exc:
                failed += 1
                self._line({"input": item, "error": f"cannot read {item}: {getattr(exc, 'strerror', None) or exc}"})
                continue
            except IngestError as exc:
                failed += 1
                self._line({"input": item, "error": str(exc)})
                continue
            self._line(
                {
                    "input": item,
                    "url": url or art.canonical_url or base_url,
                    "title": art.title,
                    "author": art.author,
                    "published": art.published.isoformat() if art.published else None,
                    "language": art.language,
                    "text": art.text,
                    "html": sanitize(art.html),
                }
            )
        if failed:
            raise SystemExit(1)

    def _line(self, obj):
        self.stdout.write(json.dumps(obj, ensure_ascii=False))
