"""Train the blame pack's learned layer and write it as package data (model.json).

Trains a logistic regression on the features of `nofault.core.lint.packs.blame.learned`
(word uni- and bigrams, lower-cased, numbers and names normalised, plus the sentence's shape)
over the repository's own corpora (`tests/data/blame_corpus*.jsonl`, `tests/data/blame_own.jsonl`)
and the development part of `../shared/corpus/blame-real` (never its locked part; the split
is `benchmarks/blame_accuracy.py`'s `split_part`). The threshold is chosen by 5-fold
cross-validation over the development part, grouped by source: the highest recall of the
rules and the model together whose precision stays at the rules' own. The features kept are
the few thousand heaviest. Deterministic: fixed seed, sorted vocabulary, one thread.

Needs scikit-learn (the `insights` extra); nofault itself reads the file in plain Python.

    python scripts/train_blame_model.py [--out PATH] [--features N]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from blame_accuracy import flagged, read_rows, real_rows, source_key  # noqa: E402

from nofault.core.lint.packs.blame.learned import MODEL_PATH, Model, features  # noqa: E402

OWN = (
    ROOT / "tests" / "data" / "blame_corpus.jsonl",
    ROOT / "tests" / "data" / "blame_corpus_extra.jsonl",
    ROOT / "tests" / "data" / "blame_own.jsonl",
)
# The inverse of the regularisation strength; 2.0 did best of 0.5, 2 and 8 in cross-validation.
C = 2.0
COMMAND = "python scripts/train_blame_model.py"
Row = dict[str, object]


def fit(rows: list[Row], keep: int) -> Model:
    """Train on some rows and return the model pruned to its `keep` heaviest features."""
    vectoriser = DictVectorizer(sort=True)
    x = vectoriser.fit_transform([dict.fromkeys(features(str(r["text"])), 1) for r in rows])
    y = [bool(r["blameful"]) for r in rows]
    clf = LogisticRegression(C=C, solver="lbfgs", random_state=0, max_iter=2000)
    clf.fit(x, y)
    names = vectoriser.get_feature_names_out()
    pairs = sorted(zip(clf.coef_[0], names, strict=True), key=lambda p: (-abs(p[0]), p[1]))
    weights = {str(n): round(float(w), 4) for w, n in pairs[:keep] if w}
    return Model(dict(sorted(weights.items())), round(float(clf.intercept_[0]), 4), 0.0)


def precision_recall(truth: list[bool], found: list[bool]) -> tuple[float, float]:
    """Return precision and recall."""
    tp = sum(t and f for t, f in zip(truth, found, strict=True))
    fp = sum(f and not t for t, f in zip(truth, found, strict=True))
    fn = sum(t and not f for t, f in zip(truth, found, strict=True))
    return (tp / (tp + fp) if tp + fp else 1.0), (tp / (tp + fn) if tp + fn else 1.0)


def choose_threshold(truth: list[bool], rules: list[bool], scores: list[float]) -> float:
    """Return the threshold with the highest combined recall at the rules' precision or more."""
    floor, _ = precision_recall(truth, rules)
    best = (0.0, max(scores))  # (recall, threshold): by default the model never adds
    for t in sorted(set(scores)):
        found = [r or s > t for r, s in zip(rules, scores, strict=True)]
        p, r = precision_recall(truth, found)
        if p >= floor and (r, t) > best:
            best = (r, t)
    return best[1]


def main(argv: list[str] | None = None) -> int:
    """Cross-validate the threshold, train on everything and write the model."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument("--features", type=int, default=3000)
    args = parser.parse_args(argv)
    own = read_rows(OWN)
    dev = real_rows("dev")
    groups = [source_key(str(r["modelled_on"])) for r in dev]
    truth = [bool(r["blameful"]) for r in dev]
    rules = [bool(flagged(str(r["text"]))) for r in dev]
    scores = [0.0] * len(dev)
    for train, test in GroupKFold(n_splits=5).split(dev, groups=groups):
        model = fit(own + [dev[i] for i in train], args.features)
        for i in test:
            scores[i] = model.score(str(dev[i]["text"]))
    threshold = choose_threshold(truth, rules, scores)
    cv = {
        "rules": precision_recall(truth, rules),
        "model": precision_recall(truth, [s > threshold for s in scores]),
        "combined": precision_recall(
            truth, [r or s > threshold for r, s in zip(rules, scores, strict=True)]
        ),
    }
    final = fit(own + dev, args.features)
    data = {
        "about": "nofault blame pack: learned layer (logistic regression over word uni- and "
        "bigrams); read by nofault/core/lint/packs/blame/learned.py",
        "command": COMMAND,
        "training": {
            "sources": [str(p.relative_to(ROOT)) for p in OWN]
            + ["../shared/corpus/blame-real/*.jsonl, development part only (split_part)"],
            "sentences": len(own) + len(dev),
            "blameful": sum(bool(r["blameful"]) for r in own + dev),
        },
        "threshold_by": "5-fold cross-validation over the development part, grouped by source",
        "cross_validation": {
            k: {"precision": round(p, 3), "recall": round(r, 3)} for k, (p, r) in cv.items()
        },
        "bias": final.bias,
        "threshold": round(threshold, 4),
        "weights": final.weights,
    }
    args.out.write_text(json.dumps(data, indent=0, ensure_ascii=False) + "\n", "utf-8")
    for name, (p, r) in cv.items():
        print(f"cross-validated on the development part: {name:<9} P {p:.3f}  R {r:.3f}")
    print(f"threshold {threshold:.4f}; {len(final.weights)} features -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
