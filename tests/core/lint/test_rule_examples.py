"""Every rule flags its `flag` examples and passes its `pass` examples; every rule is documented."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from nofault.core.lint.config import LintConfig
from nofault.core.lint.docs import rule_doc_markdown
from nofault.core.lint.engine import lint
from nofault.core.lint.registry import all_rules
from nofault.core.lint.rule import Rule

RULES = all_rules()
DOCS = Path(__file__).parents[3] / "docs" / "rules"
# A fixed day so that date-dependent rules (overdue items) give the same answer every day.
TODAY = __import__("datetime").date(2026, 6, 1)


def _cases(kind: str) -> list[Any]:
    """Return one case per example, its id the rule's code and the example's number."""
    return [
        pytest.param(rule, text, id=f"{rule.code}-{number}")
        for rule in RULES
        for number, text in enumerate(
            rule.examples.flag if kind == "flag" else rule.examples.pass_, start=1
        )
    ]


def _codes(rule: Rule, text: str) -> list[str]:
    # Preview on, so that a preview rule's examples are checked like any other's.
    config = LintConfig(select=[rule.code], preview=True)
    return [f.code for f in lint(text, path="example.md", config=config, today=TODAY).findings]


@pytest.mark.parametrize(("rule", "text"), _cases("flag"))
def test_rule_flags_its_examples(rule: Rule, text: str) -> None:
    assert rule.code in _codes(rule, text), f"{rule.code} should flag: {text!r}"


@pytest.mark.parametrize(("rule", "text"), _cases("pass"))
def test_rule_passes_its_examples(rule: Rule, text: str) -> None:
    assert rule.code not in _codes(rule, text), f"{rule.code} should pass: {text!r}"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rule_has_examples_and_docs(rule: Rule) -> None:
    assert rule.examples.flag, f"{rule.code} has no examples it must flag"
    assert rule.examples.pass_, f"{rule.code} has no examples it must pass"
    for part in ("what", "why", "example", "instead"):
        assert getattr(rule.doc, part).strip(), f"{rule.code} has no '{part}' doc"
    assert rule.message and rule.source, f"{rule.code} needs a message and a source"
    page = DOCS / f"{rule.code}.md"
    assert page.is_file(), f"docs/rules/{rule.code}.md is missing: run `make docs`"
    assert page.read_text(encoding="utf-8") == rule_doc_markdown(rule), (
        f"docs/rules/{rule.code}.md is out of date: run `make docs`"
    )


def test_codes_and_paths_are_unique_and_well_formed() -> None:
    codes = [r.code for r in RULES]
    paths = [r.path for r in RULES]
    assert len(set(codes)) == len(codes) and len(set(paths)) == len(paths)
    for r in RULES:
        assert r.path.split(".")[0] == r.category.value, r.code
        assert r.code[:3].isalpha() and r.code[3:].isdigit(), r.code
