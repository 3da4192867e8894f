"""Follow, save, hide and mute; For you and Saved. Function views: parse the request, ask the models."""

from __future__ import annotations

import json
import secrets
from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from cupure.accounts.models import Profile
from cupure.accounts.views import next_url
from cupure.news.models import Article, Section, Story, Topic
from cupure.sources.models import Source

from . import foryou, screen
from .digest import user_for_unsubscribe
from .models import FOLLOWABLE, SAVEABLE, SEEN_EVERY, Follow, Mute, Saved

MODELS = {"topic": Topic, "source": Source, "section": Section, "story": Story, "article": Article}


def _reader_post(view):
    """POST only; a reader not signed in is sent to log in, and back to the page they were on."""

    @wraps(view)
    @require_POST
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            back = next_url(request, "/")
            return redirect(f"{reverse('login')}?{urlencode({'next': back})}")
        return view(request, *args, **kwargs)

    return wrapped


def _target(request, kinds: tuple[str, ...]):
    kind = request.POST.get("kind", "")
    pk = request.POST.get("id", "")
    if kind not in kinds or not pk.isdigit():
        return None, None
    return kind, get_object_or_404(MODELS[kind], pk=int(pk))


def _toggle(request, model, kind: str, thing, on: bool) -> bool:
    """Add (``on``) or remove the reader's row for ``thing``; True if it changed anything."""
    if not on:
        return bool(model.objects.of(request.user, kind, thing.pk).delete()[0])
    try:
        with transaction.atomic():
            model.objects.create(user=request.user, **{kind: thing})
    except IntegrityError:  # a double click, or two tabs: it is there already
        return False
    return True


def _toggled(request, model, kinds: tuple[str, ...], off: str, verb: str):
    """(thing, on, None) after following or saving what the form names (off: ``action=off``), or
    (None, None, a 400 saying what the form lacks)."""
    kind, thing = _target(request, kinds)
    if thing is None:
        return None, None, HttpResponseBadRequest(f"Say what to {verb}: kind ({', '.join(kinds)}) and id.")
    on = request.POST.get("action", "") != off
    _toggle(request, model, kind, thing, on)
    return thing, on, None


@_reader_post
def follow(request):
    thing, on, refused = _toggled(request, Follow, FOLLOWABLE, "unfollow", "follow")
    if refused:
        return refused
    name = thing.headline if isinstance(thing, Story) else thing.name
    if on:
        messages.success(request, f"You follow {name}: its news comes first on For you.")
    else:
        messages.success(request, f"You no longer follow {name}.")
    return redirect(next_url(request, thing.get_absolute_url()))


@_reader_post
def save(request):
    thing, on, refused = _toggled(request, Saved, SAVEABLE, "unsave", "save")
    if refused:
        return refused
    messages.success(request, "Saved to Read later." if on else "Removed from Read later.")
    return redirect(next_url(request, thing.get_absolute_url()))


@_reader_post
def hide_source(request):
    pk = request.POST.get("id", "")
    if not pk.isdigit():
        return HttpResponseBadRequest("Say which source to hide: id.")
    src = get_object_or_404(Source, pk=int(pk))
    on = request.POST.get("action", "hide") != "show"
    if on:
        Mute.objects.get_or_create(user=request.user, source=src)
        messages.success(request, f"{src.name} is hidden everywhere you read. Undo it on Hidden and muted.")
    else:
        Mute.objects.filter(user=request.user, source=src).delete()
        messages.success(request, f"{src.name} is shown again.")
    return redirect(next_url(request, src.get_absolute_url()))


