"""Print the blame pack's precision and recall on labelled sentences, and its real-text alarms.

A sentence counts as flagged when linting it alone (`--select blame`) gives any finding of
category `blame` at level warning or error; info hints do not count. Corpora scored:

- `../shared/corpus/blame-real/*.jsonl` (sentences modelled on ~330 public sources), split
  by source into a development part and a locked part (see `split_part`), each broken
  down by genre and by category. Misses are listed for the development part only: the
  locked part is measured, never read sentence by sentence.
- `tests/data/blame_corpus.jsonl`, `tests/data/blame_corpus_extra.jsonl` and
  `tests/data/blame_own.jsonl` (the repository's own sentences), and
  `../shared/corpus/blame-sentences.jsonl`, whichever are present.
- `../shared/corpus/real-postmortems/*.md`: the number of blame warnings and errors that
  `nofault lint --format json` gives on whole public postmortems (fewer is better: they are
  written blamelessly, so most are false alarms).

    python benchmarks/blame_accuracy.py [--corpus PATH ...] [--misses] [--no-postmortems]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from nofault.core.lint.config import LintConfig
from nofault.core.lint.engine import lint
from nofault.core.lint.packs.blame.learned import model

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "corpus"
REAL = SHARED / "blame-real"
REPO_CORPORA = (
    ROOT / "tests" / "data" / "blame_corpus.jsonl",
    ROOT / "tests" / "data" / "blame_corpus_extra.jsonl",
    ROOT / "tests" / "data" / "blame_own.jsonl",
    SHARED / "blame-sentences.jsonl",
)
POSTMORTEMS = SHARED / "real-postmortems"
CONFIG = LintConfig(select=["blame"])
# The rules and the learned second opinion (BLM601, a preview rule) together.
CONFIG_LEARNED = LintConfig(select=["blame"], preview=True)
LOCKED_PERCENT = 30


def source_key(url: str) -> str:
    """Return a source's identity for the split: host (without www.) and path."""
    parts = urlsplit(url.strip())
    return parts.netloc.lower().removeprefix("www.") + parts.path.rstrip("/")


def split_part(url: str) -> str:
    """Return "locked" for about 30% of sources, chosen by a stable hash, else "dev"."""
    digest = hashlib.sha256(source_key(url).encode("utf-8")).hexdigest()
    return "locked" if int(digest[:8], 16) % 100 < LOCKED_PERCENT else "dev"


def read_rows(paths: Iterable[Path]) -> list[dict[str, object]]:
    """Return the labelled rows of JSON Lines files."""
    return [
        json.loads(line)
        for path in paths
        for line in path.read_text("utf-8").splitlines()
        if line.strip()
    ]


def real_rows(part: str) -> list[dict[str, object]]:
    """Return the shared real-world rows of one part of the split ("dev" or "locked")."""
    rows = read_rows(sorted(REAL.glob("*.jsonl")))
    return [r for r in rows if split_part(str(r["modelled_on"])) == part]


def flagged(text: str, config: LintConfig = CONFIG) -> list[str]:
    """Return the codes of the warning-or-error blame findings for one sentence."""
    return [
        f.code
        for f in lint(text, config=config).findings
        if f.category == "blame" and f.level in ("warning", "error")
    ]


