"""Similar-incident quality: real incidents told by different organisations, split by organisation.

Run: .venv/bin/python benchmarks/similar_quality.py

The set is tests/data/similar_incidents/: 150 real incidents in 40 failure classes, each class
told by at least three organisations in their own words, plus distractors that share a class's
words but not its failure (README.md there). The organisations are split in two by a hash of
their name (CRC-32 modulo 5 below 2: held out), fixed before any tuning: nofault's choices
(the concept weight, the views kept, the `likely` threshold) were made on the development
organisations only, and the held-out ones are read here for the report.

Each half is its own corpus: the index is built over that half's incidents, and every incident
whose class has another member in the half is a query. recall@5 is the share of the other
members of its class found among the five most similar (distractors are never relevant);
hit@5 is the share of queries with at least one. Beside nofault: plain word TF-IDF
(scikit-learn's defaults with English stop words), BM25 over the same plain words, nofault's
index without its concepts, and two views that were tried and left out (character n-grams,
LSA over the indexed corpus) blended in. Then the `likely` threshold: the lowest score at which
at least 70% of the development organisations' top-5 matches are of the same class, and what
it gives on the held-out organisations. Last, the hand-written pairs of tests/data/similar_pairs/
as before (recall@5 of the related side, share of decoys ranked above it).
"""

from __future__ import annotations

import math
import sys
import zlib
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import scipy.sparse as sp
import yaml
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.preprocessing import normalize

from nofault.core.insights.corpus import load_folder
from nofault.core.insights.records import PostmortemRecord
from nofault.core.insights.similar import LIKELY_SCORE, SimilarityIndex, postmortem_text
from nofault.core.insights.terms import read_text

DATA = Path(__file__).parents[1] / "tests" / "data"
SET = DATA / "similar_incidents"
PAIRS = DATA / "similar_pairs"
PRECISION_FOR_LIKELY = 0.7

Scorer = Callable[[int], np.ndarray]


def held_out(org: str) -> bool:
    """Tell whether an organisation is in the held-out half (fixed by a hash of its name)."""
    return zlib.crc32(org.encode("utf-8")) % 5 < 2


def recall_at_5(classes: Sequence[str], score: Scorer) -> tuple[float, float, int]:
    """Return mean recall@5, hit@5 and the number of queries over one corpus."""
    recalls, hits = [], []
    for i, cls in enumerate(classes):
        relevant = {j for j, c in enumerate(classes) if c == cls and j != i and c}
        if not relevant:
            continue
        scores = np.asarray(score(i), dtype=np.float64).copy()
        scores[i] = -np.inf
        top = set(np.argsort(-scores, kind="stable")[:5].tolist())
        recalls.append(len(relevant & top) / min(len(relevant), 5))
        hits.append(bool(relevant & top))
    return float(np.mean(recalls)), float(np.mean(hits)), len(recalls)


def _cosine_rows(matrix: sp.csr_matrix) -> Scorer:
    return lambda i: (matrix @ matrix[i].T).toarray().ravel()


def plain_tfidf(records: Sequence[PostmortemRecord]) -> Scorer:
    """Word TF-IDF with scikit-learn's defaults and English stop words: the baseline."""
    texts = [postmortem_text(r) for r in records]
    return _cosine_rows(TfidfVectorizer(stop_words="english").fit_transform(texts).tocsr())


def bm25(records: Sequence[PostmortemRecord], k1: float = 1.2, b: float = 0.75) -> Scorer:
    """Okapi BM25 over the same plain words, each postmortem's words as the query."""
    counts = CountVectorizer(stop_words="english").fit_transform(
        [postmortem_text(r) for r in records]
    ).tocsr().astype(np.float64)  # fmt: skip
    n = counts.shape[0]
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    idf = np.log(1 + (n - df + 0.5) / (df + 0.5))
    lengths = np.asarray(counts.sum(axis=1)).ravel()
    coo = counts.tocoo()
    norm = k1 * (1 - b + b * lengths[coo.row] / lengths.mean())
    weights = coo.data * (k1 + 1) / (coo.data + norm) * idf[coo.col]
    matrix = sp.csr_matrix((weights, (coo.row, coo.col)), shape=counts.shape)
    present = (counts > 0).astype(np.float64).tocsr()
    return lambda i: (matrix @ present[i].T).toarray().ravel()


def nofault_views(records: Sequence[PostmortemRecord]) -> dict[str, Scorer]:
    """nofault's index, its words alone, and it blended with the views that were left out."""
    index = SimilarityIndex.build(records)
    readings = [read_text(postmortem_text(r)) for r in records]
    words = [index.words.cosines(index.words.vector(r.words)) for r in readings]
    full = [index.scores(r) for r in records]
    short = [f"{r.title} {r.summary} {' '.join(f.text for f in r.factors)}" for r in records]
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True,
                            max_df=0.5).fit_transform(short).tocsr()  # fmt: skip
    views = [index.words, index.concepts]
    joint = normalize(sp.hstack([sp.csr_matrix(v.arrays()[::-1], shape=(len(v.vocabulary), len(records))).T
                                 for v in views]).tocsr())  # fmt: skip
    lsa = TruncatedSVD(min(30, len(records) - 1), random_state=0).fit_transform(joint)
    lsa = lsa / (np.linalg.norm(lsa, axis=1, keepdims=True) + 1e-12)
    return {
        "nofault (words + concepts)": lambda i: full[i],
        "nofault words only": lambda i: words[i],
        "  + character n-grams (left out)": lambda i: (
            full[i] + 0.25 * (chars @ chars[i].T).toarray().ravel()
        ),
        "  + LSA of the corpus (left out)": lambda i: full[i] + 0.3 * (lsa @ lsa[i]),
    }


