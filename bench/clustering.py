"""Story clustering, leads and top stories on every dev stream, in one run, with one model and one setting.

Every stream goes through `cupure cluster` exactly as a user runs it (in a child process that reports its
peak memory), and is scored by ../shared/tools/score_clustering.py (pairwise and BCubed F1) and
score_leads.py (lead purity). The UCI headline stream also goes through `cupure top --every 1d`, scored by
score_top.py. Speed: the whole command on UCI (items/s, JSON and start-up included) and the clusterer
alone, in this process, on headlines and on full text.

    .venv/bin/python bench/clustering.py [--limit-days N] [--skip-top]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import datasets as D

ROOT = D.ROOT
TOOLS = D.SHARED / "tools"

# `cupure cluster` in a process that reports its own peak memory on exit (RUSAGE_CHILDREN would report the
# largest child ever waited for, e.g. the converter script).
_COMMAND = (
    "import resource, sys\nfrom cupure.cli import main\ntry:\n    main(['cupure'] + sys.argv[1:])\n"
    "finally:\n    sys.stderr.write(f'peak_kb={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}\\n')\n"
)


def run_command(args: list[str], out: Path) -> tuple[float, float]:
    """(seconds, peak MB) of `cupure ARGS > OUT`."""
    start = time.perf_counter()
    with open(out, "w") as f:
        done = subprocess.run(
            [sys.executable, "-c", _COMMAND, *args], stdout=f, stderr=subprocess.PIPE, text=True, check=True, cwd=ROOT
        )
    peak = int(done.stderr.rsplit("peak_kb=", 1)[1].split()[0]) / 1024
    return time.perf_counter() - start, peak


def score_tool(name: str, *args) -> str:
    done = subprocess.run(
        [sys.executable, str(TOOLS / name), *map(str, args)], capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def in_process_rate(items, repeat: int = 1) -> float:
    from cupure.analysis.stories import Replay

    start = time.perf_counter()
    for _ in range(repeat):
        replay = Replay()
        for item in items:
            replay.add(item)
        replay.settle()
    return repeat * len(items) / (time.perf_counter() - start)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit-days", type=int, help="only the first N days of UCI")
    ap.add_argument("--skip-top", action="store_true")
    args = ap.parse_args()
    D.require_data()
    sc = D.scorer()
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        uci_stream, uci_gold = D.uci_files(tmp, args.limit_days)
        sets = [("uci", uci_stream, uci_gold)]
        full_text = {}
        for name in D.FULLTEXT + ("news_cluster",):
            items, gold = D.fulltext(name) if name != "news_cluster" else D.news_cluster()
            full_text[name] = items
            sets.append((name, *D.write_stream(tmp, name, items, gold)))
        print(
            f"{'stream':13s} {'pairwise F1 (P / R)':>22s} {'BCubed F1 (P / R)':>22s} {'stories/gold':>13s} "
            f"{'lead purity':>11s}"
        )
        for name, stream, gold in sets:
            out = tmp / f"{name}.out.jsonl"
            seconds, peak = run_command(["cluster", str(stream)], out)
            m = sc.score(sc.load(str(gold)), sc.load(str(out)))
            leads = dict(kv.split("=") for kv in score_tool("score_leads.py", gold, out).split())
            print(
                f"{name:13s} {m['pairwise_f1']:.3f} ({m['pairwise_p']:.3f} / {m['pairwise_r']:.3f})   "
                f"{m['bcubed_f1']:.3f} ({m['bcubed_p']:.3f} / {m['bcubed_r']:.3f})   "
                f"{m['pred_clusters']:>5d}/{m['gold_clusters']:<6d} {float(leads['lead_purity']):.3f}"
            )
            if name == "uci":
                n = m["items"]
                uci_line = (
                    f"UCI through `cupure cluster`: {seconds:.1f} s for {n:,} headlines = {n / seconds:,.0f}"
                    f" items/s, peak memory {peak:.0f} MB"
                )
        print(uci_line)
        if not args.skip_top:
            seconds, _ = run_command(["top", str(uci_stream), "--every", "1d"], tmp / "top.jsonl")
            print(
                f"UCI top stories (`cupure top --every 1d`, {seconds:.1f} s): "
                + score_tool("score_top.py", uci_stream, uci_gold, tmp / "top.jsonl")
            )
        with open(uci_stream) as f:
            uci_items = [D.parse_item(json.loads(line)) for line in f]
        headline_rate = in_process_rate(uci_items[:60000])
        text_items = [it for name in D.FULLTEXT for it in full_text[name]]
        text_rate = in_process_rate(text_items)
        print(
            f"clusterer alone, one core: {headline_rate:,.0f} headlines/s (first 60,000 UCI items), "
            f"{text_rate:,.0f} full-text articles/s (the four busy-day streams, {len(text_items):,} articles)"
        )


if __name__ == "__main__":
    main()
