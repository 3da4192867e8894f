"""Worker fleets for tests and benchmarks: `cupure worker` processes against a database of their own,
loopback feeds to refresh, and private PostgreSQL and Redis servers to stop and restart.

Nothing here is pytest-specific: bench/ingestion_scaling.py uses it too.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

from .server import CUPURE, ROOT, free_port


def database_server_url() -> str:
    return os.environ.get("CUPURE_TEST_DATABASE_URL", "")


def redis_server_url() -> str:
    return os.environ.get("CUPURE_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def delayed(seconds: float):
    """A page wrapper for publish_feeds: each page answers after ``seconds``."""
    from .conftest import Response

    def wrap(html):
        def serve(handler):
            time.sleep(seconds)
            return Response(html)

        return serve

    return wrap


def reachable_postgres(url: str) -> str:
    """'' when ``url``'s server answers, else why not."""
    if not url:
        return "CUPURE_TEST_DATABASE_URL is not set (CI sets it to the machine's PostgreSQL)"
    try:
        with psycopg.connect(_libpq(url), connect_timeout=3):
            return ""
    except psycopg.Error as exc:
        return f"PostgreSQL at {url} does not answer: {exc}"


def reachable_redis(url: str) -> str:
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
        return ""
    except redis.RedisError as exc:
        return f"Redis at {url} does not answer: {exc}"


def _libpq(url: str) -> str:
    return url.replace("postgres://", "postgresql://", 1) if url.startswith("postgres://") else url


@contextmanager
def fresh_postgres_database(server_url: str):
    """A new, empty database on ``server_url``'s server, dropped afterwards; yields its URL."""
    name = f"cupure_fleet_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(_libpq(server_url), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    parts = urlsplit(server_url)
    url = urlunsplit(parts._replace(path=f"/{name}"))
    try:
        yield url
    finally:
        with psycopg.connect(_libpq(server_url), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def query(database_url: str, sql: str, *params):
    """Rows of one query against a fleet's database (the test reads what the workers wrote)."""
    with psycopg.connect(_libpq(database_url), connect_timeout=5) as conn:
        return conn.execute(sql, params).fetchall()


def scalar(database_url: str, sql: str, *params):
    return query(database_url, sql, *params)[0][0]


@dataclass
class Fleet:
    """A cupure installation without a web server: its environment, and the worker processes started."""

    env: dict
    logs: Path
    workers: list[subprocess.Popen] = field(default_factory=list)

    def cupure(self, *args: str, input: str | None = None) -> str:
        done = subprocess.run(
            CUPURE + list(args), env=self.env, cwd=ROOT, capture_output=True, text=True, input=input, timeout=300
        )
        if done.returncode:
            raise RuntimeError(f"cupure {' '.join(args)} failed: {done.stderr[-3000:]}")
        return done.stdout

    def start_worker(self, *args: str, **env: str) -> subprocess.Popen:
        """`cupure worker ARGS` in its own process group (so kill -9 can take it whole)."""
        n = len(self.workers)
        log = open(self.logs / f"worker-{n}.log", "ab")
        proc = subprocess.Popen(
            CUPURE + ["worker", *args],
            env={**self.env, **env},
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        self.workers.append(proc)
        return proc

    def log_text(self) -> str:
        return "\n".join(p.read_text(errors="replace") for p in sorted(self.logs.glob("worker-*.log")))

    def kill(self, proc: subprocess.Popen) -> None:
        """kill -9 the worker and every task runner it started, at once, as when a machine is lost."""
        for pid in [*descendants(proc.pid), proc.pid]:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        proc.wait(timeout=10)

    def stop_all(self) -> None:
        for proc in self.workers:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.workers:
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)

    def add_feeds(self, urls: list[str]) -> None:
        """Subscribe through an OPML file, as an operator moving a reading list in would."""
        outlines = "".join(f'<outline type="rss" text="Feed {i}" xmlUrl="{u}"/>' for i, u in enumerate(urls))
        opml = self.logs / f"feeds-{uuid.uuid4().hex[:6]}.opml"
        opml.write_text(f'<?xml version="1.0"?><opml version="2.0"><body>{outlines}</body></opml>')
        self.cupure("import-opml", str(opml))

    def wait_until(self, what: str, condition, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"timed out after {timeout:.0f} s waiting until {what}; worker logs end:\n"
                    + self.log_text()[-4000:]
                )
            for proc in self.workers:
                if proc.poll() is not None and proc.returncode not in (0, -9, -15):
                    raise AssertionError(f"a worker exited with {proc.returncode}:\n" + self.log_text()[-4000:])
            time.sleep(0.3)


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (Linux /proc), deepest first."""
    try:
        children = [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []
    return [d for c in children for d in descendants(c)] + children


@contextmanager
def fleet(tmp_path: Path, database_url: str, **settings: str):
    """Migrated on ``database_url``; every worker stopped at the end."""
    logs = tmp_path / "fleet"
    logs.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("CUPURE_")}
    env.update(
        {
            "CUPURE_DATA_DIR": str(tmp_path / "site"),
            "CUPURE_DATABASE_URL": database_url,
            "CUPURE_STARTER_SOURCES": "off",
            "CUPURE_ALLOW_PRIVATE_NETWORKS": "on",
            "CUPURE_SCHEDULER_INTERVAL": "0.5",
            "CUPURE_LOG_LEVEL": "INFO",
            **settings,
        }
    )
    f = Fleet(env, logs)
    f.cupure("migrate", "-v0")
    try:
        yield f
    finally:
        f.stop_all()


# Private servers, for the tests that stop and restart them (the machine's own are shared with the suite).


def _as_postgres_user() -> list[str]:
    """PostgreSQL refuses to run as root: as root, run its tools as the postgres user."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--"]
    return []


def postgres_bin() -> Path | None:
    for candidate in [shutil.which("pg_ctl"), *sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))]:
        if candidate:
            return Path(candidate).resolve().parent
    return None


@dataclass
class PrivatePostgres:
    bindir: Path
    datadir: Path
    port: int

    @property
    def url(self) -> str:
        user = "postgres" if os.geteuid() == 0 else os.environ.get("USER", "postgres")
        return f"postgres://{user}@127.0.0.1:{self.port}/postgres"

    def ctl(self, *args: str) -> None:
        subprocess.run(
            _as_postgres_user() + [str(self.bindir / "pg_ctl"), "-D", str(self.datadir), "-w", "-t", "60", *args],
            check=True,
            capture_output=True,
            timeout=90,
        )

    def restart(self) -> None:
        self.ctl(
            "restart",
            "-m",
            "fast",
            "-l",
            str(self.datadir / "server.log"),
            "-o",
            f"-p {self.port} -k {self.datadir} -c listen_addresses=127.0.0.1",
        )


@contextmanager
def private_postgres():
    """A throwaway PostgreSQL server on a free port, in a temporary directory."""
    bindir = postgres_bin()
    if bindir is None:
        raise FileNotFoundError("PostgreSQL's server programs (pg_ctl, initdb) are not installed")
    root = Path(tempfile.mkdtemp(prefix="cupure-pg-"))
    os.chmod(root, 0o777)  # the postgres user (when we are root) writes here
    datadir = root / "data"
    server = PrivatePostgres(bindir, datadir, free_port())
    try:
        subprocess.run(
            _as_postgres_user()
            + [
                str(bindir / "initdb"),
                "-D",
                str(datadir),
                "-A",
                "trust",
                "-U",
                "postgres" if os.geteuid() == 0 else os.environ.get("USER", "postgres"),
                "--no-sync",
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
        server.ctl(
            "start",
            "-l",
            str(datadir / "server.log"),
            "-o",
            f"-p {server.port} -k {datadir} -c listen_addresses=127.0.0.1 -c fsync=off",
        )
        yield server
    finally:
        if datadir.exists():
            subprocess.run(
                _as_postgres_user() + [str(bindir / "pg_ctl"), "-D", str(datadir), "-m", "immediate", "stop"],
                capture_output=True,
                timeout=60,
            )
        shutil.rmtree(root, ignore_errors=True)


@dataclass
class PrivateRedis:
    port: int
    proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while reachable_redis(self.url):
            if time.monotonic() > deadline:
                raise RuntimeError("redis-server did not start")
            time.sleep(0.1)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)


@contextmanager
def private_redis():
    """A throwaway redis-server on a free port, keeping nothing on disk."""
    server = PrivateRedis(free_port())
    server.start()
    try:
        yield server
    finally:
        server.stop()


WORDS = (
    "council plan residents school traffic budget river bridge minister court ruling election vote "
    "hospital doctors nurses strike union wages market shares bank rates inflation farmers harvest drought "
    "storm flood rescue police inquiry museum festival orchestra stadium league coach transfer season "
    "airport runway airline fuel prices energy wind solar grid reactor mayor district housing rents tenants "
    "teachers exams university students research vaccine trial patients ferry port harbour railway station "
    "tram line contract tender company profits workers factory exports tariffs summit treaty border"
).split()


def prose(rng, sentences: int) -> str:
    """Distinct text per article (shared boilerplate would make them near-duplicates of each other)."""
    return " ".join(
        " ".join(rng.choice(WORDS) for _ in range(rng.randint(9, 16))).capitalize() + "." for _ in range(sentences)
    )


def publish_feeds(site, feeds: int, per_feed: int, prefix: str = "", page=None, seed: int = 7) -> dict[str, list[str]]:
    """``feeds`` RSS feeds of ``per_feed`` articles each on the loopback ``site`` (tests.conftest.Site).
    Every tenth feed also carries the previous feed's first article, as wire copy runs in several
    outlets: cupure must store it once. ``page(html)`` may wrap each page (a callable route that is slow,
    say). Returns {feed URL: [its own article titles]}."""
    import random

    from .conftest import article_page, rss

    rng = random.Random(seed)
    out: dict[str, list[str]] = {}
    previous: list[dict] = []
    for f in range(feeds):
        items, titles = [], []
        for a in range(per_feed):
            title = f"{prefix}Feed {f} report {a}: {prose(rng, 1)[:60].rstrip('. ')}"
            path = f"/{prefix}p/{f}/{a}.html"
            body = article_page(title, [prose(rng, 3), prose(rng, 3)])
            site.add(path, page(body) if page else body)
            items.append({"title": title, "link": site.url(path), "guid": f"{prefix}{f}-{a}"})
            titles.append(title)
        if f % 10 == 9 and previous:
            items.append({"title": previous[0]["title"], "link": previous[0]["link"], "guid": f"{prefix}{f}-wire"})
        previous = items
        url = site.add(f"/{prefix}f/{f}.xml", rss(items, title=f"Feed {f}"), content_type="application/rss+xml")
        out[url] = titles
    return out
