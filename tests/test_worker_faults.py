"""Workers under faults: killed with -9 mid-refresh, PostgreSQL restarted under load, Redis stopped.

Each test runs real `cupure worker` processes against a PostgreSQL database of its own (the restart test
against a private PostgreSQL server it starts, the Redis test against a private redis-server), and
checks what a reader or an operator would: every article stored exactly once and whole, the work retried,
the workers still running, and clear messages while something is down.
"""

from __future__ import annotations

import shutil
import subprocess
import urllib.request

import psycopg
import pytest

from .fleet import (
    delayed,
    fleet,
    postgres_bin,
    private_postgres,
    private_redis,
    publish_feeds,
    query,
    reachable_redis,
    redis_server_url,
    scalar,
)
from .server import CUPURE, ROOT, live_site, sqlite_only

pytestmark = sqlite_only  # the fleets make PostgreSQL databases of their own


def _refreshed(db: str) -> int:
    return scalar(db, "SELECT count(*) FROM sources_feed WHERE last_success_at IS NOT NULL")


def _articles(db: str) -> int:
    return scalar(db, "SELECT count(*) FROM news_article")


def _assert_stored_once_and_whole(db: str, published: dict[str, list[str]]) -> None:
    rows = query(
        db,
        "SELECT a.title, a.canonical_url, length(a.text), "
        "(SELECT count(*) FROM sources_feedentry e WHERE e.article_id = a.id) FROM news_article a",
    )
    assert sorted(r[0] for r in rows) == sorted(t for ts in published.values() for t in ts)
    assert len({r[1] for r in rows}) == len(rows)
    # Whole: the text is there and the feed remembers the entry (both written in one transaction).
    assert all(r[2] > 100 and r[3] >= 1 for r in rows), [r for r in rows if r[2] <= 100 or r[3] < 1]


@pytest.mark.parametrize("queue", ["database", "redis"])
def test_a_worker_killed_mid_refresh_is_retried_without_half_written_articles(tmp_path, web, fleet_database, queue):
    settings = {
        "CUPURE_TASK_QUEUE": queue,
        "CUPURE_FEED_LEASE_SECONDS": "3",
        "CUPURE_FETCH_DEADLINE": "2",
        "CUPURE_FETCH_THREADS": "1",
    }
    if queue == "redis":
        import redis

        why = reachable_redis(redis_server_url())
        if why:
            pytest.skip(why)
        redis.Redis.from_url(redis_server_url()).flushdb()
        settings["CUPURE_REDIS_URL"] = redis_server_url()
    published = publish_feeds(web, 1, 10, page=delayed(0.4))
    with fleet(tmp_path, fleet_database, **settings) as f:
        f.add_feeds(list(published))
        first = f.start_worker("--processes", "1")
        f.wait_until("three articles are stored", lambda: _articles(fleet_database) >= 3, timeout=60)
        f.kill(first)
        stored_before = {r[0] for r in query(fleet_database, "SELECT url FROM news_article")}
        assert 3 <= len(stored_before) < 10, "the kill must land mid-refresh"
        # Nothing half-written: what is there is whole.
        rows = query(
            fleet_database,
            "SELECT length(text), (SELECT count(*) FROM sources_feedentry e "
            "WHERE e.article_id = news_article.id) FROM news_article",
        )
        assert all(n > 100 and entries == 1 for n, entries in rows)

        f.start_worker("--processes", "1")
        f.wait_until("the feed is refreshed again", lambda: _refreshed(fleet_database) == 1, timeout=90)

    _assert_stored_once_and_whole(fleet_database, published)
    feed_path = next(iter(published)).split(str(web.port), 1)[1]
    assert web.hits[feed_path] == 2  # the killed refresh, then its retry
    # Pages stored before the kill are not fetched again.
    for url in stored_before:
        assert web.hits[url.split(str(web.port), 1)[1]] == 1
    assert scalar(fleet_database, "SELECT error_count FROM sources_feed") == 0


@pytest.fixture
def pg_server():
    """A private PostgreSQL server, for a test to restart; skipped where PostgreSQL's programs are absent."""
    if postgres_bin() is None:
        pytest.skip("PostgreSQL's server programs (initdb, pg_ctl) are not installed")
    with private_postgres() as pg:
        yield pg


