"""Limits hold under concurrency: the check and the count are one step, so forty log-ins or thirty comments
sent at once get exactly the allowed number through, on SQLite (a real server, several processes) and on
PostgreSQL (threads against the test database)."""

import re
import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from django.db import connection
from django.test import Client

from cupure.comments.models import Comment

from .personas import PASSWORD, article, reader
from .server import live_site, sqlite_only

POOL = 8  # threads at once: the test thread holds one of the pool's 10 connections
WRONG = "Please enter a correct username and password"
THROTTLED = "Too many failed log-ins"

SEED = f"""
from django.contrib.auth import get_user_model
from django.utils import timezone
from cupure.accounts.models import Profile
from cupure.news.models import Article
from cupure.sources.models import Source
s = Source.objects.create(name="City Times", slug="city-times")
Article.objects.create(source=s, url="https://city.example/1", canonical_url="https://city.example/1",
                       title="Council approves the tram", text="The council voted.", published_at=timezone.now())
get_user_model().objects.create_user("ada", "ada@example.org", {PASSWORD!r})
get_user_model().objects.create_user("bo", "bo@example.org", {PASSWORD!r})
"""


def login_attempt(site, password: str) -> str:
    with httpx.Client(base_url=site.url, timeout=60, follow_redirects=False) as c:
        r = site.log_in(c, "ada", password)
        if r.status_code == 302:
            return "in"
        return "wrong" if WRONG in r.text else "throttled" if THROTTLED in r.text else f"other {r.status_code}"


@sqlite_only
def test_concurrent_logins_and_comments_get_exactly_the_limit(tmp_path):
    limits = {
        "CUPURE_LOGIN_ATTEMPTS": "5",
        "CUPURE_LOGIN_ATTEMPTS_PER_ADDRESS": "1000",
        "CUPURE_COMMENTS_PER_MINUTE": "5",
        "CUPURE_COMMENTS_PER_HOUR": "100",
        "CUPURE_COMMENTS_PER_ADDRESS_MINUTE": "1000",
        "CUPURE_COMMENTS_HOLD_FIRST": "0",
        "CUPURE_WEB_WORKERS": "3",
        "CUPURE_WEB_THREADS": "8",
    }
    with live_site(tmp_path, **limits) as site:
        site.manage(code=SEED)
        # Forty wrong passwords at once: five tries are evaluated, no more. (The right password is sent
        # after them, not among them: a success forgets the account's failures, so where it fell in the
        # race would decide how many wrong ones came after it.)
        with ThreadPoolExecutor(40) as pool:
            outcomes = list(pool.map(lambda p: login_attempt(site, p), ["wrong horse"] * 40))
        assert outcomes.count("wrong") == 5 and outcomes.count("throttled") == 35, outcomes
        # The account is locked now, even for the right password, as the message says.
        assert login_attempt(site, PASSWORD) == "throttled"

        # Thirty comments from one account at once, five a minute allowed: five stored.
        with site.signed_in("bo", timeout=60) as poster:
            page = poster.get("/article/1/").text
            nonces = re.findall(r'name="nonce" value="([0-9a-f]+)"', page)[:1]
            barrier = threading.Barrier(30, timeout=60)

            def post(n):
                barrier.wait()
                return poster.post(
                    "/comments/post/article/1/",
                    data={
                        "body": f"Comment number {n}",
                        "nonce": f"{nonces[0]}{n:02d}",
                        "csrfmiddlewaretoken": poster.cookies["csrftoken"],
                    },
                ).status_code

            with ThreadPoolExecutor(30) as pool:
                codes = list(pool.map(post, range(30)))
    assert codes.count(302) == 5 and codes.count(429) == 25, codes
    with sqlite3.connect(site.db) as db:
        assert db.execute("SELECT count(*) FROM comments_comment").fetchone()[0] == 5


@pytest.mark.django_db(transaction=True)
def test_concurrent_comments_on_postgresql_get_exactly_the_limit(settings):
    """Eight posts at once (the connection pool holds 10), three allowed a minute."""
    if connection.vendor != "postgresql":
        pytest.skip("threads against one in-memory SQLite database test nothing: the SQLite case is above")
    settings.COMMENTS_PER_MINUTE, settings.COMMENTS_HOLD_FIRST = 3, 0
    user, art = reader("bo"), article()
    barrier = threading.Barrier(POOL, timeout=60)

    def post(n):
        client = Client()
        client.force_login(user)
        nonce = re.search(r'name="nonce" value="([0-9a-f]+)"', client.get(art.get_absolute_url()).content.decode())[1]
        try:
            barrier.wait()
            return client.post(
                f"/comments/post/article/{art.pk}/", {"body": f"Comment {n}", "nonce": nonce}
            ).status_code
        finally:
            connection.close()

    with ThreadPoolExecutor(POOL) as pool:
        codes = list(pool.map(post, range(POOL)))
    assert codes.count(302) == 3 and codes.count(429) == POOL - 3, codes
    assert Comment.objects.count() == 3
