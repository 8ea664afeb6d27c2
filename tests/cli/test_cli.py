"""The `nofault` command as a user runs it: help, new, lint formats and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from nofault.cli.main import app
from nofault.core.markdown import parse_text

runner = CliRunner()
ROOT = Path(__file__).parents[2]


def _commands() -> list[list[str]]:
    """Every command path, sub-commands included."""
    out: list[list[str]] = []

    def walk(cmd: Any, prefix: list[str]) -> None:
        if not hasattr(cmd, "list_commands"):
            return
        for name in cmd.list_commands(None):
            sub = cmd.get_command(None, name)
            if getattr(sub, "hidden", False):
                continue
            out.append([*prefix, name])
            walk(sub, [*prefix, name])

    walk(get_command(app), [])
    return out


def test_version() -> None:
    from nofault import __version__

    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout.strip() == f"nofault {__version__}"


@pytest.mark.parametrize("command", _commands(), ids=" ".join)
def test_every_command_has_help_and_docs(command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0
    assert "Usage" in result.stdout
    cli_doc = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert f"nofault {' '.join(command)}" in cli_doc, f"docs/cli.md does not document {command}"


def test_console_script_runs() -> None:
    exe = Path(sys.executable).with_name("nofault")
    done = subprocess.run([str(exe), "--help"], capture_output=True, text=True, check=False)
    assert done.returncode == 0 and "lint" in done.stdout


def test_new_writes_a_postmortem_that_reads_back(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        [
            "new",
            "--title",
            "Queue backlog",
            "--severity",
            "sev3",
            "-i",
            "INC-9",
            "-o",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 0, result.output
    (written,) = tmp_path.glob("*-queue-backlog.md")
    parsed = parse_text(written.read_text())
    assert parsed.problems == []
    pm = parsed.postmortem
    assert (pm.title, pm.severity, pm.incidents) == ("Queue backlog", "SEV3", ["INC-9"])
    assert all(s.body.startswith("<!--") for s in pm.sections), "each section carries guidance"
    again = runner.invoke(app, ["new", "--title", "Queue backlog", "-o", str(written)])
    assert again.exit_code == 2 and "already exists" in again.output


def test_light_review_has_fewer_sections() -> None:
    full = parse_text(runner.invoke(app, ["new"]).stdout).postmortem
    light = parse_text(runner.invoke(app, ["new", "--light"]).stdout).postmortem
    assert light.review_level.value == "light"
    assert 0 < len(light.sections) < len(full.sections)


BAD = "---\nseverity: SEV9\n---\n\n# Outage\n\n## Summary\n\nShort.\n"


def test_lint_text_output_and_exit_code(tmp_path: Path) -> None:
    (tmp_path / "pm.md").write_text(BAD)
    result = runner.invoke(app, ["lint", str(tmp_path / "pm.md"), "--select", "structure"])
    assert result.exit_code == 1
    assert f"{tmp_path / 'pm.md'}:2:11: STR002 severity 'SEV9' is not one of" in result.stdout


def test_lint_json_schema(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(BAD)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.md").write_text("Plain prose, not a postmortem.\n")
    result = runner.invoke(app, ["lint", str(tmp_path), "--format", "json", "--select", "STR"])
    doc = json.loads(result.stdout)
    assert doc["version"] == 1
    assert [Path(f["path"]).name for f in doc["files"]] == ["a.md", "b.md"]
    first = doc["files"][0]["findings"][0]
    assert set(first) == {
        "code",
        "rule",
        "category",
        "level",
        "line",
        "column",
        "end_line",
        "end_column",
        "message",
        "suggestion",
        "excerpt",
    }
    assert doc["summary"]["files"] == 2 and doc["summary"]["findings"] >= 1
    assert doc["files"][1]["findings"] == [] and doc["files"][1]["is_postmortem"] is False


def test_lint_sarif_and_github(tmp_path: Path) -> None:
    (tmp_path / "pm.md").write_text(BAD)
    sarif = json.loads(runner.invoke(app, ["lint", str(tmp_path), "-f", "sarif"]).stdout)
    assert sarif["version"] == "2.1.0"
    results = sarif["runs"][0]["results"]
    rule_ids = {r["id"] for r in sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert results and all(r["ruleId"] in rule_ids for r in results)
    region = next(r for r in results if r["ruleId"] == "STR002")["locations"][0][
        "physicalLocation"
    ]["region"]
    assert (region["startLine"], region["startColumn"]) == (2, 11)
    github = runner.invoke(
        app, ["lint", str(tmp_path), "-f", "github", "--select", "STR002"]
    ).stdout
    assert github.startswith("::error file=") and ",line=2,col=11," in github


def test_text_output_keeps_brackets_in_messages() -> None:
    text = "---\nseverity: SEV3\n---\n\n# T\n\n## Contributing factors\n\n- **CF1** [weather] A storm.\n"
    result = runner.invoke(app, ["lint", "-", "--select", "STR006"], input=text)
    assert "factor category 'weather' is not one of" in result.stdout
    escaped = runner.invoke(
        app, ["lint", "-", "--select", "STR002"], input="---\nseverity: '[b]x[/b]'\n---\n# T\n"
    )
    assert "severity '[b]x[/b]' is not one of" in escaped.stdout


def test_lint_stdin_and_fail_level() -> None:
    result = runner.invoke(app, ["lint", "-", "--select", "STR004"], input=BAD)
    assert result.exit_code == 1 and "-:5:1: STR004" in result.stdout
    relaxed = runner.invoke(
        app, ["lint", "-", "--select", "STR004", "--fail-level", "error"], input=BAD
    )
    assert relaxed.exit_code == 0


def test_lint_usage_errors() -> None:
    assert runner.invoke(app, ["lint", "/no/such/file.md"]).exit_code == 2
    unknown = runner.invoke(app, ["lint", "-", "--select", "NOPE999"], input="x")
    assert unknown.exit_code == 2 and "NOPE999" in unknown.output


def test_lint_reads_config_upward(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.nofault]\nseverities = ["P1", "P2"]\n[tool.nofault.rules]\nSTR004 = false\n'
    )
    folder = tmp_path / "postmortems"
    folder.mkdir()
    (folder / "pm.md").write_text(BAD.replace("SEV9", "P2"))
    result = runner.invoke(app, ["lint", str(folder), "--select", "structure"])
    assert result.exit_code == 0, result.stdout
    (folder / "pm.md").write_text(BAD)
    result = runner.invoke(app, ["lint", str(folder), "--select", "structure"])
    assert "STR002 severity 'SEV9' is not one of P1, P2" in result.stdout


def test_bad_config_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / ".nofault.toml").write_text("severites = ['SEV1']\n")
    (tmp_path / "pm.md").write_text(BAD)
    result = runner.invoke(app, ["lint", str(tmp_path / "pm.md")])
    assert result.exit_code == 2 and "unknown setting 'severites'" in result.output


def test_rules_and_rule(tmp_path: Path) -> None:
    listing = runner.invoke(app, ["rules", "--plain"]).stdout
    assert "STR002\tstructure.unknown-severity\terror" in listing
    doc = runner.invoke(app, ["rule", "STR002"]).stdout
    for heading in (
        "What it flags",
        "Why it hurts a blameless review",
        "Example",
        "Use instead",
        "References",
    ):
        assert f"## {heading}" in doc
    assert runner.invoke(app, ["rule", "structure.unknown-severity"]).exit_code == 0
    assert runner.invoke(app, ["rule", "XYZ000"]).exit_code == 2
