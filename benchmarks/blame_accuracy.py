"""Print the blame pack's precision and recall on a labelled corpus of sentences.

Each line of the corpus is a JSON object with `text`, `blameful` (bool), `category` and
`reason`. A sentence counts as flagged when linting it alone gives any finding of category
`blame` at level warning or error (info hints do not count).

    python benchmarks/blame_accuracy.py [--corpus PATH] [--quiet]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from nofault.core.lint.config import LintConfig
from nofault.core.lint.engine import lint

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT / "tests" / "data" / "blame_corpus.jsonl"
CONFIG = LintConfig(select=["blame"])


def flagged(text: str) -> list[str]:
    """Return the codes of the warning-or-error blame findings for one sentence."""
    return [
        f.code
        for f in lint(text, config=CONFIG).findings
        if f.category == "blame" and f.level in ("warning", "error")
    ]


def main(argv: list[str] | None = None) -> int:
    """Score the corpus and print precision, recall, F1 and the misses."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--quiet", action="store_true", help="Print the figures only.")
    args = parser.parse_args(argv)
    if not args.corpus.is_file():
        print(f"no corpus at {args.corpus}", file=sys.stderr)
        return 2
    rows = [
        json.loads(line) for line in args.corpus.read_text("utf-8").splitlines() if line.strip()
    ]
    tp = fp = fn = tn = 0
    by_category: Counter[str] = Counter()
    found_by_category: Counter[str] = Counter()
    false_pos: list[tuple[str, list[str]]] = []
    false_neg: list[tuple[str, str]] = []
    for row in rows:
        codes = flagged(row["text"])
        truth = bool(row["blameful"])
        if truth:
            by_category[row.get("category", "?")] += 1
            if codes:
                found_by_category[row.get("category", "?")] += 1
        if truth and codes:
            tp += 1
        elif truth:
            fn += 1
            false_neg.append((row["text"], row.get("category", "?")))
        elif codes:
            fp += 1
            false_pos.append((row["text"], codes))
        else:
            tn += 1
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    print(f"corpus: {args.corpus} ({len(rows)} sentences, {tp + fn} blameful)")
    print("method: each sentence linted alone with --select blame; flagged = any warning/error")
    print(f"precision {precision:.3f}  recall {recall:.3f}  F1 {f1:.3f}  "
          f"(tp {tp}, fp {fp}, fn {fn}, tn {tn})")  # fmt: skip
    print("recall by category:")
    for category, total in sorted(by_category.items()):
        print(f"  {category:<20} {found_by_category[category]:>3}/{total:<3} "
              f"{found_by_category[category] / total:.2f}")  # fmt: skip
    if not args.quiet:
        print(f"false positives ({len(false_pos)}):")
        for text, codes in false_pos:
            print(f"  [{','.join(sorted(set(codes)))}] {text}")
        print(f"false negatives ({len(false_neg)}):")
        for text, category in false_neg:
            print(f"  [{category}] {text}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
