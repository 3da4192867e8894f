"""Readers' own features on a 100,000-article site: the digest build for 1,000 readers, and a new mute.

- digest: 1,000 readers, each following 20 of 60 topics and 10 of the 50 sources and muting 30 words, all
  due a daily digest; ``send_due_digests`` builds and sends every email (Django's in-memory mail backend).
  Target: under 60 s, each reader's email built once.
- a new mute: a signed-in reader's home page, 200 views before and 200 after muting a word of the top
  story; the first view after the mute must already leave the story out. Target: p95 within 10%.

    .venv/bin/python bench/readers.py [--articles 100000] [--readers 1000]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--readers", type=int, default=1000)
    args = ap.parse_args()
    from api import big_site

    big_site(args.articles)
    from django.conf import settings

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.ALLOWED_HOSTS = ["testserver"]
    digest(args.readers)
    new_mute()


def digest(n_readers: int) -> None:
    from django.contrib.auth import get_user_model
    from django.core import mail

    from cupure.accounts.models import Profile
    from cupure.news.models import Article, ArticleTopic, Story, Topic
    from cupure.readers.digest import send_due_digests
    from cupure.readers.models import Follow, Mute
    from cupure.sources.models import Source

    rng = random.Random(11)
    recent = list(Article.objects.order_by("-published_at").values_list("id", "published_at", "source_id")[:5000])
    topics = []
    for n in range(60):
        topic = Topic.objects.create(key=f"digest topic {n}", name=f"Digest topic {n}", slug=f"digest-topic-{n}")
        ArticleTopic.objects.bulk_create(
            ArticleTopic(article_id=a, topic=topic, published_at=when, source_id=src)
            for a, when, src in rng.sample(recent, 100)
        )
        topics.append(topic)
    sources = list(Source.objects.all())
    headlines = Story.objects.values_list("headline", flat=True)[:600]
    words = sorted({w for h in headlines for w in h.lower().split() if w.isalpha() and len(w) > 5})
    User = get_user_model()
    users = User.objects.bulk_create(
        User(username=f"digest{n}", email=f"digest{n}@example.org", password="!") for n in range(n_readers)
    )
    Profile.objects.bulk_create(Profile(user=u, digest=Profile.Digest.DAILY) for u in users)
    follows, mutes = [], []
    for u in users:
        follows += [Follow(user=u, topic=t) for t in rng.sample(topics, 20)]
        follows += [Follow(user=u, source=s) for s in rng.sample(sources, 10)]
        mutes += [Mute(user=u, phrase=w) for w in rng.sample(words, 30)]
    Follow.objects.bulk_create(follows, batch_size=5000)
    Mute.objects.bulk_create(mutes, batch_size=5000)
    mail.outbox = []
    started = time.perf_counter()
    sent = send_due_digests()
    took = time.perf_counter() - started
    recipients = [m.to[0] for m in mail.outbox]
    assert len(recipients) == len(set(recipients)), "a reader got two digests"
    again = send_due_digests()
    print(
        f"digest: {n_readers:,} readers (20 topics, 10 sources, 30 mutes each): {sent:,} emails in {took:.1f} s "
        f"({took / max(1, sent) * 1000:.1f} ms each); a second run sends {again}; "
        f"target (< 60 s, once each): {'met' if took < 60 and again == 0 and sent == n_readers else 'NOT met'}"
    )


def new_mute(views: int = 200) -> None:
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.utils.html import escape
    from serving import engaged_reader

    from cupure.accounts.models import Profile
    from cupure.news.stories import top_stories
    from cupure.readers.models import Mute

    user = get_user_model().objects.create_user("muter", "muter@example.org", "a long enough password")
    Profile.objects.create(user=user)
    engaged_reader(user)
    client = Client()
    client.force_login(user)

    def p95() -> float:
        times = []
        for _ in range(views):
            t = time.perf_counter()
            client.get("/")
            times.append(time.perf_counter() - t)
        return statistics.quantiles(times, n=20)[-1] * 1000

    client.get("/")
    before = p95()
    home = client.get("/").content.decode()
    top = next(s for s in top_stories() if escape(s.headline) in home)  # the first the reader's mutes leave
    word = max((w for w in top.headline.split() if w.isalpha()), key=len)
    Mute.objects.create(user=user, phrase=word)
    t = time.perf_counter()
    first = client.get("/").content.decode()
    first_ms = (time.perf_counter() - t) * 1000
    honoured = escape(top.headline) not in first
    after = p95()
    change = after / before - 1
    print(
        f"new mute ('{word}') on {Mute.objects.filter(user=user).count()} mutes: the next view honours it: "
        f"{'yes' if honoured else 'NO'} ({first_ms:.1f} ms); home p95 {before:.2f} ms before, {after:.2f} ms after "
        f"({change:+.0%}); target (p95 within 10%): {'met' if honoured and change <= 0.10 else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
