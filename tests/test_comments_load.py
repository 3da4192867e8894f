"""No lost comments: 50 readers posting at once to a real server on SQLite for 20 seconds.

Every comment the site accepts (a redirect to it) is stored; no request fails with a 500; the server
never logs "database is locked". 50 posters contend for SQLite's one writer from the first second (some 400
posts here); CUPURE_LOAD_SECONDS sets a longer run.
"""

import os
import re
import sqlite3
import threading
import time

import httpx

from .personas import PASSWORD
from .server import live_site, sqlite_only

POSTERS = 50
SECONDS = float(os.environ.get("CUPURE_LOAD_SECONDS", "20"))

SEED = f"""
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone
from cupure.news.models import Article
from cupure.sources.models import Source
s = Source.objects.create(name="City Times", slug="city-times")
Article.objects.create(source=s, url="https://city.example/1", canonical_url="https://city.example/1",
                       title="Council approves the tram", text="The council voted.", published_at=timezone.now())
hashed = make_password({PASSWORD!r})
get_user_model().objects.bulk_create([get_user_model()(username=f"p{{i}}", email=f"p{{i}}@example.org",
                                      password=hashed) for i in range({POSTERS})])
"""


def poster(site, name: str, until: float, accepted: list, failures: list):
    with httpx.Client(base_url=site.url, timeout=30, follow_redirects=False) as c:
        r = site.log_in(c, name)
        if r.status_code != 302:
            failures.append((name, "login", r.status_code))
            return
        n = 0
        while time.monotonic() < until:
            page = c.get("/article/1/")
            if page.status_code != 200:
                failures.append((name, "read", page.status_code))
                continue
            nonce = re.search(r'name="nonce" value="([0-9a-f]+)"', page.text).group(1)
            body = f"{name} says {n}"
            r = c.post(
                "/comments/post/article/1/",
                data={"body": body, "nonce": nonce, "csrfmiddlewaretoken": c.cookies["csrftoken"]},
            )
            if r.status_code == 302 and "#c" in r.headers["location"]:
                accepted.append((body, int(r.headers["location"].rsplit("#c", 1)[1])))
            elif r.status_code >= 500 or r.status_code not in (400, 429):
                failures.append((name, "post", r.status_code))
            n += 1


@sqlite_only
def test_fifty_concurrent_posters_lose_nothing(tmp_path):
    limits = {
        "CUPURE_COMMENTS_PER_MINUTE": "1000",
        "CUPURE_COMMENTS_PER_HOUR": "100000",
        "CUPURE_COMMENTS_PER_ADDRESS_MINUTE": "100000",
    }
    with live_site(tmp_path, **limits) as site:
        site.manage(code=SEED)
        accepted, failures = [], []
        until = time.monotonic() + SECONDS
        threads = [
            threading.Thread(target=poster, args=(site, f"p{i}", until, accepted, failures)) for i in range(POSTERS)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    log = site.log.read_text()
    assert not failures, failures[:10]
    assert "database is locked" not in log and "Traceback" not in log
    with sqlite3.connect(site.db) as db:
        stored = dict(db.execute("SELECT id, body FROM comments_comment").fetchall())
        count = db.execute("SELECT comment_count FROM news_article WHERE id = 1").fetchone()[0]
    assert len(accepted) >= POSTERS, "too few comments were posted to test anything"
    assert all(stored.get(cid) == body for body, cid in accepted)
    assert len(stored) == len(accepted) == count
    print(f"{len(accepted)} comments from {POSTERS} posters in {SECONDS:.0f} s, all stored")
