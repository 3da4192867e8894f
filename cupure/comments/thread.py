"""A target's comments as the tree a reader may see."""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from .models import Comment

ORDERS = ("oldest", "newest", "top")


@dataclass
class Node:
    comment: Comment
    replies: list["Node"] = field(default_factory=list)
    show_body: bool = True
    note: str = ""  # "Awaiting approval", "[deleted]", ...


def build(target, user, order: str = "oldest") -> tuple[list[Node], int]:
    """Top-level nodes in ``order`` (replies always oldest first), and the visible count.

    Held comments are seen by their author and staff only; a removed, deleted or hidden comment stays
    as a placeholder while replies hang from it.
    """
    kind = "story" if target._meta.model_name == "story" else "article"
    comments = list(Comment.objects.filter(**{kind: target}).select_related("author").order_by("created_at", "id"))
    staff = user.is_authenticated and user.is_staff
    me = user.pk if user.is_authenticated else None
    nodes = {c.pk: Node(c) for c in comments}
    roots = []
    for c in comments:
        (nodes[c.parent_id].replies if c.parent_id in nodes else roots).append(nodes[c.pk])

    def keep(node: Node) -> bool:
        node.replies = [r for r in node.replies if keep(r)]
        c = node.comment
        if c.status == Comment.VISIBLE:
            return True
        if c.status == Comment.HELD:
            node.note = "Awaiting a moderator's approval: only you and the moderators see it."
            return staff or c.author_id == me
        if c.status == Comment.HIDDEN and (staff or c.author_id == me):
            node.note = "Hidden after readers reported it, until a moderator looks at it."
            return True
        if staff and c.status == Comment.REMOVED:
            node.note = f"Removed by a moderator: {c.moderation_reason or 'no reason given'}."
            return True
        node.show_body = False
        node.note = {Comment.DELETED: "[deleted]", Comment.REMOVED: "[removed by a moderator]"}.get(
            c.status, "[hidden pending review]")
        return bool(node.replies)

    roots = [r for r in roots if keep(r)]
    if order == "newest":
        roots.sort(key=lambda n: (n.comment.created_at, n.comment.pk), reverse=True)
    elif order == "top":
        roots.sort(key=lambda n: (-n.comment.likes, n.comment.created_at, n.comment.pk))
    visible = sum(1 for c in comments if c.status == Comment.VISIBLE)
    return roots, visible


def context(request, target) -> dict:
    """What templates/comments/_section.html needs."""
    order = request.GET.get("comments", "oldest")
    order = order if order in ORDERS else "oldest"
    roots, visible = build(target, request.user, order)
    return {"comment_roots": roots, "comment_count": visible, "comment_order": order, "comment_orders": ORDERS,
            "comment_target": target, "comment_kind": "story" if target._meta.model_name == "story" else "article",
            "comment_nonce": uuid.uuid4().hex}
