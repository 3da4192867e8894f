"""The allowlist sanitizer: every piece of HTML from outside passes here before it is stored.

Templates mark only this module's output as safe. The allowlist is what an
article body needs (paragraphs, headings, lists, quotes, tables, code,
emphasis, links, figures) and nothing that runs, loads or styles.
"""

from __future__ import annotations

import nh3

ARTICLE_TAGS = {
    "p",
    "br",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "blockquote",
    "q",
    "cite",
    "pre",
    "code",
    "em",
    "strong",
    "b",
    "i",
    "u",
    "s",
    "sub",
    "sup",
    "small",
    "mark",
    "abbr",
    "time",
    "a",
    "table",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "th",
    "td",
    "caption",
    "figure",
    "figcaption",
    "img",
    "hr",
    "dl",
    "dt",
    "dd",
}
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "abbr": {"title"},
    "time": {"datetime"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
}
# Content of these goes with the tag (nh3 would otherwise keep e.g. a script's text).
DROP_WITH_CONTENT = {
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "object",
    "embed",
    "svg",
    "math",
    "form",
    "button",
    "select",
    "textarea",
    "title",
    "head",
}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow noopener noreferrer"


def sanitize(fragment: str, *, link_rel: str = LINK_REL) -> str:
    """Allowlist-clean ``fragment``; safe to mark as safe in a template."""
    if not fragment:
        return ""
    return nh3.clean(
        fragment,
        tags=ARTICLE_TAGS,
        clean_content_tags=DROP_WITH_CONTENT,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=link_rel,
        strip_comments=True,
        # Relative URLs would resolve against this site; callers make links absolute first.
        url_relative="deny",
    )


COMMENT_TAGS = {"p", "br", "strong", "em", "del", "code", "pre", "blockquote", "ul", "ol", "li", "a"}
COMMENT_LINK_REL = "nofollow ugc noopener"


def sanitize_comment(fragment: str) -> str:
    """A reader's comment: text formatting and links, nothing else (no images, headings or tables)."""
    if not fragment:
        return ""
    return nh3.clean(
        fragment,
        tags=COMMENT_TAGS,
        clean_content_tags=DROP_WITH_CONTENT,
        attributes={"a": {"href"}, "ol": {"start"}},
        url_schemes=URL_SCHEMES,
        link_rel=COMMENT_LINK_REL,
        strip_comments=True,
        url_relative="deny",
    )
