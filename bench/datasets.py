"""The labelled story streams of ../shared/data/clustering, read as the site's NewsItems with their gold.

One loader for the clustering benchmark, the top-stories replay and the story model's training, so they
all see the same streams in the same order. Each set is (items in arrival order, {id: gold story}).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
DATA = SHARED / "data" / "clustering"
FULLTEXT = ("gvc", "basil", "allsides", "vims")

sys.path.insert(0, str(ROOT))
from cupure.analysis.streams import parse_item  # noqa: E402


def require_data() -> None:
    if not DATA.exists():
        raise SystemExit(f"skipped: no clustering data at {DATA}")


def _jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def fulltext(name: str):
    """One of the "one busy day" streams: (items, gold)."""
    rows = _jsonl(DATA / "fulltext" / f"{name}.jsonl")
    gold = {str(r["id"]): str(r["cluster"]) for r in _jsonl(DATA / "fulltext" / f"{name}-gold.jsonl")}
    return [parse_item(r) for r in rows], gold


def news_cluster_rows() -> list[tuple[dict, str]]:
    """news_cluster.jsonl as stream lines with their event label, in publication order."""
    out = []
    for i, r in enumerate(_jsonl(DATA / "news_cluster.jsonl")):
        ident = r.get("dId") or str(i)
        published = (r.get("date_publish") or "2016-01-01T00:00:00").replace(" ", "T")
        out.append(
            (
                {
                    "id": ident,
                    "title": r.get("title") or "",
                    "text": r.get("text") or "",
                    "url": r.get("url", ""),
                    "source": r.get("source_domain", ""),
                    "published": published,
                },
                str(r["event_id"]),
            )
        )
    out.sort(key=lambda p: p[0]["published"])
    return out


def news_cluster():
    rows = news_cluster_rows()
    return [parse_item(a) for a, _ in rows], {str(a["id"]): g for a, g in rows}


def uci_files(tmp: Path, limit_days: int | None = None) -> tuple[Path, Path]:
    """(stream, gold) of the UCI headlines, written into ``tmp`` by ../shared/tools/uci_to_jsonl.py."""
    stream, gold = tmp / "uci.jsonl", tmp / "uci.gold.jsonl"
    cmd = [
        sys.executable,
        str(SHARED / "tools" / "uci_to_jsonl.py"),
        str(DATA / "uci-news-aggregator-dev.tsv.gz"),
        str(stream),
        str(gold),
    ]
    if limit_days:
        cmd += ["--limit-days", str(limit_days)]
    subprocess.run(cmd, check=True, capture_output=True)
    return stream, gold


def uci(tmp: Path, limit_days: int | None = None):
    stream, gold = uci_files(tmp, limit_days)
    return [parse_item(r) for r in _jsonl(stream)], {str(r["id"]): str(r["cluster"]) for r in _jsonl(gold)}


def write_stream(tmp: Path, name: str, items, gold: dict) -> tuple[Path, Path]:
    """(stream, gold) files of a set in ``tmp``, as the measurement commands read them."""
    stream, gold_path = tmp / f"{name}.jsonl", tmp / f"{name}.gold.jsonl"
    with open(stream, "w") as f:
        for it in items:
            row = {
                "id": it.id,
                "title": it.title,
                "text": it.text,
                "url": it.url,
                "source": it.source,
                "published": it.published.isoformat(),
            }
            f.write(json.dumps(row) + "\n")
    gold_path.write_text("".join(json.dumps({"id": str(it.id), "cluster": gold[str(it.id)]}) + "\n" for it in items))
    return stream, gold_path


def scorer():
    import importlib.util

    spec = importlib.util.spec_from_file_location("score_clustering", SHARED / "tools" / "score_clustering.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod
