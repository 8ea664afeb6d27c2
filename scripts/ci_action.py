"""The GitHub action's step (action.yml): lint, annotate the changed lines, SARIF, a summary.

Reads the action's inputs from the environment the composite action sets (INPUT_PATHS,
INPUT_ARGS, INPUT_SARIF, INPUT_CHANGED_ONLY) and the runner's own (GITHUB_STEP_SUMMARY,
GITHUB_OUTPUT, GITHUB_EVENT_NAME, GITHUB_EVENT_PATH, GITHUB_WORKSPACE). Runs `nofault` from
PATH, so it lints with the version the action installed, and exits with nofault's exit code
once everything is written: 0 clean, 1 findings at the fail level, 2 a usage error.

Only findings on lines a pull request changes are annotated (GitHub shows at most 10
warnings and 10 errors of a step, so findings on untouched lines would crowd out the new
ones); on a push, or with changed-only false, every finding is. The summary and the SARIF
file always cover every finding.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import unquote

SARIF_FILE = "nofault.sarif"
LEVELS = ("error", "warning", "info")
_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    return default if not value else value in ("true", "1", "yes")


def _nofault(paths: list[str], args: list[str], fmt: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["nofault", "lint", *paths, *args, "--format", fmt],
        capture_output=True,
        text=True,
        check=False,
    )


def _base_sha() -> str | None:
    """Return the commit a pull request is compared against, from the event payload."""
    if os.environ.get("GITHUB_EVENT_NAME") not in ("pull_request", "pull_request_target"):
        return None
    event_path = os.environ.get("GITHUB_EVENT_PATH")
    if not event_path:
        return None
    try:
        event = json.loads(Path(event_path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    sha = event.get("pull_request", {}).get("base", {}).get("sha")
    return sha if isinstance(sha, str) and sha else None


def changed_lines(base: str) -> dict[str, set[int]] | None:
    """Return the lines each file gained since `base` (None when git cannot tell)."""

    def git(*argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["git", *argv], capture_output=True, text=True, check=False)

    if git("cat-file", "-e", f"{base}^{{commit}}").returncode != 0:
        # actions/checkout fetches one commit; the base is one more, shallowly.
        git("fetch", "--no-tags", "--depth=1", "origin", base)
    diff = git(
        "-c",
        "core.quotePath=off",
        "diff",
        "--unified=0",
        "--no-color",
        "--no-renames",
        base,
        "HEAD",
    )
    if diff.returncode != 0:
        return None
    changed: dict[str, set[int]] = {}
    current: set[int] | None = None
    for line in diff.stdout.splitlines():
        if line.startswith("+++ "):
            name = line[4:].rstrip("\t")  # git ends a name that holds a space with a tab
            current = changed.setdefault(name[2:], set()) if name.startswith("b/") else None
        elif current is not None and (m := _HUNK.match(line)):
            start, count = int(m[1]), int(m[2] or "1")
            current.update(range(start, start + count))
    return changed


def _annotation_place(command: str) -> tuple[str, int] | None:
    """Return the (file, line) of a `::level file=…,line=…::message` workflow command."""
    head, sep, _message = command[2:].partition("::")
    if not sep or " " not in head:
        return None
    props = dict(p.split("=", 1) for p in head.split(" ", 1)[1].split(",") if "=" in p)
    try:
        return unquote(props["file"]), int(props["line"])
    except (KeyError, ValueError):
        return None


def _repo_relative(path: str, workspace: Path) -> str:
    candidate = Path(path)
    if candidate.is_absolute() and candidate.is_relative_to(workspace):
        candidate = candidate.relative_to(workspace)
    return candidate.as_posix().removeprefix("./")


def annotations(github: str, changed: dict[str, set[int]] | None, workspace: Path) -> list[str]:
    """Return the workflow commands to print: all, or those on changed lines."""
    kept = []
    for command in github.splitlines():
        place = _annotation_place(command)
        if place is None:
            continue
        path, line = place
        if changed is None or line in changed.get(_repo_relative(path, workspace), ()):
            kept.append(command)
    return kept


def summary(report: dict[str, Any], shown: int, changed_only: bool) -> str:
    """Return the job summary: findings by category and level, and each postmortem's score."""
    totals = report["summary"]
    out = ["## nofault", ""]
    if not totals["findings"]:
        out.append(f"No findings in {totals['files']} file{'s' * (totals['files'] != 1)}.")
    else:
        out.append(
            f"{totals['findings']} finding{'s' * (totals['findings'] != 1)} in "
            f"{totals['files_with_findings']} of {totals['files']} files"
            + (f"; {shown} on changed lines annotated." if changed_only else ".")
        )
        counts: Counter[tuple[str, str]] = Counter(
            (f["category"], f["level"]) for file in report["files"] for f in file["findings"]
        )
        out += ["", "| Category | " + " | ".join(LEVELS) + " | total |", "| --- |" + " ---: |" * 4]
        for category in sorted({c for c, _ in counts}):
            row = [counts[(category, level)] for level in LEVELS]
            out.append(f"| {category} | " + " | ".join(map(str, row)) + f" | {sum(row)} |")
    scores = [(f["path"], f["score"]) for f in report["files"] if f.get("score")]
    if scores:
        out += [
            "",
            "### Depth scores",
            "",
            "| Postmortem | Score | Minimum | |",
            "| --- | ---: | ---: | --- |",
        ]
        for path, score in scores:
            minimum = "" if score["min"] is None else str(score["min"])
            verdict = "meets the minimum" if score["passed"] else "**below the minimum**"
            out.append(f"| `{path}` | {score['score']} | {minimum} | {verdict} |")
    return "\n".join(out) + "\n"


