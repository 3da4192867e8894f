"""Search over a large archive: index build time, database size and query latency through cupure's search.

The corpus: the UCI News Aggregator headlines (266,665; sections from their categories, sources from their
publishers), repeated until --articles, each with a body of six sentences drawn from the extraction
benchmark's article texts. Articles are inserted with plain INSERTs in batches (the ORM would be slow to
fill a million rows), so the index is built by the same triggers that index the site's articles.

Queries: 1,000 of 1-3 words taken in order from random headlines (words of three letters or more that are
not among the commonest English words, as readers type them), half with one filter (section, source or
since). Each is timed through cupure.search.engine.search, which ranks, counts, facets, loads and highlights
the first page: everything the search page needs.

    .venv/bin/python bench/search.py [--articles 1000000] [--engine sqlite|postgres] [--keep DIR]

PostgreSQL: --engine postgres uses CUPURE_BENCH_POSTGRES (default postgres://postgres@127.0.0.1:5432/test)
to create a scratch database cupure_bench_search, dropped at the end.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import re
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data"
UCI = DATA / "clustering" / "uci-news-aggregator-dev.tsv.gz"
AEB = DATA / "extraction" / "aeb" / "ground-truth.json"
SECTIONS = {"b": 3, "t": 4, "e": 8, "m": 6}  # news_section ids of business, technology, entertainment, health
COMMON = set(
    """the and for with from that this are was were has have had its not but you your our their they
