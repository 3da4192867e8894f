"""`cupure migrate-to` speed: a SQLite site of N articles, every one in a story, copied into PostgreSQL.

Prints the whole command's time and rows per second. Uses a scratch database on the server given
(default: CUPURE_TEST_DATABASE_URL's), dropped afterwards.

    .venv/bin/python bench/migrate.py [--articles 20000] [--database-url postgres://...]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from api import big_site  # noqa: E402

from tests.fleet import fresh_postgres_database, reachable_postgres  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=20000)
    ap.add_argument(
        "--database-url", default=os.environ.get("CUPURE_TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test")
    )
    args = ap.parse_args()
    why = reachable_postgres(args.database_url)
    if why:
        raise SystemExit(f"skipped: {why}")
    folder, env = big_site(args.articles)
    from django.db import connection

    with connection.cursor() as cur:  # every article in a story: the optional references migrate-to defers
        cur.execute("UPDATE news_article SET story_id = 1 + (id % 600)")
        cur.execute("SELECT (SELECT count(*) FROM news_article) + (SELECT count(*) FROM news_story)")
        rows = cur.fetchone()[0]
    connection.close()
    with fresh_postgres_database(args.database_url) as url:
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "cupure.cli", "migrate-to", url], env=env, cwd=ROOT, capture_output=True, text=True
        )
        elapsed = time.perf_counter() - started
    if done.returncode:
        raise SystemExit(done.stderr[-3000:])
    print(
        f"migrate-to: {args.articles:,} articles and 600 stories ({rows:,} rows with deferred references) "
        f"copied and verified in {elapsed:.1f} s = {args.articles / elapsed:,.0f} articles/s"
    )
    print(done.stdout.strip().splitlines()[-2])


if __name__ == "__main__":
    main()
