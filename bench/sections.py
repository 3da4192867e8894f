"""Section classification: cupure's model beside a plain TF-IDF + linear model, in the same run.

- BBC News (2,225 articles, 98 repeated texts removed first): 5-fold accuracy and macro-F1.
- UCI headlines: train on March-April, test on May (categories b, t, e, m).

    .venv/bin/python bench/sections.py
"""

from __future__ import annotations

import csv
import datetime
import gzip
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data"


def plain():
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    model = make_pipeline(TfidfVectorizer(), LogisticRegression(max_iter=1000))

    class Plain:
        def fit(self, docs, labels):
            model.fit([f"{t}\n{x}" for t, x in docs], labels)
            return self

        def predict(self, docs):
            return [(p, 1.0) for p in model.predict([f"{t}\n{x}" for t, x in docs])]

    return Plain()


def scores(truth, pred):
    from sklearn.metrics import accuracy_score, f1_score

    return accuracy_score(truth, pred), f1_score(truth, pred, average="macro")


def bbc(models):
    import numpy as np
    from sklearn.model_selection import StratifiedKFold

    rows, seen = [], set()
    for line in (DATA / "sections" / "bbc_news.jsonl").read_text().splitlines():
        r = json.loads(line)
        if r["text"] not in seen:
            seen.add(r["text"])
            rows.append(r)
    docs = [(r.get("title") or "", r["text"]) for r in rows]
    labels = np.array([r["category"] for r in rows])
    for name, make in models:
        accs, f1s, start = [], [], time.perf_counter()
        for train, test in StratifiedKFold(5, shuffle=True, random_state=0).split(docs, labels):
            m = make().fit([docs[i] for i in train], list(labels[train]))
            acc, f1 = scores(labels[test], [p for p, _ in m.predict([docs[i] for i in test])])
            accs.append(acc)
            f1s.append(f1)
        print(
            f"BBC 5-fold ({len(rows)} articles)  {name:28s} accuracy {np.mean(accs):.4f}  macro-F1 {np.mean(f1s):.4f}"
            f"  ({time.perf_counter() - start:.1f} s)"
        )


def uci(models):
    train, test = [], []
    with gzip.open(DATA / "clustering" / "uci-news-aggregator-dev.tsv.gz", "rt", encoding="utf-8") as f:
        for row in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            month = datetime.datetime.fromtimestamp(int(row[7]) / 1000, datetime.UTC).month
            (test if month == 5 else train).append(((row[1], ""), row[4]))
    for name, make in models:
        start = time.perf_counter()
        m = make().fit([d for d, _ in train], [c for _, c in train])
        acc, f1 = scores([c for _, c in test], [p for p, _ in m.predict([d for d, _ in test])])
        print(
            f"UCI Mar-Apr -> May ({len(train):,} / {len(test):,})  {name:28s} accuracy {acc:.4f}  macro-F1 {f1:.4f}"
            f"  ({time.perf_counter() - start:.1f} s)"
        )


def main():
    if not (DATA / "sections" / "bbc_news.jsonl").exists():
        raise SystemExit(f"skipped: no section data at {DATA}")
    from cupure.analysis.sections import SectionModel

    models = [("plain TF-IDF + logistic reg.", plain), ("cupure SectionModel", SectionModel)]
    bbc(models)
    uci(models)


if __name__ == "__main__":
    main()