will would can could about after over into new says said more than out what who how why when all his her
she him one two just now may also been being get gets set first last year years day week""".split()
)


def corpus():
    gt = json.loads(AEB.read_text())
    sentences = [
        s for v in gt.values() for s in re.split(r"(?<=[.!?])\s+", v.get("articleBody") or "") if 20 < len(s) < 300
    ]
    rows = []
    with gzip.open(UCI, "rt", encoding="utf-8") as f:
        for line in f:
            p = line.rstrip("\n").split("\t")
            if len(p) >= 5 and p[0] != "ID":
                rows.append((p[1], p[3], SECTIONS.get(p[4])))
    return rows, sentences


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=1_000_000)
    ap.add_argument("--queries", type=int, default=1000)
    ap.add_argument("--engine", choices=("sqlite", "postgres"), default="sqlite")
    ap.add_argument("--keep", help="build the SQLite database in this folder and reuse it when it exists")
    args = ap.parse_args()
    if not UCI.exists() or not AEB.exists():
        sys.exit(f"skipped: the evaluation data is not at {DATA}")
    tmp = args.keep or tempfile.mkdtemp()
    os.environ.update(CUPURE_DATA_DIR=tmp, CUPURE_LOG_LEVEL="WARNING", DJANGO_SETTINGS_MODULE="cupure.settings")
    pg_admin = None
    if args.engine == "postgres":
        import psycopg

        base = os.environ.get("CUPURE_BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432/test")
        pg_admin = psycopg.connect(base, autocommit=True)
        pg_admin.execute("DROP DATABASE IF EXISTS cupure_bench_search")
        pg_admin.execute("CREATE DATABASE cupure_bench_search")
        os.environ["CUPURE_DATABASE_URL"] = base.rsplit("/", 1)[0] + "/cupure_bench_search"
    else:
        os.environ.pop("CUPURE_DATABASE_URL", None)
    import django

    from cupure.lib.datadir import data_dir, prepare

    prepare(data_dir())  # as the `cupure` command does: the data directory and its key
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    rows, sentences = corpus()
    rng = random.Random(7)
    fresh = not (Path(tmp) / "cupure.sqlite3").exists() or args.engine == "postgres"
    call_command("migrate", verbosity=0)
    publishers = sorted({p for _, p, _ in rows})
    pub_id = {p: i + 1 for i, p in enumerate(publishers)}
    if fresh:
        build(connection, rows, sentences, publishers, pub_id, args.articles, rng)
    size = db_size(connection, tmp)
    print(f"database: {size / 1e9:.2f} GB ({args.engine})")

    from cupure.search.engine import search

    slugs = {3: "business", 4: "technology", 8: "entertainment", 6: "health"}
    popular = [p for p, _ in sorted(count_by(rows, 1).items(), key=lambda kv: -kv[1])[:200]]
    qrng = random.Random(11)
    queries = []
    while len(queries) < args.queries:
        title, _, sec = qrng.choice(rows)
        words = [w for w in re.findall(r"[A-Za-z]+", title) if len(w) >= 3 and w.lower() not in COMMON]
        if not words:
            continue
        n = min(len(words), qrng.choice((1, 1, 2, 2, 3)))
        start = qrng.randrange(len(words) - n + 1)
        q, kind = " ".join(words[start : start + n]), "none"
        roll = qrng.random()
        if roll < 0.2 and sec:
            q, kind = f"{q} section:{slugs[sec]}", "section"
        elif roll < 0.35:
            q, kind = f"{q} source:s{pub_id[qrng.choice(popular)]}", "source"
        elif roll < 0.5:
            q, kind = f"{q} since:{(START + timedelta(days=qrng.randrange(60))).date()}", "since"
        queries.append((q, kind))
    search(queries[0][0])  # warm the connection and caches once
    timings: dict[str, list[float]] = {}
    found = 0
    for q, kind in queries:
        t0 = time.perf_counter()
        res = search(q)
        ms = (time.perf_counter() - t0) * 1000
        found += bool(res.hits)
        timings.setdefault(kind, []).append(ms)
        timings.setdefault("filtered" if kind != "none" else "unfiltered", []).append(ms)
        timings.setdefault("all", []).append(ms)
    print(f"{len(queries)} queries, {found} with results; latency of search() in ms:")
    for kind in ("all", "unfiltered", "filtered", "section", "source", "since"):
        t = sorted(timings.get(kind, []))
        if t:
            print(
                f"  {kind:11} n={len(t):4}  p50 {pct(t, 50):6.1f}  p95 {pct(t, 95):6.1f}  p99 {pct(t, 99):6.1f}  "
                f"mean {statistics.mean(t):6.1f}"
            )
    t = sorted(timings["all"])
    if args.engine == "sqlite":
        print(
            f"targets (SQLite): p50 < 15 ms, p95 < 50 ms: {'met' if pct(t, 50) < 15 and pct(t, 95) < 50 else 'NOT met'}"
        )
    if pg_admin is not None:
        connection.close()
        pg_admin.execute("DROP DATABASE IF EXISTS cupure_bench_search")


START = datetime(2025, 1, 1, tzinfo=UTC)


def build(connection, rows, sentences, publishers, pub_id, n, rng):
    t0 = time.perf_counter()
    stamp = START.isoformat()
    with connection.cursor() as cur:
        cur.executemany(
            "INSERT INTO sources_source (id, name, slug, site_url, key, created_at) VALUES (%s, %s, %s, '', '', %s)",
            [(i, p[:200], f"s{i}", stamp) for p, i in pub_id.items()],
        )
    span = 60 * 86400
    batch = []
    sql = (
        "INSERT INTO news_article (id, source_id, section_id, url, canonical_url, title, text, published_at, "
        "fetched_at, author, language, site_name, image_url, summary, content_html, word_count, content_origin, "
        "content_hash, minhash, section_origin, topics_done, section_confidence) VALUES "
        "(%s, %s, %s, %s, %s, %s, %s, %s, %s, '', '', '', '', '', '', 120, 'page', '', %s, '', true, NULL)"
    )
    for i in range(1, n + 1):
        title, pub, sec = rows[(i - 1) % len(rows)]
        if i > len(rows):  # a repeat: the same headline from another day, with another body
            title = f"{title} ({'update' if rng.random() < 0.5 else 'analysis'})"
        when = START + timedelta(seconds=span * i / n + rng.randrange(3600))
        body = " ".join(rng.choice(sentences) for _ in range(6))
        url = f"https://example.com/{i}"
        when = connection.ops.adapt_datetimefield_value(when)
        batch.append((i, pub_id[pub], sec, url, url, title[:1000], body, when, when, b""))
        if len(batch) == 10_000:
            flush(connection, sql, batch)
            if i % 100_000 == 0:
                print(f"  {i:,} articles, {time.perf_counter() - t0:.0f} s", flush=True)
    flush(connection, sql, batch)
    print(f"built and indexed {n:,} articles in {time.perf_counter() - t0:.0f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("VACUUM ANALYZE news_article")
    else:
        with connection.cursor() as cur:
            cur.execute("ANALYZE")


def flush(connection, sql, batch):
    from django.db import transaction

    with transaction.atomic(), connection.cursor() as cur:
        cur.executemany(sql, batch)
    batch.clear()


def db_size(connection, folder) -> int:
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT pg_database_size(current_database())")
            return cur.fetchone()[0]
    return sum(p.stat().st_size for p in Path(folder).glob("cupure.sqlite3*"))


def count_by(rows, col):
    out: dict = {}
    for r in rows:
        out[r[col]] = out.get(r[col], 0) + 1
    return out


def pct(sorted_values, p):
    return sorted_values[min(len(sorted_values) - 1, int(len(sorted_values) * p / 100))]


if __name__ == "__main__":
    main()
