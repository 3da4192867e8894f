"""The operator's /sources with 10,000 feeds, 1,000 of them in error: time to the response and its size,
for the first page, the errors filter and a search. Target: under 100 ms and 60 KB a page.

    .venv/bin/python bench/sources_page.py [--feeds 10000]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))  # tests.personas


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--feeds", type=int, default=10_000)
    args = ap.parse_args()
    from api import big_site

    big_site(1000)
    from django.conf import settings
    from django.test import Client

    from cupure.sources.models import Feed
    from tests.personas import outlets

    settings.ALLOWED_HOSTS = ["testserver"]
    outlets(args.feeds)
    client = Client()
    worst = 0.0
    biggest = 0
    for label, path in (
        ("first page", "/sources/"),
        ("errors only, page 10", "/sources/?state=error&page=10"),
        ("search", "/sources/?q=outlet4242"),
    ):
        client.get(path)
        times = []
        for _ in range(20):
            t = time.perf_counter()
            resp = client.get(path)
            times.append(time.perf_counter() - t)
        ms = statistics.median(times) * 1000
        worst = max(worst, ms)
        biggest = max(biggest, len(resp.content))
        print(f"{label:24} {ms:6.1f} ms (median of 20)  {len(resp.content) / 1024:5.1f} KB")
    total, failing = Feed.objects.count(), Feed.objects.filter(error_count__gt=0).count()
    verdict = "met" if worst < 100 and biggest < 60_000 else "NOT met"
    print(f"{total:,} feeds, {failing:,} in error; target (< 100 ms, < 60 KB): {verdict}")


if __name__ == "__main__":
    main()
