"""rel=canonical is believed only for an http(s) URL on the page's own site: one publisher cannot claim
another's article, and a javascript: canonical cannot merge unrelated entries into one article."""

import random

import pytest

from cupure.lib.urls import site_of, trusted_canonical
from cupure.news.models import Article
from cupure.sources.models import Feed, Source
from cupure.sources.refresh import refresh_feed

from .conftest import article_page, rss
from .fleet import prose

pytestmark = pytest.mark.django_db


def feed_of(web, path, items, name):
    url = web.add(path, rss(items), content_type="application/rss+xml")
    source = Source.objects.create(name=name, slug=name.lower().replace(" ", "-"))
    return Feed.objects.create(url=url, source=source)


def page(web, path, title, seed, canonical):
    rng = random.Random(seed)
    web.add(path, article_page(title, [prose(rng, 3), prose(rng, 3)], canonical=canonical))


def test_a_page_cannot_claim_another_sites_article(web):
    # Two sites on one machine: "localhost" and "127.0.0.1" are different hosts.
    theirs = web.url("/story.html").replace("127.0.0.1", "localhost")
    page(web, "/story.html", "The original report", 1, canonical="")
    victim = feed_of(web, "/victim.xml", [{"title": "The original report", "link": theirs, "guid": "v"}], "Victim")
    page(web, "/copycat.html", "A different report", 2, canonical=theirs)
    copycat = feed_of(
        web, "/copycat.xml", [{"title": "A different report", "link": web.url("/copycat.html"), "guid": "c"}], "Copycat"
    )
    # The copycat is polled first: had its claim been believed, the victim's article would be "linked" to it.
    assert refresh_feed(copycat).new_articles == 1
    assert refresh_feed(victim).new_articles == 1
    assert set(Article.objects.values_list("title", flat=True)) == {"The original report", "A different report"}


def test_a_javascript_canonical_merges_nothing(web):
    items = []
    for n in range(3):
        page(web, f"/s{n}.html", f"Story number {n}", 10 + n, canonical="javascript:alert(1)")
        items.append({"title": f"Story number {n}", "link": web.url(f"/s{n}.html"), "guid": f"s{n}"})
    assert refresh_feed(feed_of(web, "/f.xml", items, "Scripted")).new_articles == 3
    assert not Article.objects.filter(canonical_url__startswith="javascript").exists()


def test_the_same_site_may_name_its_own_canonical():
    assert site_of("https://www.bbc.co.uk/news/1") == site_of("https://news.bbc.co.uk/2") == "bbc.co.uk"
    assert trusted_canonical("https://amp.example.com/a", "https://www.example.com/a") == "https://www.example.com/a"
    assert trusted_canonical("https://one.co.uk/a", "https://other.co.uk/a") == ""
    assert trusted_canonical("https://example.com/a", "data:text/html,x") == ""
