"""What the JSON API sends and accepts (pydantic, through django-ninja): also its OpenAPI schema."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema
from pydantic import field_validator

from cupure.comments.models import Comment


def _no_nul(value):
    if isinstance(value, str) and "\x00" in value:
        raise ValueError("null characters are not allowed")
    return value


class Linked(Schema):
    """An object with a page on this site: ``url`` is that page's address."""

    url: str

    @staticmethod
    def resolve_url(obj):
        return obj.get_absolute_url()


class Error(Schema):
    message: str = Field(description="What went wrong, for a person to read.")
    errors: list[dict] | None = Field(None, description="Each invalid field, for 422 responses.")


class SectionOut(Linked):
    slug: str
    name: str


class SourceOut(Linked):
    slug: str
    name: str
    site_url: str


class ArticleOut(Linked):
    id: int
    title: str
    url: str = Field(description="The article's page on this site.")
    original_url: str = Field(description="The publisher's page.")
    source: SourceOut
    section: SectionOut | None
    author: str
    published_at: datetime
    summary: str
    image_url: str
    language: str
    story_id: int | None
    comment_count: int

    @staticmethod
    def resolve_original_url(obj):
        return obj.url


class TopicRef(Schema):
    slug: str
    name: str


class ArticleDetail(ArticleOut):
    text: str = Field(description="Plain text; paragraphs separated by a blank line.")
    content_html: str = Field(description="Sanitized HTML.")
    word_count: int
    topics: list[TopicRef]

    @staticmethod
    def resolve_topics(obj):
        return list(obj.topic_list)


class StoryOut(Linked):
    id: int
    headline: str
    section: SectionOut | None
    first_seen: datetime
    last_updated: datetime
    article_count: int
    source_count: int
    comment_count: int
    lead: ArticleOut | None


class StoryDetail(StoryOut):
    coverage: list[ArticleOut] = Field(description="Every source's articles, earliest first.")

    @staticmethod
    def resolve_coverage(obj):
        return list(obj.coverage)


class TopicOut(Linked):
    slug: str
    name: str
    mentions: int


class TrendingTopic(Schema):
    slug: str
    name: str
    why: str = Field(description="Why it is on the bar, e.g. “31 sources in 24 h, up from 2 a day”.")
    url: str


class CommentOut(Linked):
    id: int
    author: str
    parent_id: int | None
    depth: int
    html: str = Field(
        description="Rendered and sanitized; empty for a deleted or removed comment kept for its replies."
    )
    status: str = Field(description="visible, deleted or removed (the last two only while replies hang from them).")
    created_at: datetime
    edited_at: datetime | None
    likes: int

    @staticmethod
    def resolve_author(obj):
        return obj.author.username

    @staticmethod
    def resolve_html(obj):
        return obj.html if obj.status == Comment.Status.VISIBLE else ""


class CommentIn(Schema):
    body: str = Field(description="Markdown: emphasis, code, quotes, lists, links.", max_length=100_000)
    parent: int | None = Field(None, description="The comment this one answers.")
    nonce: str | None = Field(
        None, max_length=64, description="Send the same value again (a retry) and the comment is stored once."
    )

    _text = field_validator("body", "nonce")(_no_nul)


class SearchHit(Schema):
    article: ArticleOut
    title_html: str = Field(description="The title, HTML-escaped, matches in <mark>.")
    snippet_html: str


class SearchOut(Schema):
    query: str
    total: int
    total_is_lower_bound: bool = Field(description="True when there are more matches than counted.")
    page: int
    pages: int
    messages: list[str] = Field(description="What was ignored in the query, or why nothing can match.")
    hits: list[SearchHit]


class FeedOut(Schema):
    id: int
    url: str
    title: str
    source: str
    section: str | None
    active: bool
    status: str
    error_count: int
    last_error: str
    last_checked_at: datetime | None
    next_check_at: datetime | None

    @staticmethod
    def resolve_source(obj):
        return obj.source.slug

    @staticmethod
    def resolve_section(obj):
        return obj.section.slug if obj.section else None


class FeedIn(Schema):
    url: str = Field(description="A feed, or a web page that advertises one.", max_length=2000)
    section: str | None = Field(None, description="Section slug for the feed's articles.", max_length=50)

    _text = field_validator("url", "section")(_no_nul)


class FeedPatch(Schema):
    active: bool | None = Field(None, description="false pauses polling, true resumes it.")
    section: str | None = Field(None, description="Section slug; an empty string clears it.", max_length=50)

    _text = field_validator("section")(_no_nul)


def page_of(item_schema, name: str, muted: bool = False):
    """A cursor-paginated list of ``item_schema``; ``muted``: a list the reader's mutes apply to."""
    annotations = {"items": list[item_schema], "next_cursor": str | None, "next": str | None}
    fields = {
        "next_cursor": Field(None, description="Pass as ?cursor= for the next page; null on the last page."),
        "next": Field(None, description="The next page's URL; null on the last page."),
    }
    if muted:
        annotations["hidden"] = int
        fields["hidden"] = Field(
            0, description="Items of this page left out by the token's reader's hidden sources and muted words."
        )
    return type(name, (Schema,), {"__annotations__": annotations, **fields})


ArticlePage = page_of(ArticleOut, "ArticlePage", muted=True)
StoryPage = page_of(StoryOut, "StoryPage", muted=True)
TopicPage = page_of(TopicOut, "TopicPage")
SourcePage = page_of(SourceOut, "SourcePage")
CommentPage = page_of(CommentOut, "CommentPage")
FeedPage = page_of(FeedOut, "FeedPage")
