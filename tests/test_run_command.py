"""`cupure run`, as `make run` starts it: migrates, serves with gunicorn and its worker, stops on SIGTERM."""

import os
import signal
import subprocess
import sys
import time
import urllib.request

import pytest

from .conftest import LOREM, ROOT, article_page, rss
from .server import free_port, live_site, sqlite_only

# Live sites serve SQLite whatever the pass: these run once, in the SQLite pass.
pytestmark = sqlite_only


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as r:
        return r.read().decode()


def test_run_serves_site_and_worker_fetches_feeds(tmp_path, web):
    web.add("/s.html", article_page("Worker fetched this", LOREM))
    web.add(
        "/feed.xml",
        rss([{"title": "Worker fetched this", "link": web.url("/s.html"), "guid": "1"}]),
        content_type="application/rss+xml",
    )
    (tmp_path / "feeds.opml").write_text(
        f'<opml version="2.0"><body><outline type="rss" text="Loopback" xmlUrl="{web.url("/feed.xml")}" '
        f'category="world"/></body></opml>'
    )
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("CUPURE_")},
        "CUPURE_DATA_DIR": str(tmp_path / "var"),
        "CUPURE_ALLOW_PRIVATE_NETWORKS": "1",
        "CUPURE_STARTER_SOURCES": "off",
        "CUPURE_PORT": str(port),
        "CUPURE_SCHEDULER_INTERVAL": "0.5",
        "CUPURE_WORKER_PROCESSES": "1",
        "CUPURE_WEB_WORKERS": "1",
    }
    cupure = [sys.executable, "-m", "cupure.cli"]
    subprocess.run(cupure + ["migrate", "-v0"], env=env, cwd=ROOT, check=True)
    subprocess.run(
        cupure + ["import-opml", str(tmp_path / "feeds.opml")], env=env, cwd=ROOT, check=True, capture_output=True
    )
    proc = subprocess.Popen(
        cupure + ["run"], env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        deadline = time.time() + 60
        home = ""
        while time.time() < deadline:
            try:
                home = get(f"http://127.0.0.1:{port}/")
                if "Worker fetched this" in home:
                    break
            except OSError:
                pass
            time.sleep(0.5)
        assert "Worker fetched this" in home, "the worker did not bring the article within 60 s"
        assert "Loopback" in get(f"http://127.0.0.1:{port}/sources/")
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
        log = proc.stdout.read().decode()
        assert "worker: stopped" in log and "Shutting down" in log
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    # Everything `cupure run` started shares its session: nothing of it may outlive SIGTERM.
    leftovers = subprocess.run(["pgrep", "-s", str(proc.pid)], capture_output=True, text=True).stdout.strip()
    assert not leftovers, f"processes left behind after SIGTERM: {leftovers}"


def test_a_worker_signalled_twice_lets_its_runners_finish_their_task(tmp_path, web):
    """SIGTERM to the whole group (a terminal's Ctrl+C, `timeout`) and from a parent arrive together: each
    task runner is still asked once, and finishes the refresh in hand instead of abandoning it."""
    import sqlite3

    from .fleet import delayed, fleet, publish_feeds

    published = publish_feeds(web, 1, 3, page=delayed(0.7))
    db = tmp_path / "site.sqlite3"
    with fleet(tmp_path, f"sqlite:///{db}") as f:
        f.add_feeds(list(published))
        worker = f.start_worker("--processes", "1")
        f.wait_until("the refresh is under way", lambda: any(p.startswith("/p/") for p in web.hits), timeout=60)
        os.killpg(worker.pid, signal.SIGTERM)
        time.sleep(0.5)  # apart, so that neither process sees the two as one
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=60) == 0
        log = f.log_text()
    assert "terminating current task" not in log and "worker: stopped" in log
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM news_article").fetchone()[0] == 3
        assert conn.execute("SELECT last_success_at IS NOT NULL FROM sources_feed").fetchone()[0] == 1


def test_two_sites_on_one_machine_share_no_gunicorn_socket(tmp_path):
    """gunicorn's control socket would be one per user (~/.gunicorn/gunicorn.ctl), shared by every cupure on
    the machine: `cupure serve` opens none, and two sites serve side by side."""
    home = tmp_path / "home"
    home.mkdir()
    with live_site(tmp_path / "a", HOME=str(home)) as a, live_site(tmp_path / "b", HOME=str(home)) as b:
        for site in (a, b):
            with urllib.request.urlopen(site.url + "/healthz", timeout=10) as r:
                assert r.status == 200
        assert not (home / ".gunicorn").exists()
        assert "Control server" not in a.log.read_text() + b.log.read_text()


@pytest.mark.parametrize("queue", ["database", "redis"])
def test_a_worker_stopped_during_a_slow_fetch_stops_within_seconds(tmp_path, web, queue):
    """A page that drips for over a minute is being fetched when the worker is told to stop: the fetch is given
    up within seconds instead of at its deadline, nothing is held against the feed, its lease is released,
    and the next worker refreshes it. On either queue: RQ runs the job in a forked process of its own."""
    import sqlite3

    from .conftest import Response
    from .fleet import fleet, publish_feeds, reachable_redis, redis_server_url

    settings = {"CUPURE_FETCH_DEADLINE": "120", "CUPURE_TASK_QUEUE": queue}
    if queue == "redis":
        import redis

        if why := reachable_redis(redis_server_url()):
            pytest.skip(why)
        redis.Redis.from_url(redis_server_url()).flushdb()
        settings["CUPURE_REDIS_URL"] = redis_server_url()
    publish_feeds(web, 1, 1, page=lambda html: Response(html, drip=0.2))
    db = tmp_path / "site.sqlite3"
    with fleet(tmp_path, f"sqlite:///{db}", **settings) as f:
        f.add_feeds([web.url(p) for p in web.routes if p.startswith("/f")])
        worker = f.start_worker("--processes", "1")
        f.wait_until("the slow page is being fetched", lambda: any(p.startswith("/p/") for p in web.hits), timeout=60)
        time.sleep(1)
        asked = time.monotonic()
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=60) == 0
        took = time.monotonic() - asked
        with sqlite3.connect(db) as conn:
            assert conn.execute("SELECT error_count, locked_until FROM sources_feed").fetchone() == (0, None)
            assert conn.execute("SELECT count(*) FROM news_article").fetchone()[0] == 0
        assert took < 15, f"the worker took {took:.0f} s to stop"
        assert "the worker is stopping" in f.log_text()

        for path, route in list(web.routes.items()):  # the publisher is fast again
            if path.startswith("/p/"):
                web.routes[path] = Response(route.body)
        f.start_worker("--processes", "1")
        f.wait_until("the next worker stores the article", lambda: _articles(db) == 1, timeout=60)


def _articles(db) -> int:
    import sqlite3

    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT count(*) FROM news_article").fetchone()[0]
