"""Junk on the trending bar and in article tags, judged by hand against issue #16's rule.

A topic is a thing: a person, organisation, place, product, work or event, or an established multi-word
phrase. Junk is anything else: a common word, a fragment of a name or title, a name glued to a following
word, a first name alone, a date word.

Samples, drawn with a fixed seed from what the measurement commands print (the site's own code):
- 200 bar entries of `cupure trending` on the UCI dev headlines, 100 of `cupure trending` on the full-text
  sets (each busy-day set its own stream, and news_cluster);
- 200 article tags of `cupure topics`: 100 from the UCI headlines, 100 from the full-text sets, one tag of
  each article, the articles drawn by id (so a change to the tagger changes only the entries it changed).

Each sampled entry is printed with its judgment from bench/topic_judgments.tsv (name, "thing" or "junk", a
reason). An entry nobody has judged yet prints as "?" and is counted apart, so a changed tagger shows what
is new to judge; add its line to the file.

    .venv/bin/python bench/topic_judgments.py [--skip-uci-tags]
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

import datasets as D

ROOT = D.ROOT
JUDGMENTS = Path(__file__).with_name("topic_judgments.tsv")
SEED = 16


def judgments() -> dict[str, tuple[str, str]]:
    out = {}
    for line in JUDGMENTS.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, verdict, *why = line.split("\t")
            out[name] = (verdict, why[0] if why else "")
    return out


def cupure(args: list[str], out: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "cupure.cli", *args], stdout=open(out, "w"), stderr=subprocess.DEVNULL, cwd=ROOT
    )


def lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def report(title: str, sample: list[tuple[str, str]], judged: dict) -> None:
    """``sample``: (entry, where it was seen)."""
    print(f"\n## {title}: {len(sample)} sampled")
    junk = unjudged = 0
    for name, where in sample:
        verdict, why = judged.get(name, ("?", ""))
        junk += verdict == "junk"
        unjudged += verdict == "?"
        print(f"  {verdict:5s} {name!r:40s} {where}" + (f"  ({why})" if why else ""))
    n = len(sample) - unjudged
    print(f"=> junk {junk} of {n} judged = {junk / max(1, n):.1%}; not judged yet: {unjudged}")


def judge(tmp: Path, uci_stream: Path, uci_bars: Path | None = None, uci_tags: bool = True) -> None:
    """Run what is not run yet (the UCI bars when ``uci_bars`` is None) and print the three judged samples."""
    judged = judgments()
    rng = random.Random(SEED)
    texts = []
    for name in D.FULLTEXT + ("news_cluster",):
        items, gold = D.fulltext(name) if name != "news_cluster" else D.news_cluster()
        texts.append((name, D.write_stream(tmp, name, items, gold)[0]))
    jobs = []
    if uci_bars is None:
        uci_bars = tmp / "uci.bars"
        jobs.append(cupure(["trending", str(uci_stream), "--every", "1d"], uci_bars))
    if uci_tags:
        jobs.append(cupure(["topics", str(uci_stream)], tmp / "uci.tags"))
    for name, stream in texts:
        jobs.append(cupure(["trending", str(stream), "--every", "1d"], tmp / f"{name}.bars"))
        jobs.append(cupure(["topics", str(stream)], tmp / f"{name}.tags"))
    for job in jobs:
        if job.wait():
            raise SystemExit(f"{job.args} failed")

    def bar_entries(path: Path, where: str) -> list[tuple[str, str]]:
        return [(topic, f"{where} bar {row['at']}") for row in lines(path) for topic in row["topics"]]

    def tag_entries(paths: list[tuple[Path, str]], n: int) -> list[tuple[str, str]]:
        """One tag of each of ``n`` articles, the articles in an order drawn once from their ids and the tag
        chosen by its article's id: a changed tagger changes the sample only where it changed the tags."""
        tagged = {(where, str(row["id"])): row["topics"] for path, where in paths for row in lines(path)}
        order = sorted(tagged, key=lambda item: zlib.crc32(f"{SEED} {item[0]} {item[1]}".encode()))
        picked = [item for item in order if tagged[item]][:n]
        return [
            (tagged[item][zlib.crc32(item[1].encode()) % len(tagged[item])], f"{item[0]} item {item[1]}")
            for item in picked
        ]

    uci_bar = bar_entries(uci_bars, "uci")
    text_bar = [e for name, _ in texts for e in bar_entries(tmp / f"{name}.bars", name)]
    report("trending bar, UCI dev replay", rng.sample(uci_bar, min(200, len(uci_bar))), judged)
    report(
        "trending bar, full-text sets (all their entries when fewer than 100)",
        rng.sample(text_bar, min(100, len(text_bar))),
        judged,
    )
    tags = tag_entries([(tmp / f"{name}.tags", name) for name, _ in texts], 100)
    if uci_tags:
        tags = tag_entries([(tmp / "uci.tags", "uci")], 100) + tags
    report("article tags", tags, judged)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--skip-uci-tags", action="store_true", help="tags of the full-text sets only (faster)")
    args = ap.parse_args()
    D.require_data()
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        judge(tmp, D.uci_files(tmp, None)[0], uci_tags=not args.skip_uci_tags)


if __name__ == "__main__":
    main()
