"""Similar-postmortem quality on the labelled pairs in tests/data/similar_pairs/.

Run: .venv/bin/python benchmarks/similar_quality.py

The index is built over every postmortem in the set (164: each pair's two sides plus the
decoys), so each query competes against all the other failures. For every related pair, each
side is the query in turn and we ask whether the other side is among the five most similar
(recall@5). For every anchor with a decoy (same service and words, different failure) we ask
whether the decoy scores above the related postmortem (lower is better). A plain word TF-IDF
(scikit-learn defaults, English stop words, no synonyms, no character n-grams) is printed
beside it as the baseline.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import yaml
from sklearn.feature_extraction.text import TfidfVectorizer

from nofault.core.insights.corpus import load_folder
from nofault.core.insights.records import PostmortemRecord
from nofault.core.insights.similar import SimilarityIndex

SET = Path(__file__).parents[1] / "tests" / "data" / "similar_pairs"


def _plain_text(r: PostmortemRecord) -> str:
    return " ".join([r.title, r.summary, *(f.text for f in r.factors), *r.timeline, r.analysis])


def evaluate(score_row, keys: list[str], pairs: list[dict]) -> tuple[float, float, int, int]:
    """Return recall@5, the share of decoys above the related one, and the two counts."""
    index = {k: i for i, k in enumerate(keys)}
    hits = queries = 0
    for pair in pairs:
        for query, wanted in ((pair["anchor"], pair["related"]), (pair["related"], pair["anchor"])):
            scores = score_row(index[query]).copy()
            scores[index[query]] = -np.inf
            top5 = np.argsort(-scores, kind="stable")[:5]
            hits += index[wanted] in top5
            queries += 1
    above = decoys = 0
    for pair in pairs:
        if "unrelated" not in pair:
            continue
        scores = score_row(index[pair["anchor"]])
        above += scores[index[pair["unrelated"]]] > scores[index[pair["related"]]]
        decoys += 1
    return hits / queries, above / decoys, queries, decoys


def main() -> int:
    """Print recall@5 and the decoy share for nofault's index and for plain TF-IDF."""
    pairs = yaml.safe_load((SET / "pairs.yaml").read_text(encoding="utf-8"))
    records = load_folder(SET)
    keys = [r.key for r in records]
    built = SimilarityIndex.build(records)
    plain = TfidfVectorizer(stop_words="english").fit_transform([_plain_text(r) for r in records])
    rows = {
        "nofault (words+chars, synonyms)": lambda i: built.scores(records[i]),
        "baseline (plain word TF-IDF)": lambda i: (plain @ plain[i].T).toarray().ravel(),
    }
    print(
        f"labelled set: {len(pairs)} related pairs, "
        f"{sum('unrelated' in p for p in pairs)} unrelated (shared-word) pairs, "
        f"{len(records)} postmortems in the index"
    )
    print(f"{'index':<34} {'recall@5':>9} {'unrelated above related':>24}")
    for name, row in rows.items():
        recall, above, queries, decoys = evaluate(row, keys, pairs)
        print(f"{name:<34} {recall:>9.1%} {above:>17.1%} of {decoys}   ({queries} queries)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
