"""Named readers, outlets and articles: the one place tests make them."""

from __future__ import annotations

import itertools
import re
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from cupure.accounts.models import Profile
from cupure.news.models import Article
from cupure.sources.models import Source

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
