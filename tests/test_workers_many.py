"""Four worker processes share 100 due feeds, on PostgreSQL with the database queue and then with Redis:
every feed is fetched exactly once, every article is stored exactly once, nothing is lost.

Two of the four run the scheduler too, so two schedulers race for every due feed.
"""

from __future__ import annotations

import pytest

from .fleet import fleet, publish_feeds, query, reachable_redis, redis_server_url, scalar
from .server import sqlite_only

FEEDS = 100
PER_FEED = 2

pytestmark = sqlite_only  # the fleets make PostgreSQL databases of their own


def _refresh_everything(tmp_path, web, database_url: str, **settings: str):
    published = publish_feeds(web, FEEDS, PER_FEED)
    with fleet(tmp_path, database_url, **settings) as f:
        f.add_feeds(list(published))
        for n in range(4):
            f.start_worker("--processes", "1", *(() if n < 2 else ("--no-scheduler",)))
        f.wait_until(
            "every feed is refreshed",
            lambda: (
                scalar(database_url, "SELECT count(*) FROM sources_feed WHERE last_success_at IS NOT NULL") == FEEDS
            ),
            timeout=240,
        )
        f.stop_all()
        log = f.log_text()

    # Each due feed fetched exactly once; each page once, except a wire story that two workers found in
    # two feeds at the same moment (both fetch it; one stores it, the other links to it).
    feed_hits = {url: web.hits.get(url.split(str(web.port), 1)[1], 0) for url in published}
    assert sorted(set(feed_hits.values())) == [1], {u: n for u, n in feed_hits.items() if n != 1}
    page_hits = {p: n for p, n in web.hits.items() if p.startswith("/p/")}
    wire = {f"/p/{f - 1}/0.html" for f in range(9, FEEDS, 10)}
    assert len(page_hits) == FEEDS * PER_FEED
    assert {p: n for p, n in page_hits.items() if n != 1 and p not in wire} == {}

    # Every article stored once, whole: nothing lost, no copy of the wire story.
    titles = [t for ts in published.values() for t in ts]
    rows = query(database_url, "SELECT title, canonical_url, length(text) FROM news_article")
    assert sorted(r[0] for r in rows) == sorted(titles)
    assert len({r[1] for r in rows}) == len(rows)
    assert min(r[2] for r in rows) > 100
    assert scalar(database_url, "SELECT count(*) FROM sources_feed WHERE error_count > 0") == 0
    # The wire copy in every tenth feed points at the article the other feed stored.
    linked = scalar(
        database_url, "SELECT count(*) FROM sources_feedentry WHERE key LIKE %s AND article_id IS NOT NULL", "%-wire"
    )
    assert linked == FEEDS // 10
    assert "Traceback" not in log, log[-3000:]
    return log


def test_four_workers_on_the_database_queue(tmp_path, web, fleet_database):
    _refresh_everything(tmp_path, web, fleet_database, CUPURE_TASK_QUEUE="database")
    done = query(fleet_database, "SELECT status, count(*) FROM django_tasks_database_dbtaskresult GROUP BY status")
    assert dict(done) == {"SUCCESSFUL": FEEDS}


def test_four_workers_on_redis(tmp_path, web, fleet_database):
    import redis

    url = redis_server_url()
    why = reachable_redis(url)
    if why:
        pytest.skip(why)
    redis.Redis.from_url(url).flushdb()
    log = _refresh_everything(tmp_path, web, fleet_database, CUPURE_REDIS_URL=url)
    # The work went through Redis: no task rows in the database, RQ's workers ran the jobs.
    assert scalar(fleet_database, "SELECT count(*) FROM django_tasks_database_dbtaskresult") == 0
    assert "default: cupure.sources.tasks.refresh_feed_task" in log or "Job OK" in log