def likely_threshold(classes: Sequence[str], score: Scorer) -> list[tuple[float, bool]]:
    """Each query's five best matches as (score, same class), best first."""
    matches = []
    for i, cls in enumerate(classes):
        scores = np.asarray(score(i), dtype=np.float64).copy()
        scores[i] = -np.inf
        for j in np.argsort(-scores, kind="stable")[:5]:
            matches.append((float(scores[j]), bool(cls) and classes[j] == cls))
    return sorted(matches, reverse=True)


def _precision(matches: list[tuple[float, bool]], threshold: float) -> tuple[float, float, int]:
    above = [same for s, same in matches if s >= threshold]
    same_total = sum(same for _, same in matches) or 1
    return sum(above) / max(len(above), 1), sum(above) / same_total, len(above)


def similar_incidents() -> None:
    """Print recall@5 on the development and held-out organisations, and the threshold."""
    entries = {e["file"]: e for e in yaml.safe_load((SET / "incidents.yaml").read_text("utf-8"))}
    records = load_folder(SET)
    classes_all = Counter(e["class"] for e in entries.values() if "near" not in e)
    orgs = {e["org"] for e in entries.values()}
    print(
        f"similar incidents: {len(records)} incidents, "
        f"{sum(n >= 3 for n in classes_all.values())} classes told by 3 or more, "
        f"{sum('near' in e for e in entries.values())} distractors, {len(orgs)} organisations "
        f"({sum(held_out(o) for o in orgs)} held out)"
    )
    print(f"{'':34} {'development':>22} {'held-out':>22}")
    print(f"{'index':34} {'recall@5':>10} {'hit@5':>11} {'recall@5':>10} {'hit@5':>11}")
    halves = {}
    for name in ("development", "held-out"):
        part = [r for r in records if held_out(entries[r.key]["org"]) == (name == "held-out")]
        # A distractor is nobody's relevant match: its class is the empty string.
        classes = ["" if "near" in entries[r.key] else entries[r.key]["class"] for r in part]
        rows = {**nofault_views(part), "plain word TF-IDF (baseline)": plain_tfidf(part),
                "BM25 (baseline)": bm25(part)}  # fmt: skip
        halves[name] = (classes, rows, len(part))
    for row in halves["development"][1]:
        cells = []
        for name in ("development", "held-out"):
            classes, rows, _ = halves[name]
            recall, hit, queries = recall_at_5(classes, rows[row])
            cells.append(f"{recall:>10.1%} {hit:>6.1%} ({queries:>2})")
        print(f"{row:34} {cells[0]:>22} {cells[1]:>22}")
    for name in ("development", "held-out"):
        print(f"  {name}: {halves[name][2]} incidents in the index")

    dev_classes, dev_rows, _ = halves["development"]
    dev = likely_threshold(dev_classes, dev_rows["nofault (words + concepts)"])
    steps = [round(0.05 * k, 2) for k in range(1, 20)]
    chosen = next(t for t in steps if _precision(dev, t)[0] >= PRECISION_FOR_LIKELY)
    test_classes, test_rows, _ = halves["held-out"]
    test = likely_threshold(test_classes, test_rows["nofault (words + concepts)"])
    print(
        f"likely: the lowest score with >= {PRECISION_FOR_LIKELY:.0%} of the development top-5 "
        f"matches of the same class is {chosen:.2f} (LIKELY_SCORE in similar.py is "
        f"{LIKELY_SCORE:.2f})"
    )
    for name, matches in (("development", dev), ("held-out", test)):
        precision, share, count = _precision(matches, LIKELY_SCORE)
        print(f"  {name}: {count} top-5 matches at or above {LIKELY_SCORE:.2f}, "
              f"{precision:.0%} of them the same class; they are {share:.0%} of the "
              f"same-class matches in the top 5")  # fmt: skip


def hand_written_pairs() -> None:
    """Print recall@5 and the decoy share on tests/data/similar_pairs/ (written for nofault)."""
    pairs = yaml.safe_load((PAIRS / "pairs.yaml").read_text(encoding="utf-8"))
    records = load_folder(PAIRS)
    keys = {r.key: i for i, r in enumerate(records)}
    index = SimilarityIndex.build(records)
    rows = {"nofault": lambda i: index.scores(records[i]),
            "plain word TF-IDF (baseline)": plain_tfidf(records)}  # fmt: skip
    print(f"hand-written pairs: {len(pairs)} related pairs, "
          f"{sum('unrelated' in p for p in pairs)} with a decoy, {len(records)} postmortems")  # fmt: skip
    for name, score in rows.items():
        hits = queries = above = decoys = 0
        for pair in pairs:
            for q, wanted in ((pair["anchor"], pair["related"]), (pair["related"], pair["anchor"])):
                scores = np.asarray(score(keys[q]), dtype=np.float64).copy()
                scores[keys[q]] = -math.inf
                hits += keys[wanted] in np.argsort(-scores, kind="stable")[:5]
                queries += 1
            if "unrelated" in pair:
                scores = np.asarray(score(keys[pair["anchor"]]))
                above += scores[keys[pair["unrelated"]]] > scores[keys[pair["related"]]]
                decoys += 1
        print(f"  {name:32} recall@5 {hits / queries:6.1%}   decoy above related "
              f"{above / decoys:6.1%} of {decoys}")  # fmt: skip


def main() -> int:
    """Print the figures."""
    similar_incidents()
    hand_written_pairs()
    return 0


if __name__ == "__main__":
    sys.exit(main())