def _append(variable: str, text: str) -> None:
    target = os.environ.get(variable)
    if target:
        with open(target, "a", encoding="utf-8") as handle:
            handle.write(text)


def main() -> int:
    """Run the action's step and return nofault's exit code."""
    paths = shlex.split(os.environ.get("INPUT_PATHS", "") or ".")
    args = shlex.split(os.environ.get("INPUT_ARGS", ""))
    workspace = Path(os.environ.get("GITHUB_WORKSPACE") or Path.cwd()).resolve()
    report_run = _nofault(paths, args, "json")
    if report_run.returncode not in (0, 1):
        # A usage error (a bad configuration, an unknown rule, a missing path): say it where
        # the job's page shows it too, not only in the log.
        sys.stderr.write(report_run.stderr)
        _append("GITHUB_OUTPUT", f"findings=0\nexit-code={report_run.returncode}\n")
        _append(
            "GITHUB_STEP_SUMMARY",
            f"## nofault\n\nnofault stopped:\n\n```\n{report_run.stderr.strip()}\n```\n",
        )
        return report_run.returncode
    report = json.loads(report_run.stdout)

    base = _base_sha() if _flag("INPUT_CHANGED_ONLY", True) else None
    changed = changed_lines(base) if base else None
    shown = annotations(_nofault(paths, args, "github").stdout, changed, workspace)
    for command in shown:
        print(command)

    outputs = [f"findings={report['summary']['findings']}", f"exit-code={report_run.returncode}"]
    if _flag("INPUT_SARIF", False):
        sarif = _nofault(paths, args, "sarif")
        Path(SARIF_FILE).write_text(sarif.stdout, encoding="utf-8")
        outputs.append(f"sarif-file={SARIF_FILE}")
    _append("GITHUB_OUTPUT", "\n".join(outputs) + "\n")
    _append("GITHUB_STEP_SUMMARY", summary(report, len(shown), changed is not None))
    sys.stderr.write(report_run.stderr)
    return report_run.returncode


if __name__ == "__main__":
    sys.exit(main())
