"""Extraction quality and speed on the article-extraction-benchmark pages.

Runs cupure's extractor and raw ``trafilatura.extract`` (defaults) over the
same 181 pages in one process, scores both with the shared scorer and prints
F1/precision/recall and pages per second for each, and how each keeps the
truth's paragraphs apart:

- breaks kept: of the truth's paragraph breaks whose words both sides of the
  break the prediction holds, the share it keeps as a break (not glued into
  one paragraph);
- glued joins: "a.B" sentence joins (a sentence end touching the next
  sentence's capital, no space) in the prediction that the truth does not have.

    .venv/bin/python bench/extraction.py [--data ../shared/data/extraction/aeb]
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import re
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


WORD = re.compile(r"\w+", re.UNICODE)
BREAK = "\x00"
GLUED_CANDIDATE = re.compile(r"([^\W\d_])([.!?][\"”’)]?)([^\W\d_])", re.UNICODE)


def _stream(text: str) -> list[str]:
    """The text's words with BREAK between paragraphs (lines)."""
    out: list[str] = []
    for line in (text or "").split("\n"):
        words = WORD.findall(line.lower())
        if words:
            if out:
                out.append(BREAK)
            out.extend(words)
    return out


def breaks(truth: str, pred: str) -> tuple[int, int]:
    """(kept, glued): the truth's paragraph breaks, found in the prediction as a break or glued, matched on
    the two words before and after each break."""
    index: dict[tuple, list[int]] = {}
    stream = _stream(pred)
    words = [w for w in stream if w != BREAK]
    positions = [i for i, w in enumerate(stream) if w != BREAK]
    for j in range(len(words) - 3):
        index.setdefault(tuple(words[j : j + 4]), []).append(j)
    kept = glued = 0
    paragraphs = [WORD.findall(line.lower()) for line in truth.split("\n")]
    paragraphs = [p for p in paragraphs if p]
    for before, after in zip(paragraphs, paragraphs[1:]):
        if len(before) < 2 or len(after) < 2:
            continue
        hits = index.get(tuple(before[-2:] + after[:2]), [])
        if not hits:
            continue
        # A break lies between the 2nd and 3rd word of the match: their stream positions are not adjacent.
        if any(positions[j + 2] - positions[j + 1] > 1 for j in hits):
            kept += 1
        else:
            glued += 1
    return kept, glued


def _glued(text: str) -> list[str]:
    """ "a.B": a lower-case letter, a sentence end, an upper-case letter, no space (not "U.S." nor "e.g.")."""
    return [m.group(0) for m in GLUED_CANDIDATE.finditer(text or "") if m.group(1).islower() and m.group(3).isupper()]


def glued_joins(truth: str, pred: str) -> int:
    """Sentence joins without a space in the prediction that the truth does not have."""
    allowed = set(_glued(truth))
    return sum(1 for g in _glued(pred) if g not in allowed)


def paragraph_figures(truth: dict, pred: dict) -> dict:
    kept = glued = joins = 0
    under = 0
    for key, item in truth.items():
        k, g = breaks(item["articleBody"], pred[key]["articleBody"])
        kept, glued = kept + k, glued + g
        if k + g and k / (k + g) < 0.8:
            under += 1
        joins += glued_joins(item["articleBody"], pred[key]["articleBody"])
    return {"breaks_kept": kept / max(1, kept + glued), "pages_under_80": under, "glued_joins": joins}


def run_interleaved(fns: dict, pages) -> dict:
    """Each function over every page, taking turns page by page, so that the machine's ups and downs
    (another process, the CPU's clock) fall on all of them alike. Returns {name: (predictions, pages/s)}."""
    out = {name: {} for name in fns}
    spent = dict.fromkeys(fns, 0.0)
    for key, (raw, url) in pages.items():
        for name, fn in fns.items():
            start = time.perf_counter()
            out[name][key] = {"articleBody": fn(raw, url) or ""}
            spent[name] += time.perf_counter() - start
    return {name: (out[name], len(pages) / spent[name]) for name in fns}


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

    def cupure_fn(raw, url, full_metadata=True):
        try:
            return extract_article(raw, url, full_metadata=full_metadata).text
        except ExtractionError:
            return ""

    def raw_fn(raw, url):
        # Raw trafilatura gets the same decoded text cupure works from, so only extraction is compared.
        return trafilatura.extract(decode(raw), url=url or None)

    fns = {
        "trafilatura.extract (defaults)": raw_fn,
        "cupure extract": cupure_fn,
        # What ingestion runs when the feed gave the title and the date: the page's <head> tags only.
        "cupure extract, feed metadata": lambda raw, url: cupure_fn(raw, url, full_metadata=False),
    }
    results = run_interleaved(fns, pages)
    for name, (pred, pps) in results.items():
        m = scorer.score(truth, pred)
        para = paragraph_figures(truth, pred)
        results[name] = (m, pps)
        print(
            f"{name:32s} f1={m['f1']:.4f} precision={m['precision']:.4f} recall={m['recall']:.4f} "
            f"empty={m['empty']} pages/s={pps:.1f} breaks_kept={para['breaks_kept']:.3f} "
            f"pages_under_80%={para['pages_under_80']} glued_joins={para['glued_joins']}"
        )
        if args.save and name == "cupure extract":
            args.save.write_text(json.dumps(pred))
    (mr, pr) = results["trafilatura.extract (defaults)"]
    for name in ("cupure extract", "cupure extract, feed metadata"):
        mc, pc = results[name]
        print(f"{name} vs raw: f1 {mc['f1'] - mr['f1']:+.4f}, speed {pc / pr:.0%} of raw")


if __name__ == "__main__":
    main()
