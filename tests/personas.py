"""Named readers, outlets and articles: the one place tests make them."""

from __future__ import annotations

import itertools
import re
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from cupure.accounts.models import Profile
from cupure.news.models import Article
from cupure.sources.models import Feed, Source

PASSWORD = "correct horse battery staple"


def reader(username: str, *, staff: bool = False, notify: bool = False):
    user = get_user_model().objects.create_user(username, f"{username}@example.org", PASSWORD, is_staff=staff)
    Profile.objects.create(user=user, notify_replies=notify)
    return user


_serial = itertools.count(1)


def outlet(name: str, **fields) -> Source:
    """The source called ``name`` ("Daily Planet": slug daily-planet), made on first use."""
    slug = fields.pop("slug", None) or name.lower().replace(" ", "-")
    return Source.objects.get_or_create(slug=slug, defaults={"name": name, **fields})[0]


def outlets(n: int, paused: int | None = None) -> None:
    """An operator's fleet: ``n`` sources of one feed each ("Outlet 0042", https://outlet42.example/feed.xml),
    every tenth in error (the 7th, 17th, ...: three failed polls, "HTTP 503"), the ``paused``-th paused."""
    width = max(4, len(str(n - 1)))
    sources = Source.objects.bulk_create(
        Source(name=f"Outlet {i:0{width}d}", slug=f"outlet-{i:0{width}d}") for i in range(n)
    )
    Feed.objects.bulk_create(
        (
            Feed(
                source=s,
                url=f"https://outlet{i}.example/feed.xml",
                error_count=3 if i % 10 == 7 else 0,
                last_error="HTTP 503" if i % 10 == 7 else "",
                active=i != paused,
            )
            for i, s in enumerate(sources)
        ),
        batch_size=2000,
    )


def publish(source: Source, title: str, text: str = "", *, at: datetime | None = None, **fields) -> Article:
    """An article of ``source`` published ``at`` (now by default), at a URL of its own unless ``url`` is given."""
    url = fields.pop("url", None) or f"https://{source.slug}.example/{next(_serial)}"
    return Article.objects.create(
        source=source, url=url, canonical_url=url, title=title, text=text, published_at=at or timezone.now(), **fields
    )


def article(title: str = "Council approves the new tram line", minutes_ago: int = 30) -> Article:
    return publish(
        outlet("City Times", slug="city-times"),
        title,
        "The council voted 31 to 9 for the tram.",
        at=timezone.now() - timedelta(minutes=minutes_ago),
    )


def nonce_of(html: str) -> str:
    return re.search(r'name="nonce" value="([0-9a-f]+)"', html).group(1)


def say(client, art, body: str, parent=None, **extra):
    """Post a comment as the client's reader, the way the page's form does."""
    page = client.get(art.get_absolute_url()).content.decode()
    data = {"body": body, "nonce": nonce_of(page), "website": "", **extra}
    if parent is not None:
        data["parent"] = parent.pk
    kind = art._meta.model_name
    return client.post(f"/comments/post/{kind}/{art.pk}/", data)


def news_day():
    """Two events covered by several outlets, and a lone crypto report, each assigned to its story and
    tagged with topics as the worker does. Returns the outlets by name and the stories by event."""
    from cupure.news.models import Section
    from cupure.news.stories import assign_stories
    from cupure.news.topics import tag_topics

    from .headlines import EVENT_A, EVENT_B

    world = Section.objects.get_or_create(slug="world", defaults={"name": "World news"})[0]
    names = ("Daily Planet", "Gotham Gazette", "Metropolis Post", "Star City Sun")
    outlets = {n: outlet(n) for n in names}
    events = (
        (names, EVENT_A, "Ankara said the ban would stay.", "officials", 90, world),
        (names[1:], EVENT_B, "Bob Geldof asked for privacy.", "family", 80, None),
    )
    for who, titles, detail, said, start, sec in events:
        for i, (name, title) in enumerate(zip(who, titles)):
            at = timezone.now() - timedelta(minutes=start - 10 * i)
            text, summary = f"{title}. {detail}", f"{title}, {said} said."
            publish(outlets[name], title, text, summary=summary, at=at, section=sec, word_count=300)
    publish(outlets["Daily Planet"], "Crypto exchange halts withdrawals", "Bitcoin fell.", summary="Bitcoin fell 9%.")
    assign_stories()
    while tag_topics():
        pass
    stories = {}
    for key, titles in (("turkey", EVENT_A), ("geldof", EVENT_B)):
        stories[key] = Article.objects.get(title=titles[0]).story
    return outlets, stories


TRENDING = ["Peaches Geldof", "Turkey", "Twitter", "Recep Tayyip Erdogan", "Bob Geldof", "Ankara", "Bitcoin",
            "European Union", "Kim Kardashian", "Apple Beats"]  # fmt: skip


def trending_day():
    """news_day() with a reader "ana", an article with paragraphs and a full trending bar of ten topics (what
    the browser tests look at)."""
    import json

    from cupure.news.models import JobState, Topic

    news_day()
    reader("ana")
    Article.objects.filter(pk=1).update(content_html="<p>Ankara blocked the service on Thursday night.</p><p>More.</p>")
    bar = []
    for name in TRENDING:
        slug = "t-" + name.lower().replace(" ", "-")
        topic, _ = Topic.objects.get_or_create(key="bar " + name.lower(), defaults={"name": name, "slug": slug})
        bar.append({"name": name, "slug": topic.slug, "why": "31 sources in 24 h, up from 2 a day"})
    JobState.objects.update_or_create(name="trending", defaults={"state": json.dumps(bar).encode()})
