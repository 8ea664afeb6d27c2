"""`nofault rules` shows each rule's status; `nofault lint --preview` and deprecation warnings."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nofault.cli.gendocs import rules_index
from nofault.cli.main import app
from nofault.core.lint import registry
from nofault.core.lint.rule import Status

runner = CliRunner()
TEXT = "The deploy failed because of human error.\n"


def _as(monkeypatch: pytest.MonkeyPatch, code: str, status: Status) -> None:
    """Give a registered rule another status for one test (the registry is restored after)."""
    rule = registry.get_rule(code)
    assert rule is not None
    monkeypatch.setitem(registry._RULES, code, dataclasses.replace(rule, status=status))


def _configured(tmp_path: Path, toml: str) -> Path:
    """Return a postmortem in a folder of its own with this `.nofault.toml` beside it."""
    folder = tmp_path / "configured"
    folder.mkdir()
    (folder / ".nofault.toml").write_text(toml, encoding="utf-8")
    (folder / "pm.md").write_text(TEXT, encoding="utf-8")
    return folder / "pm.md"


def test_rules_lists_each_rules_status_and_version(monkeypatch: pytest.MonkeyPatch) -> None:
    _as(monkeypatch, "BLM201", Status.PREVIEW)
    plain = runner.invoke(app, ["rules", "--plain"]).stdout.splitlines()
    fields = {line.split("\t")[0]: line.split("\t") for line in plain}
    assert fields["BLM201"][1:5] == ["blame.human-error", "warning", "preview", "0.1.0"]
    assert fields["BLM101"][3] == "stable"
    table = runner.invoke(app, ["rules", "--category", "blame"]).stdout
    assert "Status" in table and "preview" in table


def test_lint_runs_preview_rules_only_when_asked(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _as(monkeypatch, "BLM201", Status.PREVIEW)
    doc = tmp_path / "pm.md"
    doc.write_text(TEXT, encoding="utf-8")
    assert "BLM201" not in runner.invoke(app, ["lint", str(doc)]).stdout
    assert "BLM201" in runner.invoke(app, ["lint", "--preview", str(doc)]).stdout
    configured = _configured(tmp_path, "preview = true\n")
    assert "BLM201" in runner.invoke(app, ["lint", str(configured)]).stdout


def test_lint_warns_when_a_deprecated_rule_is_selected(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _as(monkeypatch, "BLM201", Status.DEPRECATED)
    doc = tmp_path / "pm.md"
    doc.write_text(TEXT, encoding="utf-8")
    named = runner.invoke(app, ["lint", "--select", "BLM201", str(doc)])
    assert "BLM201" in named.stdout
    assert named.stderr.count("deprecated") == 1 and "BLM201" in named.stderr
    assert "deprecated" not in runner.invoke(app, ["lint", "--select", "blame", str(doc)]).stderr
    configured = _configured(tmp_path, 'select = ["blame.human-error"]\n')
    assert "deprecated" in runner.invoke(app, ["lint", str(configured)]).stderr


def test_the_rules_index_is_up_to_date_and_shows_status_and_version() -> None:
    index = Path(__file__).parents[2] / "docs" / "rules" / "index.md"
    assert index.read_text(encoding="utf-8") == rules_index(), (
        "docs/rules/index.md is out of date: run `make docs`"
    )
    for rule in registry.all_rules():
        assert f"| {rule.status.value} | {rule.since} |" in rules_index(), rule.code
