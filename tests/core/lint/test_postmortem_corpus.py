"""The depth and actions packs find what each corpus postmortem must show, and nothing it must not.

tests/data/postmortems/expected.yaml lists, for each file, the codes it must produce, the
codes it must not (`all`: every depth and actions code it is not expected to produce) and
bounds on its depth score. `make bench` prints the same comparison as figures.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from nofault.core.lint.config import LintConfig
from nofault.core.lint.engine import LintResult, lint
from nofault.core.lint.registry import all_rules

CORPUS = Path(__file__).parents[2] / "data" / "postmortems"
EXPECTED: dict[str, Any] = yaml.safe_load((CORPUS / "expected.yaml").read_text(encoding="utf-8"))
TODAY = date.fromisoformat(str(EXPECTED["today"]))
PACK_CODES = {r.code for r in all_rules() if r.category.value in ("depth", "actions")}


def _lint(name: str) -> LintResult:
    text = (CORPUS / name).read_bytes()
    return lint(text, path=name, config=LintConfig(), today=TODAY)


def _must_not(spec: dict[str, Any]) -> set[str]:
    if spec.get("must_not") == "all":
        return PACK_CODES - set(spec["must"])
    return set(spec.get("must_not", []))


def test_corpus_is_large_and_fully_described() -> None:
    files = {p.name for p in CORPUS.glob("*.md")}
    assert len(files) >= 30
    assert files == set(EXPECTED["files"]), "every corpus file needs an entry in expected.yaml"
    expected_codes = {c for spec in EXPECTED["files"].values() for c in spec["must"]}
    assert expected_codes == PACK_CODES, "every depth and actions rule is expected somewhere"


@pytest.mark.parametrize("name", sorted(EXPECTED["files"]))
def test_corpus_file(name: str) -> None:
    spec = EXPECTED["files"][name]
    result = _lint(name)
    found = {f.code for f in result.findings}
    assert set(spec["must"]) <= found, f"{name}: missing {sorted(set(spec['must']) - found)}"
    unwanted = found & _must_not(spec)
    assert not unwanted, f"{name}: unexpected {sorted(unwanted)}"
    assert result.score is not None
    score = result.score.score
    assert score >= spec.get("min_score", 0), f"{name}: score {score}"
    assert score <= spec.get("max_score", 100), f"{name}: score {score}"


def test_deep_reviews_pass_their_minimum_and_shallow_ones_fail() -> None:
    deep = _lint("deep-checkout-config-push.md").score
    shallow = _lint("public-shape-database-deletion-shallow.md").score
    assert deep is not None and shallow is not None
    assert deep.passed and deep.min == 70
    assert shallow.min is not None and not shallow.passed and shallow.score < shallow.min
