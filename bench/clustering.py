"""Story clustering quality and speed, scored by ../shared/tools/score_clustering.py.

- Headlines: the 266,665-item UCI stream (uci_to_jsonl.py), through `cupure cluster` exactly as a user
  runs it: items/s (whole command, JSON included) and peak memory of the process.
- Full text: news_cluster.jsonl (383 articles, 69 events) and wikiref220.jsonl (220 articles, topic labels).

    .venv/bin/python bench/clustering.py [--limit-days N]
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
DATA = SHARED / "data" / "clustering"


def scorer():
    spec = importlib.util.spec_from_file_location("score_clustering", SHARED / "tools" / "score_clustering.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


# `cupure cluster` in a process that reports its own peak memory on exit (RUSAGE_CHILDREN would report the
# largest child ever waited for, e.g. the converter script).
_CLUSTER = ("import resource, sys\nfrom cupure.cli import main\ntry:\n    main(['cupure', 'cluster', sys.argv[1]])\n"
            "finally:\n    sys.stderr.write(f'peak_kb={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}\\n')\n")


def run_cluster(stream: Path, out: Path) -> tuple[float, float]:
    """(seconds, peak MB) of `cupure cluster STREAM > OUT`."""
    start = time.perf_counter()
    with open(out, "w") as f:
        done = subprocess.run([sys.executable, "-c", _CLUSTER, str(stream)], stdout=f, stderr=subprocess.PIPE,
                              text=True, check=True, cwd=ROOT)
    peak = int(done.stderr.rsplit("peak_kb=", 1)[1].split()[0]) / 1024
    return time.perf_counter() - start, peak


def report(name: str, sc, gold: Path, pred: Path, n: int, seconds: float) -> None:
    m = sc.score(sc.load(str(gold)), sc.load(str(pred)))
    print(f"{name:26s} pairwise F1 {m['pairwise_f1']:.3f} (P {m['pairwise_p']:.3f} R {m['pairwise_r']:.3f})  "
          f"BCubed F1 {m['bcubed_f1']:.3f} (P {m['bcubed_p']:.3f} R {m['bcubed_r']:.3f})  "
          f"clusters {m['pred_clusters']} / gold {m['gold_clusters']}  {n / seconds:,.0f} items/s")


def full_text_stream(tmp: Path, name: str) -> tuple[Path, Path, int]:
    rows = [json.loads(l) for l in (DATA / f"{name}.jsonl").read_text().splitlines() if l.strip()]
    stream, gold = tmp / f"{name}.stream.jsonl", tmp / f"{name}.gold.jsonl"
    items = []
    for i, r in enumerate(rows):
        ident = r.get("dId") or r.get("file") or str(i)
        label = r.get("event_id") if "event_id" in r else r.get("topic")
        published = (r.get("date_publish") or "2016-01-01T00:00:00").replace(" ", "T")
        title = r.get("title") or ""
        text = r.get("text") or ""
        if not title:  # WikiRef220 has no titles: the first line of the text stands in
            title, _, text = text.strip().partition("\n")
        items.append(({"id": ident, "title": title, "text": text, "url": r.get("url", ""),
                       "source": r.get("source_domain", ""), "published": published}, {"id": ident, "cluster": label}))
    items.sort(key=lambda p: p[0]["published"])  # arrival order
    stream.write_text("\n".join(json.dumps(a) for a, _ in items))
    gold.write_text("\n".join(json.dumps(b) for _, b in items))
    return stream, gold, len(items)


def in_process_rate(stream: Path, repeat: int = 5) -> float:
    sys.path.insert(0, str(ROOT))
    from cupure.analysis.stories import StoryClusterer
    from cupure.analysis.streams import read_items

    with open(stream) as f:
        items = list(read_items(f, lambda n, m: None))
    start = time.perf_counter()
    for _ in range(repeat):
        c = StoryClusterer()
        for item in items:
            c.add(item)
    return repeat * len(items) / (time.perf_counter() - start)


def uci_args() -> argparse.Namespace:
    """The UCI benchmarks' command line; exits with a message when the data is absent."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit-days", type=int)
    args = ap.parse_args()
    if not (DATA / "uci-news-aggregator-dev.tsv.gz").exists():
        raise SystemExit(f"skipped: no clustering data at {DATA}")
    return args


def uci_stream(tmp: Path, limit_days: int | None) -> tuple[Path, Path]:
    """(stream, gold) of the UCI headlines, written into ``tmp`` by ../shared/tools/uci_to_jsonl.py."""
    stream, gold = tmp / "uci.jsonl", tmp / "uci.gold.jsonl"
    cmd = [sys.executable, str(SHARED / "tools" / "uci_to_jsonl.py"),
           str(DATA / "uci-news-aggregator-dev.tsv.gz"), str(stream), str(gold)]
    if limit_days:
        cmd += ["--limit-days", str(limit_days)]
    subprocess.run(cmd, check=True, capture_output=True)
    return stream, gold


def main() -> None:
    args = uci_args()
    sc = scorer()
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        stream, gold = uci_stream(tmp, args.limit_days)
        n = sum(1 for _ in open(stream))
        seconds, peak = run_cluster(stream, tmp / "uci.pred.jsonl")
        report(f"UCI headlines ({n:,})", sc, gold, tmp / "uci.pred.jsonl", n, seconds)
        print(f"{'':26s} whole command {seconds:.1f} s, peak memory of the process {peak:.0f} MB "
              f"(includes reading the input; the clusterer keeps only active stories)")
        for name in ("news_cluster", "wikiref220"):
            s, g, k = full_text_stream(tmp, name)
            secs, _ = run_cluster(s, tmp / f"{name}.pred.jsonl")
            report(f"{name} ({k})", sc, g, tmp / f"{name}.pred.jsonl", k, secs)
            print(f"{'':26s} clusterer alone, in process: {in_process_rate(s):,.0f} full-text articles/s "
                  f"(the command's rate above is mostly Python and Django start-up)")


if __name__ == "__main__":
    main()
