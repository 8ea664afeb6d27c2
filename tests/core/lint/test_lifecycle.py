"""Rule lifecycle: preview rules are opt-in, deprecated ones warn when named, packs carry both."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from nofault.core.lint.config import LintConfig, config_from_mapping, deprecated_selected
from nofault.core.lint.docs import rule_doc_markdown
from nofault.core.lint.engine import lint_parsed
from nofault.core.lint.packs.loader import PackError, read_pack
from nofault.core.lint.registry import all_rules, get_rule
from nofault.core.lint.rule import Category, Rule, Status
from nofault.core.markdown import parse_text

TEXT = "The deploy failed because of human error.\n"


def _rule(code: str, status: Status) -> Rule:
    rule = get_rule(code)
    assert rule is not None
    return dataclasses.replace(rule, status=status)


def _codes(rule: Rule, config: LintConfig) -> set[str]:
    result = lint_parsed(parse_text(TEXT), config=config, rules=[rule])
    return {f.code for f in result.findings}


def test_a_preview_rule_runs_only_when_preview_is_on() -> None:
    rule = _rule("BLM201", Status.PREVIEW)
    assert _codes(_rule("BLM201", Status.STABLE), LintConfig()) == {"BLM201"}
    assert _codes(rule, LintConfig()) == set()
    # Selecting it by name is not enough, as with ruff: preview must be asked for.
    assert _codes(rule, LintConfig(select=["BLM201"])) == set()
    assert _codes(rule, config_from_mapping({"preview": True})) == {"BLM201"}
    assert _codes(rule, LintConfig().with_cli(select=None, ignore=None, preview=True)) == {"BLM201"}
    # Preview on still obeys the selection.
    assert _codes(rule, LintConfig(preview=True, ignore=["blame"])) == set()


def test_a_deprecated_rule_still_runs_and_is_reported_only_when_named() -> None:
    rule = _rule("BLM201", Status.DEPRECATED)
    assert _codes(rule, LintConfig()) == {"BLM201"}
    rules = [rule, _rule("BLM101", Status.STABLE)]
    assert deprecated_selected(LintConfig(), rules) == []
    # A category or a prefix covers it without choosing it.
    assert deprecated_selected(LintConfig(select=["blame", "BLM2"]), rules) == []
    assert deprecated_selected(LintConfig(select=["blm201"]), rules) == [("blm201", rule)]
    by_path = LintConfig().with_cli(select=["blame.human-error"], ignore=None)
    assert deprecated_selected(by_path, rules) == [("blame.human-error", rule)]
    by_table = config_from_mapping({"rules": {"BLM201": True}})
    assert deprecated_selected(by_table, rules) == [("BLM201", rule)]
    assert deprecated_selected(config_from_mapping({"rules": {"BLM201": False}}), rules) == []


def test_the_rule_page_says_when_a_rule_is_not_stable() -> None:
    assert "Status:" not in rule_doc_markdown(_rule("BLM201", Status.STABLE))
    assert "Status: preview" in rule_doc_markdown(_rule("BLM201", Status.PREVIEW))
    assert "Status: deprecated" in rule_doc_markdown(_rule("BLM201", Status.DEPRECATED))


PACK = """
- code: TST101
  path: blame.lifecycle-example
  level: warning
  status: {status}
  since: "0.2.0"
  message: says the word
  patterns: ["\\\\bfumbled\\\\b"]
  doc: {{what: w, why: y, example: e, instead: i}}
"""


def test_a_pack_declares_status_and_since(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(PACK.format(status="preview"), encoding="utf-8")
    (rule,) = read_pack(path, Category.BLAME, {})
    assert rule.status is Status.PREVIEW and rule.since == "0.2.0"
    assert rule.code not in {r.code for r in all_rules()}  # reading registers nothing
    path.write_text(PACK.format(status="beta"), encoding="utf-8")
    with pytest.raises(PackError, match="TST101"):
        read_pack(path, Category.BLAME, {})


def test_every_shipped_rule_has_a_status_and_a_version() -> None:
    for rule in all_rules():
        assert isinstance(rule.status, Status), rule.code
        parts = rule.since.split(".")
        assert len(parts) == 3 and all(p.isdigit() for p in parts), (rule.code, rule.since)
