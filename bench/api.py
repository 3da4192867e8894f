"""Machines reading cupure: requests per second for /api/v1/articles (a page of 50) and the top-stories RSS
feed, on a database of 100,000 articles, under the site's own server setup (`cupure serve`: gunicorn,
CUPURE_WEB_WORKERS x CUPURE_WEB_THREADS), loaded by wrk from a second process.

The articles are the search benchmark's (UCI headlines with bodies from the extraction pages); the newest
3,000 form 600 stories of five articles from different sources, updated within the last day, so the
top-stories ranking has real work to do.

    .venv/bin/python bench/api.py [--articles 100000] [--connections 16] [--seconds 10]
"""

from __future__ import annotations

import json
import os
import random
import sys
import tempfile
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from loadtest import free_port, load_arguments, median_of_three, start, stop  # noqa: E402


def big_site(articles: int) -> tuple[Path, dict]:
    """A migrated SQLite site of ``articles`` articles (the search benchmark's) and 600 recent stories, set up
    in this process; returns its data folder and the environment for servers to run on it."""
    import search as search_bench  # bench/search.py: the corpus and the bulk loader

    if not search_bench.UCI.exists():
        sys.exit(f"skipped: the evaluation data is not at {search_bench.DATA}")
    tmp = Path(tempfile.mkdtemp())
    env = {k: v for k, v in os.environ.items() if not k.startswith("CUPURE_")}
    env.update(CUPURE_DATA_DIR=str(tmp), CUPURE_LOG_LEVEL="WARNING", CUPURE_STARTER_SOURCES="off")
    os.environ.update(env)
    os.environ.pop("CUPURE_DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "cupure.settings"
    import django

    from cupure.lib.datadir import data_dir, prepare

    prepare(data_dir())  # as the `cupure` command does: the data directory and its key
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    rows, sentences = search_bench.corpus()
    publishers = sorted({p for _, p, _ in rows})
    pub_id = {p: i + 1 for i, p in enumerate(publishers)}
    search_bench.build(connection, rows, sentences, publishers, pub_id, articles, random.Random(3))
    make_stories(connection, articles)
    return tmp, env


def main() -> None:
    args = load_arguments(16, articles=dict(type=int, default=100_000))
    tmp, env = big_site(args.articles)
    from django.conf import settings
    from django.db import connection

    connection.close()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = start(
        [sys.executable, "-m", "cupure.cli", "serve"],
        {**env, "CUPURE_PORT": str(port)},
        ROOT,
        tmp / "server.log",
        base + "/api/v1/sections",
    )
    try:
        page = urllib.request.urlopen(base + "/api/v1/articles?limit=50")
        etag = page.headers["ETag"]
        assert len(json.loads(page.read())["items"]) == 50
        feed = urllib.request.urlopen(base + "/feed/rss/").read()
        assert feed.count(b"<item>") >= 20, "the top-stories feed is nearly empty"
        runs = [
            ("/api/v1/articles?limit=50", "/api/v1/articles?limit=50", None),
            ("same, If-None-Match (304)", "/api/v1/articles?limit=50", {"If-None-Match": etag}),
            ("/feed/rss/ (top stories)", "/feed/rss/", None),
        ]
        results = [
            (name, *median_of_three(base + path, args.connections, args.seconds, headers))
            for name, path, headers in runs
        ]
    finally:
        stop(proc)
    print(
        f"{args.articles:,} articles on SQLite; gunicorn gthread {settings.WEB_WORKERS} workers x "
        f"{settings.WEB_THREADS} threads; wrk -t2 -c{args.connections} -d{args.seconds}s, median of 3 runs"
    )
    print(f"{'':32}{'req/s':>9}{'p99 ms':>9}  responses     (req/s of the three runs)")
    for name, (rps, p99, status), all_rps in results:
        print(f"{name:32}{rps:9.0f}{p99:9.1f}  {status}  ({', '.join(f'{r:.0f}' for r in all_rps)})")


def make_stories(connection, n: int) -> None:
    """The newest 3,000 articles as 600 stories of five, from five different sources, updated in the last day."""
    now = datetime.now(UTC)
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cur:
        for k in range(600):
            ids = list(range(n - 5 * k - 4, n - 5 * k + 1))
            when = adapt(now - timedelta(minutes=2 * k))
            cur.execute(
                "INSERT INTO news_story (id, headline, lead_id, section_id, first_seen, last_updated, "
                "article_count, source_count, comment_count, terms) SELECT %s, title, id, section_id, %s, %s, 5, 5, 0, "
                "'{}' "
                "FROM news_article WHERE id = %s",
                [k + 1, when, when, ids[-1]],
            )
            cur.execute(
                f"UPDATE news_article SET story_id = %s, published_at = %s WHERE id IN ({', '.join(['%s'] * 5)})",
                [k + 1, when] + ids,
            )
            cur.execute(f"UPDATE news_article SET source_id = 1 + (id % 50) WHERE id IN ({', '.join(['%s'] * 5)})", ids)


if __name__ == "__main__":
    main()
