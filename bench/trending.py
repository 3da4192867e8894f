"""Trending bar quality and topic extraction speed.

- `cupure trending` on the 266,665-headline UCI stream, scored by ../shared/tools/score_trending.py
  (recall of each day's 10 biggest stories, precision of the bar, duplicates).
- Junk on the bar and in article tags: samples judged by hand (bench/topic_judgments.py).
- Topic extraction speed on full-text articles (news_cluster.jsonl), one core, in process.

    .venv/bin/python bench/trending.py
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import topic_judgments  # bench/, beside this script

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared"
DATA = SHARED / "data" / "clustering"


def main() -> None:
    if not (DATA / "uci-news-aggregator-dev.tsv.gz").exists():
        raise SystemExit(f"skipped: no data at {DATA}")
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        stream, gold, bars = tmp / "s.jsonl", tmp / "g.jsonl", tmp / "bars.jsonl"
        subprocess.run(
            [
                sys.executable,
                str(SHARED / "tools" / "uci_to_jsonl.py"),
                str(DATA / "uci-news-aggregator-dev.tsv.gz"),
                str(stream),
                str(gold),
            ],
            check=True,
            capture_output=True,
        )
        start = time.perf_counter()
        with open(bars, "w") as f:
            subprocess.run(
                [sys.executable, "-m", "cupure.cli", "trending", str(stream), "--every", "1d"],
                stdout=f,
                check=True,
                cwd=ROOT,
            )
        seconds = time.perf_counter() - start
        score = subprocess.run(
            [sys.executable, str(SHARED / "tools" / "score_trending.py"), str(stream), str(gold), str(bars)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        print(f"trending on the UCI stream: {score}  ({seconds:.1f} s for the whole replay)")
        topic_judgments.judge(tmp, stream, bars)

    from cupure.analysis.topics import item_topics

    rows = [json.loads(line) for line in (DATA / "news_cluster.jsonl").read_text().splitlines() if line.strip()]
    start = time.perf_counter()
    for _ in range(3):
        for r in rows:
            item_topics(r["title"], r["text"])
    rate = 3 * len(rows) / (time.perf_counter() - start)
    print(f"topic extraction: {rate:,.0f} full-text articles/s (news_cluster, {len(rows)} articles, one core)")


if __name__ == "__main__":
    main()
