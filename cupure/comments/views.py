"""Posting, editing, deleting, reporting and liking comments; the moderators' queue."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth import get_user_model
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from cupure.lib.clients import client_address
from cupure.news.models import Article, Story

from . import actions
from .models import Comment, Like

# Messages about the thread as a whole are shown at its top (comments/_section.html), not atop the page.
AT_COMMENTS = "at-comments"


def _target(kind: str, pk: str):
    model = {"article": Article, "story": Story}.get(kind)
    if model is None or not str(pk).isdigit():
        raise Http404("No such page to comment on.")
    # Only what posting needs: an article row carries kilobytes of text.
    return get_object_or_404(model.objects.only("pk", "title" if model is Article else "headline"), pk=int(pk))


def _refused(request, reason: str, *, target, body: str = "", parent=None, status: int = 400):
    """The reader's text back in a form, with why it was not accepted."""
    return render(
        request,
        "comments/refused.html",
        {
            "reason": reason,
            "target": target,
            "body": body,
            "parent": parent,
            "nonce": uuid.uuid4().hex,
            "kind": target._meta.model_name,
        },
        status=status,
    )


@require_POST
def post(request, kind, pk):
    target = _target(kind, pk)
    body = request.POST.get("body", "")
    if not request.user.is_authenticated:
        return _refused(
            request, "Log in or sign up to comment; your text is kept below.", target=target, body=body, status=403
        )
    parent, reason = actions.parent_of(request.POST.get("parent"))
    if reason:
        return _refused(request, reason, target=target, body=body, status=400)
    comment, reason, status = actions.post(
        user=request.user,
        target=target,
        body=body,
        parent=parent,
        nonce=request.POST.get("nonce", ""),
        address=client_address(request),
        honeypot=request.POST.get("website", ""),
        base_url=request.build_absolute_uri("/")[:-1],
    )
    if comment is None:
        return _refused(request, reason, target=target, body=body, parent=parent, status=status)
    if comment.status == Comment.Status.HELD:
        messages.info(
            request,
            "Thank you. New accounts' first comments wait for a moderator; yours will appear "
            "once approved (you see it already).",
        )
    return redirect(comment.get_absolute_url())


def edit(request, pk):
    comment = get_object_or_404(Comment, pk=pk)
    ok, refusal = actions.may_edit(comment, request.user)
    if not ok:
        return render(
            request,
            "comments/refused.html",
            {"reason": refusal, "target": comment.target, "body": "", "no_form": True},
            status=403,
        )
    body = comment.body
    reason = ""
    if request.method == "POST":
        body = request.POST.get("body", "")
        ok, reason = actions.edit(comment, request.user, body)
        if ok:
            return redirect(comment.get_absolute_url())
    return render(
        request,
        "comments/edit.html",
        {"comment": comment, "body": body, "reason": reason},
        status=400 if reason else 200,
    )


@require_POST
def delete(request, pk):
    comment = get_object_or_404(Comment, pk=pk)
    target = comment.target
    ok, reason = actions.delete(comment, request.user)
    if not ok:
        return render(
            request, "comments/refused.html", {"reason": reason, "target": target, "no_form": True}, status=403
        )
    messages.info(request, "Your comment is deleted.", extra_tags=AT_COMMENTS)
    return redirect(f"{target.get_absolute_url()}#comments")


@require_POST
def flag(request, pk):
    comment = get_object_or_404(Comment, pk=pk, status=Comment.Status.VISIBLE)
    ok, reason = actions.flag(comment, request.user, request.POST.get("reason", ""))
    at = f"at-c{comment.pk}"  # shown beside the comment the page scrolls to (cupure.comments.thread.Node)
    if ok:
        messages.info(request, "Reported. Thank you: the moderators will look at it.", extra_tags=at)
    else:
        messages.error(request, reason, extra_tags=at)
    return redirect(comment.get_absolute_url())


@require_POST
def like(request, pk):
    comment = get_object_or_404(Comment, pk=pk, status=Comment.Status.VISIBLE)
    ok, reason = actions.like(comment, request.user)
    at = f"at-c{comment.pk}"
    if not ok:
        messages.error(request, reason, extra_tags=at)
    elif Like.objects.filter(comment=comment, user=request.user).exists():
        messages.success(request, "You like this comment.", extra_tags=at)
    else:
        messages.success(request, "Like taken back.", extra_tags=at)
    return redirect(comment.get_absolute_url())


@staff_member_required
def queue(request):
    waiting = Comment.objects.filter(status__in=[Comment.Status.HELD, Comment.Status.HIDDEN]) | Comment.objects.filter(
        status=Comment.Status.VISIBLE, flags__gt=0, moderated_by__isnull=True
    )
    waiting = waiting.select_related("author", "author__profile", "article", "story").prefetch_related("flag_set")
    return render(request, "comments/queue.html", {"waiting": waiting.order_by("created_at")[:200]})


@staff_member_required
def moderate(request, pk):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    comment = get_object_or_404(Comment.objects.select_related("author"), pk=pk)
    action, reason = request.POST.get("action"), request.POST.get("reason", "").strip()
    if action == "approve":
        actions.approve(comment, request.user, base_url=request.build_absolute_uri("/")[:-1])
        messages.success(request, f"Approved the comment by {comment.author.username}.")
    elif action == "remove":
        actions.remove(comment, request.user, reason)
        messages.success(request, f"Removed the comment by {comment.author.username}.")
    elif action == "ban":
        if comment.author.is_staff:
            messages.error(request, "Staff accounts cannot be banned here; use the admin.")
        else:
            actions.remove(comment, request.user, reason)
            n = actions.ban(get_user_model().objects.get(pk=comment.author_id), request.user, reason)
            messages.success(request, f"Banned {comment.author.username}; removed this and {n} waiting comment(s).")
    else:
        messages.error(request, "Choose approve, remove or ban.")
    return redirect("moderation")
