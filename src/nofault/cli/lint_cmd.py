"""`nofault lint`: lint postmortems (files, folders, or stdin) like a code linter."""

from __future__ import annotations

import fnmatch
import os
import sys
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path

import typer
from rich.markup import escape

from nofault.cli.console import fail, stderr, stdout
from nofault.cli.main import ExitCode, app
from nofault.core.lint.config import (
    ConfigError,
    LintConfig,
    deprecated_selected,
    discover_config,
    load_config_file,
    validate_rule_keys,
)
from nofault.core.lint.engine import LintResult, lint
from nofault.core.lint.registry import all_rules
from nofault.core.lint.report import summary, to_github, to_gitlab, to_json, to_sarif
from nofault.core.lint.rule import Level

MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd")
_SKIP_DIRS = {
    ".git",
    ".hg",
    ".venv",
    "venv",
    "node_modules",
    "__pycache__",
    ".tox",
    "site-packages",
}


class OutputFormat(StrEnum):
    """Report formats."""

    TEXT = "text"
    JSON = "json"
    SARIF = "sarif"
    GITHUB = "github"
    GITLAB = "gitlab"


def _split(values: list[str] | None) -> list[str] | None:
    if not values:
        return None
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


def iter_markdown_files(root: Path, exclude: list[str]) -> Iterator[Path]:
    """Yield Markdown files under a folder, sorted, skipping tool folders and excluded globs."""
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in _SKIP_DIRS and not d.startswith("."))
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if path.suffix.lower() in MARKDOWN_SUFFIXES and not _excluded(path, exclude):
                yield path


def _excluded(path: Path, patterns: list[str]) -> bool:
    text = path.as_posix()
    return any(fnmatch.fnmatch(text, p) or fnmatch.fnmatch(path.name, p) for p in patterns)


def _print_text(results: list[LintResult], show_score: bool) -> None:
    colours = {"error": "red", "warning": "yellow", "info": "cyan"}
    for result in results:
        for f in result.findings:
            stdout.print(
                f"[bold]{escape(f.file)}[/]:{f.line}:{f.column}: "
                f"[{colours[f.level]}]{f.code}[/] {escape(f.message)}",
                markup=True,
            )
            if f.suggestion:
                stdout.print(f"    [dim]suggestion:[/] {escape(f.suggestion)}", markup=True)
        score = result.score
        if show_score and score is not None:
            verdict = "" if score.passed else " [red](below the minimum)[/]"
            minimum = f" / min {score.min}" if score.min is not None else ""
            stdout.print(
                f"[bold]{escape(result.path)}[/]: depth score "
                f"[bold]{score.score}[/]/100{minimum}{verdict}",
                markup=True,
            )
            for part in score.parts:
                stdout.print(
                    f"    {part.name:<18} {part.points:>5.1f}/{part.max:<5.1f} {part.detail}",
                    markup=False,
                )
    s = summary(results)
    if s["findings"]:
        levels = ", ".join(f"{n} {lv}" for lv, n in s["by_level"].items())
        stdout.print(
            f"Found {s['findings']} finding{'s' * (s['findings'] != 1)} ({levels}) in "
            f"{s['files_with_findings']} of {s['files']} file{'s' * (s['files'] != 1)}.",
        )
    else:
        stdout.print(f"All clear: {s['files']} file{'s' * (s['files'] != 1)}, no findings.")


