"""Extraction quality and speed on the article-extraction-benchmark pages.

Runs cupure's extractor and raw ``trafilatura.extract`` (defaults) over the
same 181 pages in one process, scores both with the shared scorer and prints
F1/precision/recall and pages per second for each.

    .venv/bin/python bench/extraction.py [--data ../shared/data/extraction/aeb]
"""
from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "extraction" / "aeb"
SCORER = ROOT.parent / "shared" / "tools" / "score_extraction.py"


def load_scorer():
    spec = importlib.util.spec_from_file_location("score_extraction", SCORER)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def load_pages(data: Path) -> dict[str, tuple[str, str]]:
    truth = json.loads((data / "ground-truth.json").read_text())
    pages = {}
    for key, item in truth.items():
        raw = gzip.decompress((data / "html" / f"{key}.html.gz").read_bytes())
        pages[key] = (raw, item.get("url", ""))
    return truth, pages


def run(name, fn, pages):
    out = {}
    start = time.perf_counter()
    for key, (raw, url) in pages.items():
        out[key] = {"articleBody": fn(raw, url) or ""}
    elapsed = time.perf_counter() - start
    return out, len(pages) / elapsed


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--save", type=Path, help="write cupure's predictions here (JSON)")
    args = ap.parse_args()
    if not (args.data / "ground-truth.json").exists():
        raise SystemExit(f"skipped: no benchmark data at {args.data}")
    import trafilatura

    from cupure.ingest.charset import decode
    from cupure.ingest.errors import ExtractionError
    from cupure.ingest.extract import extract_article

    scorer = load_scorer()
    truth, pages = load_pages(args.data)

    def cupure_fn(raw, url):
        try:
            return extract_article(raw, url).text
        except ExtractionError:
            return ""

    def raw_fn(raw, url):
        # Raw trafilatura gets the same decoded text cupure works from, so only extraction is compared.
        return trafilatura.extract(decode(raw), url=url or None)

    results = {}
    for name, fn in (("trafilatura.extract (defaults)", raw_fn), ("cupure extract", cupure_fn)):
        pred, pps = run(name, fn, pages)
        m = scorer.score(truth, pred)
        results[name] = (m, pps)
        print(f"{name:32s} f1={m['f1']:.4f} precision={m['precision']:.4f} recall={m['recall']:.4f} "
              f"empty={m['empty']} pages/s={pps:.1f}")
        if args.save and name == "cupure extract":
            args.save.write_text(json.dumps(pred))
    (mc, pc), (mr, pr) = results["cupure extract"], results["trafilatura.extract (defaults)"]
    print(f"cupure vs raw: f1 {mc['f1'] - mr['f1']:+.4f}, speed {pc / pr:.0%} of raw")


if __name__ == "__main__":
    main()
