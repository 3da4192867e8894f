"""Ingestion scaling on PostgreSQL: the same feeds refreshed by 1, 2 and 4 worker processes.

Each run gets a fresh PostgreSQL database, subscribes to 40 loopback feeds of 25 entries whose pages are
the real news pages of the extraction benchmark, starts N `cupure worker --processes 1` (the first with the
scheduler, as on N machines), and measures entries fetched, extracted and stored per second from the
first poll to the last entry processed. Also prints the CPU time the workers used, to explain the curve.

    .venv/bin/python bench/ingestion_scaling.py [--database-url postgres://...] [--workers 1,2,4] [--queue database]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from ingestion import AEB, build_site, serve  # noqa: E402

from tests.fleet import (  # noqa: E402
    descendants,
    fleet,
    fresh_postgres_database,
    reachable_postgres,
    reachable_redis,
    scalar,
)


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of live processes and of the children they have reaped (RQ's per-job
    processes), from /proc (Linux)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += sum(int(v) for v in fields[11:15]) / tick  # utime, stime, cutime, cstime
        except (OSError, IndexError):
            pass
    return total


def one_run(server_url: str, workers: int, feeds: int, entries: int, base: str, queue: str, redis_url: str) -> dict:
    total = feeds * entries
    settings = {"CUPURE_TASK_QUEUE": queue, "CUPURE_LOG_LEVEL": "WARNING"}
    if queue == "redis":
        import redis

        redis.Redis.from_url(redis_url).flushdb()
        settings["CUPURE_REDIS_URL"] = redis_url
    with (
        tempfile.TemporaryDirectory() as tmp,
        fresh_postgres_database(server_url) as db,
        fleet(Path(tmp), db, **settings) as f,
    ):
        f.add_feeds([f"{base}/feed/{n}.xml" for n in range(feeds)])
        start = time.perf_counter()
        procs = [f.start_worker("--processes", "1", *(() if n == 0 else ("--no-scheduler",))) for n in range(workers)]
        processed = 0
        cpu = 0.0
        while time.perf_counter() - start < 900:
            processed = scalar(db, "SELECT count(*) FROM sources_feedentry")
            # Sampled while they run (a process's CPU time is gone once it exits).
            cpu = cpu_seconds([p for w in procs for p in [w.pid, *descendants(w.pid)]])
            if processed >= total:
                break
            time.sleep(0.1)
        elapsed = time.perf_counter() - start
        stored = scalar(db, "SELECT count(*) FROM news_article")
        errors = scalar(db, "SELECT count(*) FROM sources_feed WHERE error_count > 0")
    return {
        "workers": workers,
        "processed": processed,
        "total": total,
        "stored": stored,
        "errors": errors,
        "seconds": elapsed,
        "rate": processed / elapsed,
        "cpu": cpu,
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument(
        "--database-url", default=os.environ.get("CUPURE_TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test")
    )
    ap.add_argument("--workers", default="1,2,4")
    ap.add_argument("--feeds", type=int, default=40)
    ap.add_argument("--entries", type=int, default=25)
    ap.add_argument("--queue", choices=["database", "redis"], default="database")
    ap.add_argument("--redis-url", default=os.environ.get("CUPURE_TEST_REDIS_URL", "redis://127.0.0.1:6379/15"))
    args = ap.parse_args()
    if not (AEB / "ground-truth.json").exists():
        raise SystemExit(f"skipped: no benchmark data at {AEB}")
    why = reachable_postgres(args.database_url) or (args.queue == "redis" and reachable_redis(args.redis_url))
    if why:
        raise SystemExit(f"skipped: {why}")
    routes, _ = build_site(args.feeds, args.entries)
    server = serve(routes)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    print(
        f"{args.feeds} feeds x {args.entries} entries on PostgreSQL, {args.queue} queue, "
        f"{os.cpu_count()} cores; each worker is `cupure worker --processes 1`"
    )
    print(f"{'workers':>7} {'entries/s':>10} {'seconds':>8} {'worker CPU s':>12} {'CPU use':>8}  stored  errors")
    first = None
    for n in [int(w) for w in args.workers.split(",")]:
        r = one_run(args.database_url, n, args.feeds, args.entries, base, args.queue, args.redis_url)
        first = first or r["rate"]
        print(
            f"{n:>7} {r['rate']:>10.1f} {r['seconds']:>8.1f} {r['cpu']:>12.1f} "
            f"{r['cpu'] / r['seconds'] / (os.cpu_count() or 1):>7.0%}  {r['stored']:>6} {r['errors']:>7}"
            f"   ({r['rate'] / first:.2f}x the 1-worker rate; {r['processed']}/{r['total']} processed)"
        )
        sys.stdout.flush()
    server.shutdown()


if __name__ == "__main__":
    main()
