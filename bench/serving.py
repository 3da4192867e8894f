"""Serving pages: requests per second and p99 at 32 connections for the home, an article and a story page,
anonymous and signed in, on 100,000 articles, beside a bare Django view returning a constant string under
the same server setup (gunicorn gthread, CUPURE_WEB_WORKERS x CUPURE_WEB_THREADS, the same middleware) as
the ceiling. Target: anonymous pages at 50% or more of the ceiling.

    .venv/bin/python bench/serving.py [--articles 100000] [--seconds 10]
"""
from __future__ import annotations

import argparse
import http.cookiejar
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from loadtest import wrk  # noqa: E402

PASSWORD = "correct horse battery staple"


def serve(argv: list[str], env: dict, port: int, log: Path, cwd: Path) -> subprocess.Popen:
    with open(log, "ab") as f:
        proc = subprocess.Popen(argv, env={**env, "CUPURE_PORT": str(port)}, cwd=cwd, stdout=f,
                                stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2).read()
            return proc
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                sys.exit(log.read_text()[-3000:])
            time.sleep(0.3)


def stop(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=30)


def login(base: str) -> str:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.open(base + "/accounts/login/").read()
    token = next(c.value for c in jar if c.name == "csrftoken")
    opener.open(base + "/accounts/login/", f"username=reader&password={PASSWORD.replace(' ', '+')}"
                f"&csrfmiddlewaretoken={token}".encode()).read()
    cookies = {c.name: c.value for c in jar}
    return f"csrftoken={cookies['csrftoken']}; sessionid={cookies['sessionid']}"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--connections", type=int, default=32)
    ap.add_argument("--seconds", type=int, default=10)
    args = ap.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (Debian: apt-get install wrk)")
    import api as api_bench  # the 100,000-article site of bench/api.py
    import search as search_bench

    if not search_bench.UCI.exists():
        sys.exit(f"skipped: the evaluation data is not at {search_bench.DATA}")
    tmp = Path(tempfile.mkdtemp())
    env = {k: v for k, v in os.environ.items() if not k.startswith("CUPURE_")}
    env.update(CUPURE_DATA_DIR=str(tmp), CUPURE_LOG_LEVEL="WARNING", CUPURE_STARTER_SOURCES="off")
    os.environ.update(env)
    os.environ.pop("CUPURE_DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "cupure.settings"
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection

    from cupure.accounts.models import Profile

    call_command("migrate", verbosity=0)
    rows, sentences = search_bench.corpus()
    publishers = sorted({p for _, p, _ in rows})
    search_bench.build(connection, rows, sentences, publishers, {p: i + 1 for i, p in enumerate(publishers)},
                       args.articles, random.Random(3))
    api_bench.make_stories(connection, args.articles)
    Profile.objects.create(user=get_user_model().objects.create_user("reader", "r@example.org", PASSWORD))
    connection.close()
    port = 8000 + random.randrange(2000, 3000)
    base = f"http://127.0.0.1:{port}"
    log = tmp / "server.log"
    gunicorn = [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers",
                str(settings.WEB_WORKERS), "--threads", str(settings.WEB_THREADS), "--worker-class", "gthread"]
    results = []
    # Each figure: the median of three runs (gunicorn's workers share one accept socket; see bench/api.py).
    def measure(name, url, headers=None):
        tries = sorted(wrk(url, args.connections, args.seconds, headers) for _ in range(3))
        results.append((name, tries[1], [t[0] for t in tries]))

    ceiling = serve(gunicorn + ["--chdir", str(ROOT / "bench"), "ceiling_wsgi:application"], env, port, log, ROOT)
    try:
        measure("ceiling: constant view", base + "/")
    finally:
        stop(ceiling)
    site = serve([sys.executable, "-m", "cupure.cli", "serve"], env, port, log, ROOT)
    try:
        cookie = login(base)
        article, story = f"/article/{args.articles}/", "/story/1/"
        for label, path in (("home", "/"), ("article", article), ("story", story)):
            measure(f"{label}, anonymous", base + path)
        for label, path in (("home", "/"), ("article", article), ("story", story)):
            measure(f"{label}, signed in", base + path, {"Cookie": cookie})
    finally:
        stop(site)
    top = results[0][1][0]
    print(f"{args.articles:,} articles on SQLite; gunicorn gthread {settings.WEB_WORKERS} workers x "
          f"{settings.WEB_THREADS} threads; wrk -t2 -c{args.connections} -d{args.seconds}s, median of 3 runs")
    print(f"{'':26}{'req/s':>8}{'p99 ms':>9}{'of ceiling':>12}  responses     (req/s of the three runs)")
    for name, (rps, p99, status), runs in results:
        print(f"{name:26}{rps:8.0f}{p99:9.1f}{rps / top:11.0%}  {status}  ({', '.join(f'{r:.0f}' for r in runs)})")
    anonymous = [r[1][0] / top for r in results if "anonymous" in r[0]]
    print(f"target (anonymous pages >= 50% of the ceiling): {'met' if min(anonymous) >= 0.5 else 'NOT met'}")


if __name__ == "__main__":
    main()
