"""Serving pages: requests per second and p99 at 32 connections for the home, an article and a story page,
anonymous and signed in, on 100,000 articles, beside a bare Django view returning a constant string under
the same server setup (gunicorn gthread, CUPURE_WEB_WORKERS x CUPURE_WEB_THREADS, the same middleware) as
the ceiling. Target: anonymous pages at 50% or more of the ceiling.

    .venv/bin/python bench/serving.py [--articles 100000] [--seconds 10]
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from loadtest import free_port, median_of_three, sign_in, start, stop  # noqa: E402

PASSWORD = "correct horse battery staple"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--connections", type=int, default=32)
    ap.add_argument("--seconds", type=int, default=10)
    args = ap.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (Debian: apt-get install wrk)")
    from api import big_site  # the 100,000-article site of bench/api.py

    tmp, env = big_site(args.articles)
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection

    from cupure.accounts.models import Profile
    from cupure.ops.management.commands.serve import gunicorn_argv

    Profile.objects.create(user=get_user_model().objects.create_user("reader", "r@example.org", PASSWORD))
    connection.close()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env["CUPURE_PORT"] = str(port)
    log = tmp / "server.log"
    # The ceiling runs under the very server settings `cupure serve` uses, with a constant view for the app.
    gunicorn = gunicorn_argv("127.0.0.1", port)
    gunicorn[gunicorn.index("cupure.wsgi:application")] = "ceiling_wsgi:application"
    results = []

    def measure(name, url, headers=None):
        results.append((name, *median_of_three(url, args.connections, args.seconds, headers)))

    ceiling = start(gunicorn + ["--chdir", str(ROOT / "bench")], env, ROOT, log, base + "/")
    try:
        measure("ceiling: constant view", base + "/")
    finally:
        stop(ceiling)
    site = start([sys.executable, "-m", "cupure.cli", "serve"], env, ROOT, log, base + "/")
    try:
        cookie, _ = sign_in(base, "reader", PASSWORD)
        article, story = f"/article/{args.articles}/", "/story/1/"
        for label, path in (("home", "/"), ("article", article), ("story", story)):
            measure(f"{label}, anonymous", base + path)
        for label, path in (("home", "/"), ("article", article), ("story", story)):
            measure(f"{label}, signed in", base + path, {"Cookie": cookie})
    finally:
        stop(site)
    top = results[0][1][0]
    print(
        f"{args.articles:,} articles on SQLite; gunicorn gthread {settings.WEB_WORKERS} workers x "
        f"{settings.WEB_THREADS} threads; wrk -t2 -c{args.connections} -d{args.seconds}s, median of 3 runs"
    )
    print(f"{'':26}{'req/s':>8}{'p99 ms':>9}{'of ceiling':>12}  responses     (req/s of the three runs)")
    for name, (rps, p99, status), runs in results:
        print(f"{name:26}{rps:8.0f}{p99:9.1f}{rps / top:11.0%}  {status}  ({', '.join(f'{r:.0f}' for r in runs)})")
    anonymous = [r[1][0] / top for r in results if "anonymous" in r[0]]
    print(f"target (anonymous pages >= 50% of the ceiling): {'met' if min(anonymous) >= 0.5 else 'NOT met'}")


if __name__ == "__main__":
    main()