def test_workers_reconnect_when_postgresql_restarts_under_load(tmp_path, web, pg_server):
    with psycopg.connect(pg_server.url.replace("postgres://", "postgresql://"), autocommit=True) as conn:
        conn.execute("CREATE DATABASE cupure")
    db = pg_server.url.rsplit("/", 1)[0] + "/cupure"
    published = publish_feeds(web, 80, 2, page=delayed(0.1))
    with fleet(tmp_path, db, CUPURE_FEED_LEASE_SECONDS="4", CUPURE_FETCH_DEADLINE="3") as f:
        f.add_feeds(list(published))
        workers = [f.start_worker("--processes", "2"), f.start_worker("--processes", "2", "--no-scheduler")]
        f.wait_until("a quarter of the feeds are refreshed", lambda: _refreshed(db) >= 20, timeout=90)
        pg_server.restart()
        restarted = scalar(db, "SELECT now()")
        assert _refreshed(db) < 80, "the restart must land under load"
        # Alone this takes about a minute; CI runs it beside the PostgreSQL pass on two cores that slow down to
        # a third at times (one run timed out at 180 s while still refreshing feeds after the restart).
        f.wait_until("every feed is refreshed", lambda: _refreshed(db) == 80, timeout=360)
        # Both workers came back: their heartbeats are newer than the restart.
        f.wait_until(
            "both workers beat again",
            lambda: scalar(db, "SELECT count(*) FROM ops_workerbeat WHERE last_seen > %s", restarted) == 2,
            timeout=30,
        )
        assert all(w.poll() is None for w in workers), "a worker died with the database"
        log = f.log_text()
    _assert_stored_once_and_whole(db, published)
    assert scalar(db, "SELECT count(*) FROM sources_feed WHERE error_count > 0") == 0
    # Feeds that were not being refreshed at the moment of the restart were fetched once.
    hits = sorted(web.hits.get(u.split(str(web.port), 1)[1], 0) for u in published)
    assert hits[0] == 1 and hits[-1] <= 2 and hits.count(2) <= 4, hits
    # The restart was felt and said plainly in the logs.
    assert "task runner lost the database" in log, log[-3000:]


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


@pytest.fixture
def redis_server():
    """A private redis-server, for a test to stop and start; skipped where it is not installed."""
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    with private_redis() as server:
        yield server


def test_redis_stopped_then_back(tmp_path, web, fleet_database, redis_server):
    settings = {
        "CUPURE_DATABASE_URL": fleet_database,
        "CUPURE_REDIS_URL": redis_server.url,
        "CUPURE_ALLOW_PRIVATE_NETWORKS": "on",
    }
    first = publish_feeds(web, 10, 1, prefix="a")
    later = publish_feeds(web, 10, 1, prefix="b")
    with live_site(tmp_path / "web", **settings) as site, fleet(tmp_path, fleet_database, **settings) as f:
        f.add_feeds(list(first))
        f.start_worker("--processes", "2")
        f.wait_until("the first feeds are refreshed", lambda: _refreshed(fleet_database) == 10, timeout=60)
        assert _get(site.url + "/")[0] == 200

        redis_server.stop()
        f.add_feeds(list(later))
        f.wait_until(
            "the scheduler reports the queue down", lambda: "task queue unreachable" in f.log_text(), timeout=30
        )
        line = next(ln for ln in f.log_text().splitlines() if "task queue unreachable" in ln)
        assert f"url=127.0.0.1:{redis_server.port}" in line.replace("redis://", "")
        # Readers are still served, from the database; the operator is told what is wrong.
        status, page = _get(site.url + "/")
        assert status == 200 and "Feed" in page
        assert _get(site.url + "/readyz")[0] == 200
        doctor = subprocess.run(CUPURE + ["doctor"], env=f.env, cwd=ROOT, capture_output=True, text=True)
        assert "task queue is unreachable" in doctor.stdout + doctor.stderr
        # Nothing is lost meanwhile: the new feeds wait, unclaimed.
        assert _refreshed(fleet_database) == 10
        assert scalar(fleet_database, "SELECT count(*) FROM sources_feed WHERE locked_until IS NOT NULL") == 0

        redis_server.start()
        f.wait_until("the waiting feeds are refreshed", lambda: _refreshed(fleet_database) == 20, timeout=120)
        assert _get(site.url + "/")[0] == 200
    _assert_stored_once_and_whole(fleet_database, {**first, **later})
