"""The GitHub action: its script run as the runner runs it, on a sample repository."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from nofault.__about__ import __version__

ROOT = Path(__file__).parents[2]
CORPUS = ROOT / "tests" / "data" / "postmortems"
SCRIPT = ROOT / "scripts" / "ci_action.py"
BLAME = "\nThe outage happened because the on-call engineer was careless.\n"


def _git(repo: Path, *argv: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *argv],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


@pytest.fixture
def repo(tmp_path: Path) -> tuple[Path, str]:
    """A repository whose second commit adds a blameful line to one of three postmortems."""
    repo = tmp_path / "repo"
    (repo / "postmortems").mkdir(parents=True)
    for name in ("shallow-everything.md", "deep-checkout-config-push.md", "actions-vague.md"):
        shutil.copy(CORPUS / name, repo / "postmortems" / name)
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "postmortems")
    base = _git(repo, "rev-parse", "HEAD")
    changed = repo / "postmortems" / "deep-checkout-config-push.md"
    changed.write_text(changed.read_text(encoding="utf-8") + BLAME, encoding="utf-8")
    _git(repo, "commit", "-q", "-am", "a new paragraph")
    return repo, base


def _run(
    repo: Path, base: str | None, **inputs: str
) -> tuple[subprocess.CompletedProcess[str], Path]:
    runner = repo.parent / "runner"
    runner.mkdir(exist_ok=True)
    event = runner / "event.json"
    event.write_text(json.dumps({"pull_request": {"base": {"sha": base}}}), encoding="utf-8")
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "GITHUB_ACTIONS": "true",
        "GITHUB_WORKSPACE": str(repo),
        "GITHUB_EVENT_NAME": "pull_request" if base else "push",
        "GITHUB_EVENT_PATH": str(event),
        "GITHUB_STEP_SUMMARY": str(runner / "summary.md"),
        "GITHUB_OUTPUT": str(runner / "output"),
        **{f"INPUT_{k.upper()}": v for k, v in inputs.items()},
    }
    for name in ("summary.md", "output"):
        (runner / name).write_text("", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(SCRIPT)],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return done, runner


def _outputs(runner: Path) -> dict[str, str]:
    lines = (runner / "output").read_text(encoding="utf-8").splitlines()
    return dict(line.split("=", 1) for line in lines)


def test_a_pull_request_gets_annotations_on_its_changed_lines_only(repo: tuple[Path, str]) -> None:
    path, base = repo
    done, runner = _run(path, base, paths="postmortems", sarif="false")
    assert done.returncode == 1, done.stderr
    commands = [line for line in done.stdout.splitlines() if line.startswith("::")]
    last = len((path / "postmortems" / "deep-checkout-config-push.md").read_text().splitlines())
    assert commands, done.stdout
    for command in commands:
        assert "file=postmortems/deep-checkout-config-push.md," in command
        assert f",line={last}," in command
    assert any("BLM" in c for c in commands)
    outputs = _outputs(runner)
    assert int(outputs["findings"]) > len(commands) and outputs["exit-code"] == "1"
    assert "sarif-file" not in outputs and not (path / "nofault.sarif").exists()


def test_the_summary_counts_findings_by_category_and_gives_depth_scores(
    repo: tuple[Path, str],
) -> None:
    path, base = repo
    _done, runner = _run(path, base, paths="postmortems")
    summary = (runner / "summary.md").read_text(encoding="utf-8")
    report = json.loads(
        subprocess.run(
            [Path(sys.executable).with_name("nofault"), "lint", "postmortems", "-f", "json"],
            cwd=path, capture_output=True, text=True, check=False,
        ).stdout
    )  # fmt: skip
    rows = {
        line.split(" | ")[0][2:]: line for line in summary.splitlines() if line.startswith("| ")
    }
    for category, count in report["summary"]["by_category"].items():
        assert rows[category].endswith(f" | {count} |"), rows[category]
    assert "### Depth scores" in summary
    for file in report["files"]:
        score = file["score"]
        assert f"| `{file['path']}` | {score['score']} |" in summary
    assert "**below the minimum**" in summary and "meets the minimum" in summary


def test_sarif_is_written_for_upload_when_asked(repo: tuple[Path, str]) -> None:
    path, base = repo
    _done, runner = _run(path, base, paths="postmortems", sarif="true")
    sarif_file = path / _outputs(runner)["sarif-file"]
    sarif = json.loads(sarif_file.read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0" and sarif["runs"][0]["results"]


def test_a_push_annotates_every_finding_and_args_reach_nofault(repo: tuple[Path, str]) -> None:
    path, _base = repo
    done, runner = _run(path, None, paths="postmortems", args="--select blame --fail-level error")
    commands = [line for line in done.stdout.splitlines() if line.startswith("::")]
    assert commands and all("title=BLM" in c for c in commands)
    assert _outputs(runner)["findings"] == str(len(commands))
    # The step's verdict is nofault's own for the same arguments.
    direct = subprocess.run(
        [Path(sys.executable).with_name("nofault"), "lint", "postmortems", "--select", "blame",
         "--fail-level", "error"],
        cwd=path, capture_output=True, check=False,
    )  # fmt: skip
    assert done.returncode == direct.returncode == int(_outputs(runner)["exit-code"])


def test_a_usage_error_stops_with_nofaults_message(repo: tuple[Path, str]) -> None:
    path, base = repo
    done, runner = _run(path, base, paths="postmortems", args="--select NOPE999")
    assert done.returncode == 2 and "NOPE999" in done.stderr
    assert "NOPE999" in (runner / "summary.md").read_text(encoding="utf-8")
    assert _outputs(runner)["exit-code"] == "2"


def test_action_yml_runs_the_script_and_uploads_sarif_only_when_asked() -> None:
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    assert action["runs"]["using"] == "composite"
    assert set(action["inputs"]) >= {"paths", "version", "sarif", "args"}
    assert action["inputs"]["version"]["default"] == __version__
    steps = action["runs"]["steps"]
    lint = next(s for s in steps if s.get("id") == "lint")
    assert "scripts/ci_action.py" in lint["run"]
    assert set(lint["env"]) >= {"INPUT_PATHS", "INPUT_ARGS", "INPUT_SARIF"}
    upload = next(s for s in steps if "upload-sarif" in s.get("uses", ""))
    assert "inputs.sarif == 'true'" in upload["if"] and "always()" in upload["if"]
    assert set(action["outputs"]) >= {"findings", "sarif-file"}


def test_changed_lines_are_found_in_files_with_spaces_and_accents(repo: tuple[Path, str]) -> None:
    path, _base = repo
    base = _git(path, "rev-parse", "HEAD")
    named = path / "postmortems" / "café, review 2.md"
    shutil.copy(CORPUS / "shallow-everything.md", named)
    _git(path, "add", ".")
    _git(path, "commit", "-q", "-m", "a postmortem with an awkward name")
    done, _runner = _run(path, base, paths="postmortems")
    commands = [line for line in done.stdout.splitlines() if line.startswith("::")]
    # Every line of the new file is changed; nothing else is.
    assert commands and all("file=postmortems/café%2C review 2.md," in c for c in commands)
