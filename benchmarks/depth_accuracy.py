"""How accurately the depth and actions packs find the gaps a corpus of postmortems is known to have.

Measured over tests/data/postmortems/: each file is linted with the default configuration
(and the fixed `today` from expected.yaml); a (file, code) pair listed under `must` is an
expected finding, and a depth or actions finding whose code is not listed under `must` for its
file is unexpected. Prints the counts, recall, the number of unexpected findings, and the
depth score of every file.
"""

from __future__ import annotations

import sys
import time
from datetime import date
from pathlib import Path

import yaml

from nofault.core.lint.config import LintConfig
from nofault.core.lint.engine import lint

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "data" / "postmortems"
PACKS = ("depth", "actions")


def main() -> int:
    """Print the accuracy figures; exit 1 when an expected finding is missed."""
    expected = yaml.safe_load((CORPUS / "expected.yaml").read_text(encoding="utf-8"))
    today = date.fromisoformat(str(expected["today"]))
    config = LintConfig()
    wanted = found = 0
    unexpected: list[tuple[str, str, int]] = []
    missed: list[tuple[str, str]] = []
    scores: list[tuple[str, int]] = []
    started = time.perf_counter()
    for name, spec in sorted(expected["files"].items()):
        result = lint((CORPUS / name).read_bytes(), path=name, config=config, today=today)
        codes = [f.code for f in result.findings if f.category in PACKS]
        must = set(spec["must"])
        wanted += len(must)
        found += len(must & set(codes))
        missed += [(name, c) for c in sorted(must - set(codes))]
        unexpected += [(name, c, line) for c, line in (
            (f.code, f.line) for f in result.findings if f.category in PACKS
        ) if c not in must]  # fmt: skip
        scores.append((name, result.score.score))
    elapsed = time.perf_counter() - started

    print(
        f"depth accuracy over {len(scores)} postmortems in {CORPUS.relative_to(CORPUS.parents[2])}"
    )
    print(f"  expected findings found: {found}/{wanted} ({100 * found / max(wanted, 1):.1f}%)")
    print(f"  findings not expected:   {len(unexpected)}")
    for name, code in missed:
        print(f"    missed      {name}: {code}")
    for name, code, line in unexpected:
        print(f"    unexpected  {name}:{line}: {code}")
    print("  depth scores:")
    for name, score in scores:
        print(f"    {score:>3}  {name}")
    print(f"  measured with the default configuration, today={today}, in {elapsed:.2f}s")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