@dataclass
class Counts:
    """One confusion matrix."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, truth: bool, found: bool) -> None:
        """Count one sentence."""
        if truth:
            self.tp += found
            self.fn += not found
        else:
            self.fp += found
            self.tn += not found

    def line(self) -> str:
        """Return precision, recall and F1 with the counts behind them."""
        tp, fp, fn, tn = self.tp, self.fp, self.fn, self.tn
        p = tp / (tp + fp) if tp + fp else 1.0
        r = tp / (tp + fn) if tp + fn else 1.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        return f"P {p:.3f}  R {r:.3f}  F1 {f1:.3f}  (tp {tp}, fp {fp}, fn {fn}, tn {tn})"


@dataclass
class Score:
    """A corpus's counts in all, by genre and by category, with its misses."""

    label: str
    total: Counts = field(default_factory=Counts)
    by_genre: dict[str, Counts] = field(default_factory=dict)
    by_category: dict[str, Counts] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)
    learned: Counts = field(default_factory=Counts)  # the model alone
    combined: Counts = field(default_factory=Counts)  # the rules with the model (--preview)

    def add(self, row: dict[str, object]) -> None:
        """Lint one labelled sentence and count it."""
        text = str(row["text"])
        truth = bool(row["blameful"])
        codes = flagged(text)
        found = bool(codes)
        self.total.add(truth, found)
        self.learned.add(truth, model().flags(text))
        self.combined.add(truth, found or bool(flagged(text, CONFIG_LEARNED)))
        genre = str(row.get("genre") or "")
        if genre:
            self.by_genre.setdefault(genre, Counts()).add(truth, found)
        category = str(row.get("category") or "?")
        self.by_category.setdefault(category, Counts()).add(truth, found)
        if truth != found:
            label = f"[{','.join(sorted(set(codes)))}]" if found else f"[missed {category}]"
            self.misses.append(f"  {label} {text}")

    def report(self, *, misses: bool) -> None:
        """Print the figures, by genre and category, and (if asked) the misses."""
        n = self.total.tp + self.total.fp + self.total.fn + self.total.tn
        print(f"corpus: {self.label} ({n} sentences, {self.total.tp + self.total.fn} blameful)")
        print(f"  {'all':<24} {self.total.line()}")
        print(f"  {'model alone (BLM601)':<24} {self.learned.line()}")
        print(f"  {'rules + model':<24} {self.combined.line()}")
        for genre, counts in sorted(self.by_genre.items()):
            print(f"  genre {genre:<18} {counts.line()}")
        for category, counts in sorted(self.by_category.items()):
            if category == "none":
                flagged_none = counts.fp
                total = counts.fp + counts.tn
                print(f"  category {'none':<15} flagged {flagged_none}/{total} (false alarms)")
            else:
                found, total = counts.tp, counts.tp + counts.fn
                rate = found / total if total else 1.0
                print(f"  category {category:<15} recall {found}/{total} {rate:.2f}")
        if misses:
            print(f"  misses ({len(self.misses)}):")
            print("\n".join(self.misses))


def score(label: str, rows: Iterable[dict[str, object]]) -> Score:
    """Lint every sentence of some rows and return their score."""
    result = Score(label)
    for row in rows:
        result.add(row)
    return result


def postmortem_alarms(folder: Path, *, preview: bool = False) -> tuple[int, int]:
    """Return (files, blame warnings and errors) from `nofault lint --format json` on a folder."""
    files = sorted(p for p in folder.glob("*.md") if p.name != "SOURCES.md")
    nofault = Path(sys.executable).with_name("nofault")
    out = subprocess.run(
        [str(nofault), "lint", "--no-cache", *["--preview"] * preview, "--format=json", *files],
        capture_output=True,
        text=True,
        check=False,
    )
    report = json.loads(out.stdout)
    alarms = sum(
        1
        for entry in report["files"]
        for f in entry["findings"]
        if f["category"] == "blame" and f["level"] in ("warning", "error")
    )
    return len(files), alarms


def main(argv: list[str] | None = None) -> int:
    """Score every corpus present and print precision, recall and the real-text alarms."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, action="append", help="Only these (repeatable).")
    parser.add_argument("--misses", action="store_true", help="List the development misses.")
    parser.add_argument("--no-postmortems", action="store_true", help="Skip the whole files.")
    args = parser.parse_args(argv)
    print("command: python benchmarks/blame_accuracy.py")
    print("counts: each sentence linted alone with select=blame; flagged = any blame warning or")
    print("error (info hints do not count); P = tp/(tp+fp), R = tp/(tp+fn); `all` is the rules")
    print("alone, `model alone` the learned layer's score over its threshold, `rules + model`")
    print("the pack with its preview rule BLM601 on (lint --preview)")
    if args.corpus:
        for path in args.corpus:
            score(str(path), read_rows([path])).report(misses=args.misses)
        return 0
    if REAL.is_dir():
        print(f"split: by source (host+path of modelled_on), sha256 < {LOCKED_PERCENT}% → locked")
        dev, locked = real_rows("dev"), real_rows("locked")
        dev_sources = len({str(r["modelled_on"]) for r in dev})
        locked_sources = len({str(r["modelled_on"]) for r in locked})
        score(f"blame-real dev part ({dev_sources} sources)", dev).report(misses=args.misses)
        score(f"blame-real locked part ({locked_sources} sources)", locked).report(misses=False)
    for path in REPO_CORPORA:
        if path.is_file():
            label = str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)
            score(label, read_rows([path])).report(misses=args.misses)
    if POSTMORTEMS.is_dir() and not args.no_postmortems:
        files, alarms = postmortem_alarms(POSTMORTEMS)
        print(f"real postmortems: {alarms} blame warnings and errors in {files} files")
        print("  (nofault lint --no-cache --format json ../shared/corpus/real-postmortems/*.md)")
        files, alarms = postmortem_alarms(POSTMORTEMS, preview=True)
        print(f"  with the model (--preview): {alarms} blame warnings and errors in {files} files")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
