"""Print how many published values and principles get guide practices drawn from their own words.

Corpus: `../shared/corpus/org-values/<org>-values.md` and `<org>-principles.md` (the values and
principles organisations publish, each with its source in SOURCES.md). Each organisation's
guide is built with every registered rule, and each of its statements is judged.

Rubric, "practices from its own words" (all three must hold):
1. at least one practice printed for the statement quotes a clause of the statement's own
   description word for word (a clause of three words or more, as `words.clauses` cuts it);
2. that practice names the stage of the process it shapes;
3. none of the statement's practices is a copy of one printed for another statement of the
   same organisation (each practice is printed once).
A statement published with a name only (no description) cannot meet the rubric; those are
counted apart, as is the "To complete" box (a statement with no practice at all).

The second figure, "with a theme's practice tied to a clause", counts those whose quoting
practice is a knowledge-base practice chosen by the clause's words, not only the question
form used for a clause no theme fits ("In the review, ask how the incident bore on “…”").

Mapping (the measure of closest themes): each statement is counted as recognised (a theme
matched by its name or description), given the closest themes to confirm, or left with none.
Whether a closest theme fits is a judgement this script does not make; `--show` prints them
with their shared words so a reader can judge.

Split by source: organisations are split into a development part and a held-out part by a
hash of the organisation's file name (`part`), so the parts stay fixed as files are added.
The rules were developed while reading the output for the development part and for the first
dozen files in alphabetical order; the figures for both parts are printed.

    python benchmarks/guide_values.py [--corpus DIR] [--show]
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

from nofault.core.guide import GuideConfig, Inputs, StatementKind, read_statements
from nofault.core.guide.build import GuideBuilder
from nofault.core.guide.knowledge import MatchedBy
from nofault.core.guide.words import clauses
from nofault.core.lint.registry import all_rules

CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus" / "org-values"


def part(org: str) -> str:
    """The part an organisation belongs to: 'development' or 'held-out'."""
    return "development" if hashlib.sha256(org.encode()).digest()[0] % 2 == 0 else "held-out"


def organisations(corpus: Path) -> dict[str, Inputs]:
    """Each organisation's values and principles, by the slug of its files."""
    out: dict[str, Inputs] = {}
    for path in sorted(corpus.glob("*-values.md")):
        org = path.name.removesuffix("-values.md")
        principles = corpus / f"{org}-principles.md"
        out[org] = Inputs(
            values=read_statements(path, StatementKind.VALUE),
            principles=read_statements(principles, StatementKind.PRINCIPLE)
            if principles.exists()
            else [],
        )
    return out


def judge(org: str, inputs: Inputs, show: bool) -> Counter[str]:
    """Build one organisation's guide and count its statements against the rubric."""
    config = GuideConfig.model_validate({"organisation": {"name": org}})
    builder = GuideBuilder(inputs, config, all_rules(), date(2026, 1, 1))
    builder.build()
    counts: Counter[str] = Counter()
    for trace in builder.traces:
        s = trace.statement
        mine = [p for p in builder.practices if s in p.sources]
        shared = any(len(p.sources) > 1 for p in mine)
        own_clauses = set(clauses(s.description))
        quoting = [p for p in mine if p.words in own_clauses and p.stage is not None]
        counts["statements"] += 1
        if not s.description.strip():
            counts["name only"] += 1
        if not mine:
            counts["to complete"] += 1
        if quoting and not shared:
            counts["own words"] += 1
            # A practice from a theme tied to the words, rather than the question that quotes
            # a clause no theme fits ("ask how the incident bore on “…”").
            if any(f"“{p.words}”" not in p.text for p in quoting):
                counts["own words, theme practice"] += 1
        counts[f"mapping: {trace.matched_by.value}"] += 1
        if show and trace.matched_by is MatchedBy.CLOSEST:
            labels = "; ".join(t.label for t in trace.themes)
            print(f"  {org}: {s.name!r} -> {labels}")
    return counts


def main() -> int:
    """Print the figures for each part of the corpus."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--show", action="store_true", help="list the closest-theme guesses")
    args = parser.parse_args()
    if not args.corpus.is_dir():
        print(f"no corpus at {args.corpus}", file=sys.stderr)
        return 1
    totals: dict[str, Counter[str]] = {"development": Counter(), "held-out": Counter()}
    orgs = {"development": 0, "held-out": 0}
    started = time.perf_counter()
    for org, inputs in organisations(args.corpus).items():
        totals[part(org)] += judge(org, inputs, args.show)
        orgs[part(org)] += 1
    elapsed = time.perf_counter() - started
    for name, c in totals.items():
        n = c["statements"]
        described = n - c["name only"]
        print(f"{name}: {orgs[name]} organisations, {n} statements ({c['name only']} name only)")
        print(
            f"  practices from their own words: {c['own words']} of {n} "
            f"({c['own words'] / max(n, 1):.0%}); of those with a description: "
            f"{c['own words']} of {described} ({c['own words'] / max(described, 1):.0%}); "
            f"with a theme's practice tied to a clause: {c['own words, theme practice']}"
        )
        print(
            f"  mapping: recognised {c['mapping: name'] + c['mapping: description']}, "
            f"closest themes to confirm {c['mapping: closest']}, none {c['mapping: none']}; "
            f"'To complete' boxes {c['to complete']}"
        )
    print(f"built {sum(orgs.values())} guides in {elapsed:.1f} s (wall clock, one process)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
