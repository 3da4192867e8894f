"""How far the clusterer's own features can go on the UCI headlines, measured with the answer in hand.

bench/clustering.py scores what `cupure cluster` finds. This asks a different question: if the gold
stories of each day were known, and every headline were put back into the gold story its features make
it most similar to (leaving the headline itself out of that story), how well would the result score?
No clustering method that decides by these similarities can be expected to do better than the best of
these re-assignments, because each of them starts from the answer. A score here below the issue's target
(pairwise F1 0.85) means the target needs information the headlines' words do not carry.

Three ways of comparing a headline with a story, all over the vectors StoryClusterer builds (title,
URL slug; document frequencies of the whole stream):
- mean: the mean cosine to the story's headlines (what average-linkage consolidation uses);
- centroid: the cosine to the story's vector sum (what the online join uses);
- between: the dot product with the sum over the sum's norm to the power 0.75.

A last line measures the gold itself: the same day's gold stories whose centroids are alike above 0.5
merged, scored against the gold as it is. It shows how much of the score turns on where Google News
drew the line between near-identical stories of one day.

    .venv/bin/python bench/clustering_ceiling.py [--limit-days N]
"""
from __future__ import annotations

import sys
import tempfile
from collections import defaultdict
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

from clustering import ROOT, scorer, uci_args, uci_stream

sys.path.insert(0, str(ROOT))

from cupure.analysis.stories import StoryClusterer, as_matrix  # noqa: E402
from cupure.analysis.streams import read_items  # noqa: E402


def day_matrices(stream: Path) -> list[tuple]:
    """Per day: (day, item ids, the items' unit vectors as the rows of one sparse matrix)."""
    with open(stream) as f:
        items = list(read_items(f, lambda n, m: None))
    model = StoryClusterer()
    features = [model.features(item) for item in items]
    for tf in features:  # document frequencies of the whole stream: a little kinder than the online ones
        model.df.update(tf.keys())
    model.n_docs = len(items)
    days: dict = defaultdict(list)
    for item, tf in zip(items, features):
        days[item.published.date()].append((str(item.id), model.vector(tf)))
    return [(day, [ident for ident, _ in days[day]], as_matrix([vec for _, vec in days[day]])) for day in sorted(days)]


def main() -> None:
    args = uci_args()
    sc = scorer()
    with tempfile.TemporaryDirectory() as t:
        stream, gold_path = uci_stream(Path(t), args.limit_days)
        gold = sc.load(str(gold_path))
        days = day_matrices(stream)

    ways = {"mean": {}, "centroid": {}, "between": {}}
    merged_gold: dict[str, str] = {}
    for day, ids, vectors in days:
        n = len(ids)
        labels = {label: k for k, label in enumerate(sorted({gold[i] for i in ids}))}
        y = np.array([labels[gold[i]] for i in ids])
        sums = csr_matrix((np.ones(n), (y, np.arange(n))), shape=(len(labels), n)) @ vectors
        dots = np.asarray((vectors @ sums.T).todense())
        own = np.asarray(vectors.multiply(vectors).sum(axis=1)).ravel()
        at = (np.arange(n), y)
        # leave the headline out of its own story: its sum, size and squared norm without it
        sq_norm = np.tile(np.asarray(sums.multiply(sums).sum(axis=1)).ravel(), (n, 1))
        sq_norm[at] += own - 2 * dots[at]
        dots[at] -= own
        size = np.tile(np.bincount(y, minlength=len(labels)).astype(float), (n, 1))
        size[at] -= 1
        empty = size < 1
        scores = {"mean": dots / np.maximum(size, 1),
                  "centroid": dots / np.sqrt(np.maximum(sq_norm, 1e-12)),
                  "between": dots / np.maximum(sq_norm, 1e-12) ** 0.375}
        for way, s in scores.items():
            s[empty] = -np.inf
            for ident, k in zip(ids, s.argmax(axis=1)):
                ways[way][ident] = f"{day}/{k}"
        # the gold's own near-duplicates: the day's stories joined wherever their centroids are alike above 0.5
        unit = sums.multiply(1 / np.sqrt(np.maximum(sums.multiply(sums).sum(axis=1), 1e-12))).tocsr()
        _, group = connected_components(csr_matrix((unit @ unit.T).toarray() > 0.5), directed=False)
        for ident, k in zip(ids, y):
            merged_gold[ident] = f"{day}/{group[k]}"

    print(f"UCI headlines ({len(gold):,}), every headline put back into a gold story of its day:")
    for way, pred in ways.items():
        m = sc.score(gold, pred)
        print(f"  by {way:9s} pairwise F1 {m['pairwise_f1']:.3f} (P {m['pairwise_p']:.3f} R {m['pairwise_r']:.3f})"
              f"  BCubed F1 {m['bcubed_f1']:.3f}")
    m = sc.score(gold, merged_gold)
    print(f"  the gold with its alike same-day stories merged: pairwise F1 {m['pairwise_f1']:.3f} "
          f"(P {m['pairwise_p']:.3f}), {m['pred_clusters']:,} stories for {m['gold_clusters']:,}")


if __name__ == "__main__":
    main()
