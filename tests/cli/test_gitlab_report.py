"""`nofault lint --format gitlab`: GitLab's Code Quality report, checked against its schema."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from typer.testing import CliRunner

from nofault.cli.main import app

runner = CliRunner()
CORPUS = Path(__file__).parents[1] / "data" / "postmortems"

# Written from GitLab's documentation of the Code Quality report ("Code Quality report
# format", docs.gitlab.com/ci/testing/code_quality): a JSON array of issues, each with a
# description, a check name, a unique fingerprint, a severity from GitLab's five, and a
# location whose path is relative to the repository and whose lines.begin is 1-based.
GITLAB_CODE_QUALITY_SCHEMA: dict[str, Any] = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["description", "check_name", "fingerprint", "severity", "location"],
        "properties": {
            "description": {"type": "string", "minLength": 1},
            "check_name": {"type": "string", "minLength": 1},
            "fingerprint": {"type": "string", "minLength": 1},
            "severity": {"enum": ["info", "minor", "major", "critical", "blocker"]},
            "location": {
                "type": "object",
                "required": ["path", "lines"],
                "properties": {
                    "path": {"type": "string", "minLength": 1, "not": {"pattern": "^/"}},
                    "lines": {
                        "type": "object",
                        "required": ["begin"],
                        "properties": {
                            "begin": {"type": "integer", "minimum": 1},
                            "end": {"type": "integer", "minimum": 1},
                        },
                    },
                },
            },
        },
    },
}


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository with a folder of postmortems, some shallow and blameful."""
    folder = tmp_path / "postmortems"
    folder.mkdir()
    for name in ("shallow-everything.md", "actions-vague.md", "deep-checkout-config-push.md"):
        shutil.copy(CORPUS / name, folder / name)
    return tmp_path


def _report(repo: Path, *paths: str) -> list[dict[str, Any]]:
    cwd = Path.cwd()
    os.chdir(repo)
    try:
        result = runner.invoke(app, ["lint", "--format", "gitlab", *paths])
    finally:
        os.chdir(cwd)
    assert result.exit_code in (0, 1), result.output
    issues: list[dict[str, Any]] = json.loads(result.stdout)
    return issues


def test_the_report_validates_against_gitlabs_schema(repo: Path) -> None:
    issues = _report(repo, "postmortems")
    assert len(issues) >= 5
    jsonschema.validate(issues, GITLAB_CODE_QUALITY_SCHEMA)
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    assert {i["location"]["path"] for i in issues} <= {
        f"postmortems/{p.name}" for p in (repo / "postmortems").iterdir()
    }
    assert {i["severity"] for i in issues} <= {"info", "minor", "major"}


def test_absolute_paths_are_made_relative_to_the_repository(repo: Path) -> None:
    issues = _report(repo, str(repo / "postmortems" / "actions-vague.md"))
    jsonschema.validate(issues, GITLAB_CODE_QUALITY_SCHEMA)
    assert {i["location"]["path"] for i in issues} == {"postmortems/actions-vague.md"}


def test_a_finding_keeps_its_fingerprint_when_lines_above_it_move(repo: Path) -> None:
    before = _report(repo, "postmortems/actions-vague.md")
    path = repo / "postmortems" / "actions-vague.md"
    text = path.read_text(encoding="utf-8")
    head, _, body = text.partition("\n## ")
    path.write_text(f"{head}\n\nA paragraph added above.\n\n## {body}", encoding="utf-8")
    after = _report(repo, "postmortems/actions-vague.md")
    moved = {i["fingerprint"]: i["location"]["lines"]["begin"] for i in after}
    kept = [i for i in before if i["fingerprint"] in moved]
    assert kept, "no finding kept its fingerprint"
    assert any(moved[i["fingerprint"]] != i["location"]["lines"]["begin"] for i in kept)


def test_an_empty_run_is_an_empty_array(tmp_path: Path) -> None:
    (tmp_path / "note.md").write_text("Plain prose about a calm day.\n", encoding="utf-8")
    issues = _report(tmp_path, "note.md")
    assert issues == []
    jsonschema.validate(issues, GITLAB_CODE_QUALITY_SCHEMA)
