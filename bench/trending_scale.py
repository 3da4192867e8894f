"""Trending recomputation on a large site: 1,000,000 articles over 60 days, 8 topics each, on SQLite.

Builds the database with plain INSERTs (the ORM would take far longer to fill it), then times
cupure.news.topics.compute_bar, which reads the last 24 hours and the 7-day baseline of the candidates.

    .venv/bin/python bench/trending_scale.py [--articles 1000000]
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=1_000_000)
    ap.add_argument("--days", type=int, default=60)
    args = ap.parse_args()
    tmp = tempfile.mkdtemp()
    os.environ.update(CUPURE_DATA_DIR=tmp, CUPURE_LOG_LEVEL="WARNING", DJANGO_SETTINGS_MODULE="cupure.settings")
    import django

    from cupure.lib.datadir import data_dir, prepare

    prepare(data_dir())  # as the `cupure` command does: the data directory and its key
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    db = sqlite3.connect(Path(tmp) / "cupure.sqlite3")
    rng = random.Random(1)
    now = datetime.now(UTC)
    n_sources, n_topics, n_stories = 500, 50_000, 60_000
    start = time.perf_counter()
    db.executemany(
        "insert into sources_source (id, name, slug, site_url, key, created_at) values (?, ?, ?, '', '', ?)",
        [(i, f"S{i}", f"s{i}", now.isoformat()) for i in range(1, n_sources + 1)],
    )
    db.executemany(
        "insert into news_topic (id, key, name, slug, hidden, mentions, created_at) values (?, ?, ?, ?, 0, 0, ?)",
        [(i, f"t{i}", f"Topic {i}", f"t{i}", now.isoformat()) for i in range(1, n_topics + 1)],
    )
    db.executemany(
        "insert into news_story (id, headline, first_seen, last_updated, article_count, source_count) "
        "values (?, '', ?, ?, 0, 0)",
        [(i, now.isoformat(), now.isoformat()) for i in range(1, n_stories + 1)],
    )
    span = args.days * 86400
    arts, tags = [], []
    for i in range(1, args.articles + 1):
        when = now - timedelta(seconds=span * (1 - i / args.articles))
        story = 1 + int((i / args.articles) * (n_stories - 50)) + rng.randrange(50)  # stories move with time
        stamp = when.strftime("%Y-%m-%d %H:%M:%S.%f")  # how Django stores datetimes in SQLite (UTC)
        arts.append(
            (i, rng.randrange(1, n_sources + 1), f"https://x/{i}", f"https://x/{i}", f"Title {i}", stamp, story)
        )
        # Zipf-like topic popularity: a few common, a long tail.
        for t in {min(n_topics, int(rng.paretovariate(1.1))) for _ in range(8)}:
            tags.append((i, t, stamp, arts[-1][1]))
        if len(arts) == 50_000:
            flush(db, arts, tags)
    flush(db, arts, tags)
    db.commit()
    print(f"built {args.articles:,} articles and their topics in {time.perf_counter() - start:.0f} s")

    from cupure.news.topics import compute_bar

    timings = []
    for _ in range(3):
        t0 = time.perf_counter()
        bar = compute_bar()
        timings.append(time.perf_counter() - t0)
    print(
        f"trending recomputation (last 24 h against the 7 days before): best {min(timings):.2f} s, "
        f"runs {', '.join(f'{t:.2f}' for t in timings)} s; bar of {len(bar)} topics (target < 1 s)"
    )


def flush(db, arts, tags):
    db.executemany(
        "insert into news_article (id, source_id, url, canonical_url, title, published_at, story_id, "
        "fetched_at, author, language, site_name, image_url, summary, content_html, text, word_count, "
        "content_origin, content_hash, minhash, section_origin, topics_done) values (?, ?, ?, ?, ?, ?, ?, "
        "?, '', '', '', '', '', '', '', 0, 'page', '', x'', '', 1)",
        [a + (a[5],) for a in arts],
    )
    db.executemany(
        "insert into news_articletopic (article_id, topic_id, published_at, source_id) values (?, ?, ?, ?)", tags
    )
    arts.clear()
    tags.clear()


if __name__ == "__main__":
    main()
