"""A target's comments as the tree a reader may see."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from .models import THREADS_PER_PAGE, Comment, Like

ORDERS = ("oldest", "newest", "top")


@dataclass
class Node:
    comment: Comment
    replies: list[Node] = field(default_factory=list)
    show_body: bool = True
    note: str = ""  # "Awaiting approval", "[deleted]", ...
    liked: bool = False  # by the reader looking at it

    @property
    def flash_tag(self) -> str:
        """The tag of a message about this comment (views.py), shown beside it rather than atop the page."""
        return f"at-c{self.comment.pk}"


def build(target, user, order: str = "oldest", page: int = 1) -> tuple[list[Node], int, int]:
    """The top-level nodes of ``page`` in ``order`` (replies always oldest first), the visible count of
    the whole thread, and the number of pages.

    Held comments are seen by their author and staff only; a removed, deleted or hidden comment stays
    as a placeholder while replies hang from it.
    """
    kind = target._meta.model_name  # "article" or "story"
    comments = list(Comment.objects.filter(**{kind: target}).select_related("author").order_by("created_at", "id"))
    staff = user.is_authenticated and user.is_staff
    me = user.pk if user.is_authenticated else None
    nodes = {c.pk: Node(c) for c in comments}
    if me is not None and nodes:
        for pk in Like.objects.filter(user_id=me, comment_id__in=list(nodes)).values_list("comment_id", flat=True):
            nodes[pk].liked = True
    roots = []
    for c in comments:
        (nodes[c.parent_id].replies if c.parent_id in nodes else roots).append(nodes[c.pk])
    if order == "newest":
        roots.reverse()
    elif order == "top":
        roots.sort(key=lambda n: (-n.comment.likes, n.comment.created_at, n.comment.pk))
    pages = max(1, -(-len(roots) // THREADS_PER_PAGE))
    page = min(max(page, 1), pages)
    roots = roots[(page - 1) * THREADS_PER_PAGE : page * THREADS_PER_PAGE]

    def keep(node: Node) -> bool:
        node.replies = [r for r in node.replies if keep(r)]
        c = node.comment
        if c.status == Comment.Status.VISIBLE:
            return True
        if c.status == Comment.Status.HELD:
            node.note = "Awaiting a moderator's approval: only you and the moderators see it."
            return staff or c.author_id == me
        if c.status == Comment.Status.HIDDEN and (staff or c.author_id == me):
            node.note = "Hidden after readers reported it, until a moderator looks at it."
            return True
        if staff and c.status == Comment.Status.REMOVED:
            node.note = f"Removed by a moderator: {c.moderation_reason or 'no reason given'}."
            return True
        node.show_body = False
        node.note = {Comment.Status.DELETED: "[deleted]", Comment.Status.REMOVED: "[removed by a moderator]"}.get(
            c.status, "[hidden pending review]"
        )
        return bool(node.replies)

    roots = [r for r in roots if keep(r)]
    visible = sum(1 for c in comments if c.status == Comment.Status.VISIBLE)
    return roots, visible, pages


def thread_target(model, pk):
    """The article or story ``pk`` as a comment thread needs it, its id alone, with no query: what a cached
    page (cupure.ops.pagecache) passes. Its other fields are deferred (read on first use)."""
    return model.from_db(None, ["id"], [pk])


def any_comments(target) -> bool:
    """Whether ``target`` has a comment of any status. A page's skeleton records it: posting or deleting a
    comment bumps the content generation, so the skeleton is never older than the answer."""
    return Comment.objects.filter(**{target._meta.model_name: target}).exists()


def context(request, target, has_comments: bool = True) -> dict:
    """What templates/comments/_section.html needs, with the thread rendered; ``has_comments=False`` when
    the caller knows the target has none (a page's skeleton, cupure.ops.pagecache, counts them): no query.

    For readers who are not signed in the rendered thread is cached, under a key made of every comment's
    id, status, likes and edit time: any change to the thread is a new key, so nothing is ever stale.
    """
    order = request.GET.get("comments", "oldest")
    order = order if order in ORDERS else "oldest"
    try:
        page = int(request.GET.get("cpage", "1"))
    except ValueError:
        page = 1
    kind = target._meta.model_name  # "article" or "story"
    ctx = {
        "comment_order": order,
        "comment_orders": ORDERS,
        "comment_target": target,
        "comment_kind": kind,
        "comment_nonce": uuid.uuid4().hex,
    }
    key = None
    if has_comments and not request.user.is_authenticated:
        state = list(
            Comment.objects.filter(**{kind: target})
            .order_by("id")
            .values_list("id", "status", "likes", "edited_at", "parent_id")
        )
        digest = hashlib.blake2b(repr(state).encode(), digest_size=16).hexdigest()
        key = f"thread:{kind}:{target.pk}:{order}:{page}:{digest}"
        cached = cache.get(key)
        if cached is not None:
            return {**ctx, **cached, "comment_thread_html": mark_safe(cached["comment_thread_html"])}
    roots, visible, pages = build(target, request.user, order, page) if has_comments else ([], 0, 1)
    page = min(max(page, 1), pages)
    html = render_to_string("comments/_thread.html", {**ctx, "comment_roots": roots}, request) if roots else ""
    paging = {
        "comment_count": visible,
        "comment_page": page,
        "comment_pages": pages,
        "comment_page_numbers": list(range(1, pages + 1)) if pages > 1 else [],
    }
    if key is not None:
        cache.set(key, {"comment_thread_html": html, **paging}, 3600)
    return {**ctx, **paging, "comment_thread_html": mark_safe(html)}
