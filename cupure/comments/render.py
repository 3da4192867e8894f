"""A comment's HTML: ``render = sanitize(markdown(text))``.

Markdown with raw HTML escaped (a reader's <script> is text), then the allowlist sanitizer with a
comment's own, smaller allowlist; links get rel="nofollow ugc noopener".
"""

from __future__ import annotations

import mistune

from cupure.lib.html import sanitize_comment
from cupure.lib.text import xml_safe

_markdown = mistune.create_markdown(escape=True, hard_wrap=True, plugins=["strikethrough", "url"])


def render(text: str) -> str:
    return sanitize_comment(_markdown(xml_safe(text or "")))