@login_required
def mutes(request):
    """Hidden sources and muted words: list, add, remove."""
    error = ""
    if request.method == "POST":
        if "remove" in request.POST:
            Mute.objects.filter(user=request.user, pk=request.POST.get("remove", "0") or 0).delete()
            messages.success(request, "Removed.")
            return redirect("mutes")
        phrase, error = Mute.check_phrase(request.POST.get("phrase", ""))
        if not error:
            _, made = Mute.objects.get_or_create(user=request.user, phrase=phrase)
            messages.success(
                request, f"Muted '{phrase}' everywhere you read." if made else f"'{phrase}' was muted already."
            )
            return redirect("mutes")
    rows = list(Mute.objects.filter(user=request.user).select_related("source"))
    return render(
        request,
        "readers/mutes.html",
        {
            "phrases": [m for m in rows if not m.source_id],
            "sources": sorted((m for m in rows if m.source_id), key=lambda m: m.source.name.lower()),
            "error": error,
            "typed": request.POST.get("phrase", "") if error else "",
        },
        status=400 if error else 200,
    )


@login_required
def for_you(request):
    profile = Profile.of(request.user)
    since = profile.for_you_seen_at
    rules = screen.rules_for(request)
    hidden = screen.hidden_for(request)
    follows = foryou.follows_of(request.user)
    entries = foryou.followed(request.user, rules, since=since, hidden=hidden, follows=follows)
    top = foryou.top_up(entries, rules, hidden)
    now = timezone.now()
    if since is None or now - since >= SEEN_EVERY:
        Profile.objects.filter(pk=profile.pk).update(for_you_seen_at=now)
    foryou.new_per_follow(follows, since)
    return render(
        request,
        "readers/for_you.html",
        {"entries": entries, "top": top, "follows": follows, "hidden": hidden, "since": since},
    )


@login_required
def saved(request):
    rows = list(Saved.objects.filter(user=request.user).select_related("article__source", "story__lead__source"))
    return render(request, "readers/saved.html", {"rows": rows})


@login_required
def saved_export(request):
    """Every saved item as JSON, for keeping or moving elsewhere."""
    root = request.build_absolute_uri("/")[:-1]
    items = []
    for s in Saved.objects.filter(user=request.user).select_related("article__source", "story"):
        a, st = s.article, s.story
        thing = a or st
        item = {"kind": "article" if a else "story", "id": thing.pk, "title": a.title if a else st.headline}
        item["url"] = root + thing.get_absolute_url()
        if a:
            item.update(original=a.url, source=a.source.name, published=a.published_at.isoformat())
        else:
            item["sources"] = st.source_count
        items.append({**item, "saved": s.created_at.isoformat()})
    resp = HttpResponse(
        json.dumps({"saved": items}, ensure_ascii=False, indent=1), content_type="application/json; charset=utf-8"
    )
    resp["Content-Disposition"] = 'attachment; filename="cupure-saved.json"'
    return resp


@login_required
@require_POST
def reset_feed_key(request):
    """A new secret address for the reader's personal feeds; the old one stops working at once."""
    Profile.objects.filter(pk=Profile.of(request.user).pk).update(feed_key=secrets.token_urlsafe(24))
    messages.success(request, "Your personal feeds have a new address: update your feed reader.")
    return redirect(reverse("account-settings") + "#feeds")


def reader_for_key(key: str):
    """The active reader whose personal feeds live at ``key``; 404 for any other key."""
    if len(key) < 20:
        raise Http404("No such feed.")
    prof = Profile.objects.select_related("user").filter(feed_key=key, user__is_active=True).first()
    if prof is None or not secrets.compare_digest(prof.feed_key, key):
        raise Http404("No such feed.")
    return prof.user


@csrf_exempt  # RFC 8058 one-click unsubscribe: mail apps POST here without a session; the signed link is the proof
def digest_unsubscribe(request, token):
    """The digest email's link: one click (or the mail app's own button) ends the digest."""

    user = user_for_unsubscribe(token)
    if user is None:
        return render(request, "readers/unsubscribed.html", {"bad": True}, status=404)
    Profile.objects.filter(pk=Profile.of(user).pk).update(digest=Profile.Digest.OFF)
    if request.method == "POST":
        return HttpResponse("unsubscribed", content_type="text/plain")
    return render(request, "readers/unsubscribed.html", {"person": user})
