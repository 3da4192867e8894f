"""Named readers for the accounts and comments tests, and an article to talk about."""
from __future__ import annotations

import re
from datetime import timedelta

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


def article(title: str = "Council approves the new tram line", minutes_ago: int = 30) -> Article:
    src = Source.objects.get_or_create(slug="city-times", defaults={"name": "City Times"})[0]
    n = Article.objects.count() + 1
    return Article.objects.create(source=src, url=f"https://city.example/{n}", canonical_url=f"https://city.example/{n}",
                                  title=title, text="The council voted 31 to 9 for the tram.",
                                  published_at=timezone.now() - timedelta(minutes=minutes_ago))


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
