"""Print the blame pack's precision and recall on labelled corpora of sentences.

Each line of a corpus is a JSON object with `text`, `blameful` (bool), `category`, `reason`
and `source`. A sentence counts as flagged when linting it alone gives any finding of
category `blame` at level warning or error (info hints do not count).

By default both repo corpora are scored: `tests/data/blame_corpus.jsonl` (the development
corpus the pack was first tuned on) and `tests/data/blame_corpus_extra.jsonl` (sentences
written later, with hard negatives for every newer pattern), then the two together.

    python benchmarks/blame_accuracy.py [--corpus PATH ...] [--quiet]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from nofault.core.lint.config import LintConfig
from nofault.core.lint.engine import lint

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPORA = (
    ROOT / "tests" / "data" / "blame_corpus.jsonl",
    ROOT / "tests" / "data" / "blame_corpus_extra.jsonl",
)
CONFIG = LintConfig(select=["blame"])


def flagged(text: str) -> list[str]:
    """Return the codes of the warning-or-error blame findings for one sentence."""
    return [
        f.code
        for f in lint(text, config=CONFIG).findings
        if f.category == "blame" and f.level in ("warning", "error")
    ]


@dataclass
class Score:
    """Counts of one corpus's confusion matrix, by category, with the misses."""

    label: str
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    by_category: Counter[str] = field(default_factory=Counter)
    found_by_category: Counter[str] = field(default_factory=Counter)
    false_pos: list[tuple[str, list[str]]] = field(default_factory=list)
    false_neg: list[tuple[str, str]] = field(default_factory=list)

    def add(self, row: dict[str, object]) -> None:
        """Lint one labelled sentence and count it."""
        text = str(row["text"])
        category = str(row.get("category", "?"))
        codes = flagged(text)
        truth = bool(row["blameful"])
        if truth:
            self.by_category[category] += 1
            self.found_by_category[category] += bool(codes)
        if truth and codes:
            self.tp += 1
        elif truth:
            self.fn += 1
            self.false_neg.append((text, category))
        elif codes:
            self.fp += 1
            self.false_pos.append((text, codes))
        else:
            self.tn += 1

    def merge(self, other: Score) -> None:
        """Add another corpus's counts to this one."""
        self.tp, self.fp, self.fn, self.tn = (
            self.tp + other.tp,
            self.fp + other.fp,
            self.fn + other.fn,
            self.tn + other.tn,
        )
        self.by_category.update(other.by_category)
        self.found_by_category.update(other.found_by_category)

    def report(self, *, quiet: bool) -> None:
        """Print precision, recall, F1, recall by category and (unless quiet) the misses."""
        tp, fp, fn, tn = self.tp, self.fp, self.fn, self.tn
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        print(f"corpus: {self.label} ({tp + fp + fn + tn} sentences, {tp + fn} blameful)")
        print(f"precision {precision:.3f}  recall {recall:.3f}  F1 {f1:.3f}  "
              f"(tp {tp}, fp {fp}, fn {fn}, tn {tn})")  # fmt: skip
        print("recall by category:")
        for category, total in sorted(self.by_category.items()):
            found = self.found_by_category[category]
            print(f"  {category:<20} {found:>3}/{total:<3} {found / total:.2f}")
        if not quiet:
            print(f"false positives ({len(self.false_pos)}):")
            for text, codes in self.false_pos:
                print(f"  [{','.join(sorted(set(codes)))}] {text}")
            print(f"false negatives ({len(self.false_neg)}):")
            for text, category in self.false_neg:
                print(f"  [{category}] {text}")


def score(path: Path) -> Score:
    """Lint every sentence of one corpus file and return its score."""
    result = Score(str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path))
    for line in path.read_text("utf-8").splitlines():
        if line.strip():
            result.add(json.loads(line))
    return result


def main(argv: list[str] | None = None) -> int:
    """Score each corpus (and their sum) and print precision, recall, F1 and the misses."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, action="append", help="Repeatable.")
    parser.add_argument("--quiet", action="store_true", help="Print the figures only.")
    args = parser.parse_args(argv)
    corpora = args.corpus or [p for p in DEFAULT_CORPORA if p.is_file()]
    missing = [p for p in corpora if not p.is_file()]
    if missing or not corpora:
        print(f"no corpus at {', '.join(map(str, missing)) or 'tests/data'}", file=sys.stderr)
        return 2
    print("method: each sentence linted alone with --select blame; flagged = any warning/error")
    scores = [score(path) for path in corpora]
    for result in scores:
        result.report(quiet=args.quiet)
    if len(scores) > 1:
        total = Score("all of the above")
        for result in scores:
            total.merge(result)
        total.report(quiet=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
