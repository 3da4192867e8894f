"""The search page and its feeds."""

from __future__ import annotations

from urllib.parse import urlencode

from django.shortcuts import render
from django.urls import reverse

from cupure.readers import screen

from .engine import SORTS
from .engine import search as run_search
from .suggest import suggest

MAX_PAGE = 10_000


def _int(value, default: int = 1) -> int:
    try:
        return max(1, min(MAX_PAGE, int(value)))
    except (TypeError, ValueError):
        return default


def _link(q: str, sort: str, page: int = 1) -> str:
    params = {"q": q}
    if sort != "relevance":
        params["sort"] = sort
    if page > 1:
        params["page"] = page
    return "?" + urlencode(params)


def search(request):
    text = request.GET.get("q", "")
    sort = request.GET.get("sort", "relevance")
    res = run_search(text, sort=sort, page=_int(request.GET.get("page")), by_story=True)
    hidden = screen.hidden_for(request)
    rules = screen.rules_for(request)
    if rules:
        shown = {a.pk for a in screen.articles(rules, [h.article for h in res.hits], hidden, noun="result")}
        res.hits = [h for h in res.hits if h.article.pk in shown]
    q = res.query
    narrow = {
        "sections": [
            (s.name, n, _link(f"{q.without('section')} section:{s.slug}".strip(), res.sort)) for s, n in res.sections
        ],
        "sources": [
            (s.name, n, _link(f"{q.without('source')} source:{s.slug}".strip(), res.sort)) for s, n in res.sources
        ],
    }
    wider = []
    if not res.hits and q.has_filters:
        for name in ("section", "source", "topic", "since", "until"):
            if getattr(q, name, None) or getattr(q, f"not_{name}", None):
                wider.append((f"without {name}:", _link(q.without(name), res.sort)))
        if q.groups and len(wider) > 1:
            wider.append(("without any filter", _link(q.without("filters"), res.sort)))
    respelled = suggest(text) if not res.hits and not q.has_filters and not q.empty else ""
    feed_q = urlencode({"q": text})
    ctx = {
        "res": res,
        "hidden": hidden,
        "respelled": respelled,
        "respelled_link": _link(respelled, res.sort) if respelled else "",
        "search_text": text,
        "narrow": narrow,
        "wider": wider,
        "sorts": [(s, _link(text, s)) for s in SORTS],
        "prev": _link(text, res.sort, res.page - 1) if res.page > 1 else "",
        "next": _link(text, res.sort, res.page + 1) if res.page < res.pages else "",
        "rss": f"{reverse('search-feed-rss')}?{feed_q}",
        "atom": f"{reverse('search-feed-atom')}?{feed_q}",
        "json": f"{reverse('search-feed-json')}?{feed_q}",
    }
    return render(request, "search/search.html", ctx, status=200)
