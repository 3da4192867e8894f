"""Ingestion end to end: 20 loopback feeds of 25 entries whose pages are real news pages.

Starts `cupure worker` exactly as `cupure run` does (scheduler + task runners, SQLite in a fresh data dir),
and measures articles per second from the first poll to the last article stored. In the same run, raw
single-process `trafilatura.extract` (defaults) on the same 500 pages gives the reference throughput.

    .venv/bin/python bench/ingestion.py [--feeds 20] [--entries 25] [--processes N]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AEB = ROOT.parent / "shared" / "data" / "extraction" / "aeb"
# Repeated pages are served without their canonical/og:url so each URL is a distinct article.
_CANON = re.compile(rb"""<link[^>]+rel=["']?canonical[^>]*>|<meta[^>]+og:url[^>]*>""", re.I)


def build_site(feeds: int, entries: int):
    truth = json.loads((AEB / "ground-truth.json").read_text())
    pages = [gzip.decompress((AEB / "html" / f"{k}.html.gz").read_bytes()) for k in sorted(truth)]
    routes: dict[str, tuple[bytes, str]] = {}
    now = datetime.now(UTC)
    n = 0
    for f in range(feeds):
        items = []
        for _ in range(entries):
            page = pages[n % len(pages)]
            if n >= len(pages):
                page = _CANON.sub(b"", page)
            routes[f"/p/{n}.html"] = (page, "text/html; charset=utf-8")
            when = format_datetime(now - timedelta(minutes=n))
            items.append(
                f"<item><title>Article {n}</title><link>{{base}}/p/{n}.html</link><guid>a-{n}</guid>"
                f"<pubDate>{when}</pubDate></item>"
            )
            n += 1
        routes[f"/feed/{f}.xml"] = (
            "<?xml version='1.0'?><rss version='2.0'><channel><title>Bench feed "
            f"{f}</title><link>{{base}}/</link>{''.join(items)}</channel></rss>",
            "application/rss+xml",
        )
    return routes, [routes[f"/p/{i}.html"][0] for i in range(n)]


def serve(routes):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *a):
            pass

        def do_GET(self):
            body, ctype = routes.get(self.path, (b"not found", "text/plain"))
            if isinstance(body, str):
                body = body.replace("{base}", f"http://127.0.0.1:{self.server.server_address[1]}").encode()
            self.send_response(200 if self.path in routes else 404)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def raw_trafilatura(pages: list[bytes]) -> float:
    import trafilatura

    start = time.perf_counter()
    for page in pages:
        trafilatura.extract(page)
    return len(pages) / (time.perf_counter() - start)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--feeds", type=int, default=20)
    ap.add_argument("--entries", type=int, default=25)
    ap.add_argument("--processes", type=int, default=None, help="task runners (default: as `cupure run`)")
    args = ap.parse_args()
    if not (AEB / "ground-truth.json").exists():
        raise SystemExit(f"skipped: no benchmark data at {AEB}")
    routes, pages = build_site(args.feeds, args.entries)
    total = len(pages)
    server = serve(routes)
    base = f"http://127.0.0.1:{server.server_address[1]}"

    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("CUPURE_")},
            "CUPURE_DATA_DIR": tmp,
            "CUPURE_ALLOW_PRIVATE_NETWORKS": "1",
            "CUPURE_STARTER_SOURCES": "off",
            "CUPURE_SCHEDULER_INTERVAL": "1",
            "CUPURE_LOG_LEVEL": "WARNING",
        }
        if args.processes:
            env["CUPURE_WORKER_PROCESSES"] = str(args.processes)
        cupure = [sys.executable, "-m", "cupure.cli"]
        subprocess.run(cupure + ["migrate", "-v0"], env=env, check=True, cwd=ROOT)
        opml = Path(tmp) / "bench.opml"
        opml.write_text(
            "<opml version='2.0'><body>"
            + "".join(f"<outline type='rss' text='Bench {f}' xmlUrl='{base}/feed/{f}.xml'/>" for f in range(args.feeds))
            + "</body></opml>"
        )
        subprocess.run(cupure + ["import-opml", str(opml)], env=env, check=True, cwd=ROOT, capture_output=True)
        db = sqlite3.connect(Path(tmp) / "cupure.sqlite3")
        start = time.perf_counter()
        worker = subprocess.Popen(cupure + ["worker"], env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
        try:
            # Done when every entry of every feed has been processed: stored, or linked to the article
            # it duplicates (repeated pages whose canonical URL survives the stripping above).
            processed = 0
            while time.perf_counter() - start < 500:
                processed = db.execute("select count(*) from sources_feedentry").fetchone()[0]
                if processed >= total:
                    break
                time.sleep(0.05)
            elapsed = time.perf_counter() - start
            stored = db.execute("select count(*) from news_article").fetchone()[0]
        finally:
            worker.terminate()
            worker.wait(timeout=60)
        from_page = db.execute("select count(*) from news_article where content_origin='page'").fetchone()[0]
        errors = db.execute("select count(*) from sources_feed where error_count > 0").fetchone()[0]
    server.shutdown()
    rate = processed / elapsed
    print(
        f"cupure ingestion: {processed}/{total} entries fetched, extracted and stored in {elapsed:.1f} s = "
        f"{rate:.1f} articles/s ({stored} distinct articles, {processed - stored} linked to an earlier copy; "
        f"{from_page} from the page, {errors} feeds in error; worker processes "
        f"{args.processes or os.cpu_count()}, cores {os.cpu_count()})"
    )
    raw = raw_trafilatura(pages)
    print(f"raw trafilatura.extract, one process, same {total} pages: {raw:.1f} pages/s")
    print(f"cupure / raw: {rate / raw:.0%} (target >= 80%)")


if __name__ == "__main__":
    main()