@app.command(name="lint")
def lint_command(
    paths: list[str] = typer.Argument(
        ..., help="Markdown files or folders (searched recursively); '-' reads stdin."
    ),
    output_format: OutputFormat = typer.Option(
        OutputFormat.TEXT, "--format", "-f", help="Report format.", case_sensitive=False
    ),
    select: list[str] = typer.Option(
        None,
        "--select",
        help="Only these codes, dotted rule paths or categories (comma-separated).",
    ),
    ignore: list[str] = typer.Option(
        None,
        "--ignore",
        help="Skip these codes, dotted rule paths or categories (comma-separated).",
    ),
    fail_level: Level = typer.Option(
        None,
        "--fail-level",
        help="Exit 1 when a finding is at or above this level "
        "(default: the config's, else warning).",
        case_sensitive=False,
    ),
    config_file: Path = typer.Option(
        None, "--config", help="Use this .nofault.toml or pyproject.toml instead of looking upward."
    ),
    score: bool = typer.Option(False, "--score", help="Print each postmortem's depth score."),
    stdin_filename: str = typer.Option(
        None, "--stdin-filename", help="Name to report for stdin, and to find its config from."
    ),
    preview: bool = typer.Option(
        False, "--preview", help="Also run preview rules (new rules not yet stable)."
    ),
) -> None:
    """Lint postmortems for blame, shallow analysis, weak action items and format problems.

    Exit codes: 0 nothing at or above --fail-level, 1 findings at or above it, 2 usage error
    or unreadable input.
    """
    select_keys, ignore_keys = _split(select), _split(ignore)
    unknown = validate_rule_keys([*(select_keys or []), *(ignore_keys or [])], all_rules())
    if unknown:
        fail(f"--select/--ignore name no rule: {', '.join(unknown)} (see `nofault rules`)")
        raise typer.Exit(ExitCode.USAGE)
    try:
        fixed = load_config_file(config_file) if config_file else None
        results = list(_lint_all(paths, fixed, select_keys, ignore_keys, stdin_filename, preview))
    except ConfigError as exc:
        fail(str(exc))
        raise typer.Exit(ExitCode.USAGE) from exc
    except _InputError as exc:
        fail(str(exc))
        raise typer.Exit(ExitCode.USAGE) from exc

    if output_format is OutputFormat.JSON:
        typer.echo(to_json(results))
    elif output_format is OutputFormat.SARIF:
        typer.echo(to_sarif(results))
    elif output_format is OutputFormat.GITHUB:
        typer.echo(to_github(results), nl=False)
    elif output_format is OutputFormat.GITLAB:
        typer.echo(to_gitlab(results), nl=False)
    else:
        _print_text(results, score)

    threshold = fail_level or (fixed.fail_level if fixed else Level.WARNING)
    failing = any(Level(f.level).rank >= threshold.rank for r in results for f in r.findings)
    below_min = any(r.score is not None and not r.score.passed for r in results)
    raise typer.Exit(ExitCode.FINDINGS if failing or below_min else ExitCode.OK)


class _InputError(Exception):
    """A path that does not exist or cannot be read."""


def _warn_deprecated(config: LintConfig, warned: set[str]) -> None:
    """Print one warning for each deprecated rule a selection names (once per run)."""
    for key, rule in deprecated_selected(config, all_rules()):
        if rule.code not in warned:
            warned.add(rule.code)
            stderr.print(
                f"[bold yellow]warning:[/] {escape(key)} selects {rule.code} "
                f"({rule.path}), which is deprecated and will be removed",
                markup=True,
            )


def _lint_all(
    paths: list[str],
    fixed: LintConfig | None,
    select: list[str] | None,
    ignore: list[str] | None,
    stdin_filename: str | None,
    preview: bool = False,
) -> Iterator[LintResult]:
    configs: dict[Path, LintConfig] = {}
    warned: set[str] = set()

    def config_for(path: Path) -> LintConfig:
        base = fixed
        if base is None:
            folder = path.parent.resolve()
            if folder not in configs:
                configs[folder] = discover_config(path)
            base = configs[folder]
        config = base.with_cli(select=select, ignore=ignore, preview=preview)
        _warn_deprecated(config, warned)
        return config

    for raw in paths:
        if raw == "-":
            name = stdin_filename or "-"
            data = sys.stdin.buffer.read()
            yield lint(data, path=name, config=config_for(Path(name if stdin_filename else "x")))
            continue
        path = Path(raw)
        if path.is_dir():
            exclude = (fixed or discover_config(path / "x")).exclude
            files = list(iter_markdown_files(path, exclude))
        elif path.is_file():
            files = [path]
        else:
            raise _InputError(f"{raw}: no such file or folder")
        for file in files:
            try:
                data = file.read_bytes()
            except OSError as exc:
                raise _InputError(f"{file}: cannot read: {exc.strerror}") from exc
            yield lint(data, path=str(file), config=config_for(file))
