"""Lint reports: text, versioned JSON, SARIF 2.1.0, GitHub annotations and GitLab Code Quality."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from nofault.__about__ import __version__
from nofault.core.lint.docs import rule_doc_url
from nofault.core.lint.result import LintResult

JSON_SCHEMA_VERSION = 1
FORMATS = ("text", "json", "sarif", "github", "gitlab")


def summary(results: Sequence[LintResult]) -> dict[str, Any]:
    """Count files and findings by level and category."""
    findings = [f for r in results for f in r.findings]
    return {
        "files": len(results),
        "files_with_findings": sum(1 for r in results if r.findings),
        "findings": len(findings),
        "by_level": dict(sorted(Counter(f.level for f in findings).items())),
        "by_category": dict(sorted(Counter(f.category for f in findings).items())),
    }


def to_json(results: Sequence[LintResult]) -> str:
    """Render the versioned JSON report (docs/json-schema.md)."""
    files = []
    for r in results:
        entry: dict[str, Any] = {
            "path": r.path,
            "is_postmortem": r.is_postmortem,
            "findings": [f.as_dict() for f in r.findings],
        }
        if r.score is not None:
            entry["score"] = r.score.as_dict()
        files.append(entry)
    doc = {"version": JSON_SCHEMA_VERSION, "tool": {"name": "nofault", "version": __version__},
           "files": files, "summary": summary(results)}  # fmt: skip
    return json.dumps(doc, indent=2, ensure_ascii=False, default=str)


_SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def to_sarif(results: Sequence[LintResult]) -> str:
    """Render SARIF 2.1.0 for code-scanning tools."""
    from nofault.core.lint.registry import all_rules  # here: the other formats need no rules

    rules = all_rules()
    index = {r.code: i for i, r in enumerate(rules)}
    sarif_rules = [
        {
            "id": r.code,
            "name": r.path,
            "shortDescription": {"text": r.message},
            "fullDescription": {"text": r.doc.what},
            "help": {"text": f"{r.doc.why}\n\nUse instead: {r.doc.instead}",
                     "markdown": f"{r.doc.why}\n\n**Use instead:**\n\n{r.doc.instead}"},
            "helpUri": rule_doc_url(r.code),
            "defaultConfiguration": {"level": _SARIF_LEVEL[r.level.value]},
            "properties": {"category": r.category.value, "tags": [r.category.value]},
        }
        for r in rules
    ]  # fmt: skip
    sarif_results = []
    for result in results:
        for f in result.findings:
            text = f.message + (f" Suggestion: {f.suggestion}" if f.suggestion else "")
            sarif_results.append(
                {
                    "ruleId": f.code,
                    "ruleIndex": index.get(f.code, -1),
                    "level": _SARIF_LEVEL[f.level],
                    "message": {"text": text},
                    "locations": [
                        {
                            "physicalLocation": {
                                "artifactLocation": {"uri": f.file},
                                "region": {
                                    "startLine": f.line,
                                    "startColumn": f.column,
                                    "endLine": f.end_line,
                                    "endColumn": f.end_column,
                                },
                            }
                        }
                    ],
                }
            )
    doc = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "nofault",
                        "version": __version__,
                        "informationUri": "https://nofault.invalid",
                        "rules": sarif_rules,
                    }
                },
                "results": sarif_results,
            }
        ],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False)


def _escape_github(value: str, *, property_value: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


_GITHUB_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def to_github(results: Sequence[LintResult]) -> str:
    """Render GitHub Actions workflow commands, one annotation per finding."""
    out = []
    for result in results:
        for f in result.findings:
            props = ",".join(
                [
                    f"file={_escape_github(f.file, property_value=True)}",
                    f"line={f.line}",
                    f"col={f.column}",
                    f"endLine={f.end_line}",
                    f"endColumn={f.end_column}",
                    f"title={_escape_github(f.code + ' ' + f.rule, property_value=True)}",
                ]
            )
            text = f.message + (f". Suggestion: {f.suggestion}" if f.suggestion else "")
            out.append(f"::{_GITHUB_LEVEL[f.level]} {props}::{_escape_github(text)}")
    return "\n".join(out) + ("\n" if out else "")


# GitLab's scale is info, minor, major, critical, blocker; an error blocks a merge as a lint
# error does, so it is the middle of the scale, not the top, which GitLab keeps for outages.
_GITLAB_SEVERITY = {"error": "major", "warning": "minor", "info": "info"}


def _repo_path(path: str, root: Path) -> str:
    """Return a file's path relative to the repository root, as GitLab shows it."""
    candidate = Path(path)
    if candidate.is_absolute():
        try:
            return candidate.relative_to(root).as_posix()
        except ValueError:
            return candidate.as_posix()
    return candidate.as_posix().removeprefix("./")


def to_gitlab(results: Sequence[LintResult], *, root: Path | None = None) -> str:
    """Render GitLab's Code Quality report (its subset of Code Climate's issue JSON).

    A fingerprint hashes the file, the rule, the message and the words flagged, with a count
    for repeats, but not the line: a finding keeps its fingerprint when lines above it move,
    so GitLab shows it as unchanged rather than as fixed and found again.
    """
    root = (root or Path.cwd()).resolve()
    issues = []
    for result in results:
        seen: Counter[tuple[str, ...]] = Counter()
        for f in result.findings:
            path = _repo_path(f.file, root)
            key = (path, f.code, f.message, f.excerpt)
            seen[key] += 1
            digest = hashlib.sha256("\0".join([*key, str(seen[key])]).encode()).hexdigest()
            text = f"{f.code} {f.message}" + (
                f". Suggestion: {f.suggestion}" if f.suggestion else ""
            )
            issues.append(
                {
                    "type": "issue",
                    "description": text,
                    "check_name": f.code,
                    "fingerprint": digest,
                    "severity": _GITLAB_SEVERITY[f.level],
                    "location": {"path": path, "lines": {"begin": f.line, "end": f.end_line}},
                }
            )
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"
