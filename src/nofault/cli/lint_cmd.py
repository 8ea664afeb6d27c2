"""`nofault lint`: lint postmortems (files, folders, or stdin) like a code linter."""

from __future__ import annotations

import fnmatch
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from nofault.cli.lint_cache import CACHE_DIR_NAME, LintCache, Settings, settings
from nofault.cli.main import ExitCode, app
from nofault.core.lint.config_files import ConfigError, find_config, read_toml
from nofault.core.lint.result import LintResult
from nofault.core.lint.rule import Level

if TYPE_CHECKING:
    from nofault.core.lint.config import LintConfig

# What `nofault lint FILE` imports depends on whether the cache answers: a re-lint of
# unchanged files reads the kept results with the modules above (no configuration model,
# no parser, no rule packs, no Rich unless the output is a terminal); the linter, the
# configuration and Rich are imported inside the functions that need them.

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


def _to_terminal() -> bool:
    """Tell whether stdout is a terminal as Rich sees it, asking Rich only when it could be."""
    try:
        tty = sys.stdout.isatty()
    except ValueError:  # closed
        tty = False
    if not tty and "TTY_COMPATIBLE" not in os.environ and "FORCE_COLOR" not in os.environ:
        return False
    from nofault.cli.console import stdout

    return stdout.is_terminal


def _fail(message: str) -> None:
    from nofault.cli.console import fail

    fail(message)


def _print_text(results: list[LintResult], show_score: bool) -> None:
    """Print findings, scores and a summary: coloured on a terminal, plain text otherwise.

    Each line is a list of (text, style) pieces. Plain text is written in one go: Rich
    handles a line in about a millisecond, and a folder can have thousands of findings.
    """
    colours = {"error": "red", "warning": "yellow", "info": "cyan"}
    lines: list[list[tuple[str, str]]] = []
    for result in results:
        for f in result.findings:
            lines.append([(f.file, "bold"), (f":{f.line}:{f.column}: ", ""),
                          (f.code, colours[f.level]), (f" {f.message}", "")])  # fmt: skip
            if f.suggestion:
                lines.append([("    ", ""), ("suggestion:", "dim"), (f" {f.suggestion}", "")])
        score = result.score
        if show_score and score is not None:
            minimum = f" / min {score.min}" if score.min is not None else ""
            lines.append([(result.path, "bold"), (": depth score ", ""), (str(score.score), "bold"),
                          (f"/100{minimum}", ""),
                          ("" if score.passed else " (below the minimum)", "red")])  # fmt: skip
            for part in score.parts:
                text = f"    {part.name:<18} {part.points:>5.1f}/{part.max:<5.1f} {part.detail}"
                lines.append([(text, "")])
    from nofault.core.lint.report import summary

    s = summary(results)
    plural = "s" * (s["files"] != 1)
    if s["findings"]:
        levels = ", ".join(f"{n} {lv}" for lv, n in s["by_level"].items())
        found = f"Found {s['findings']} finding{'s' * (s['findings'] != 1)} ({levels})"
        lines.append([(f"{found} in {s['files_with_findings']} of {s['files']} file{plural}.", "")])
    else:
        lines.append([(f"All clear: {s['files']} file{plural}, no findings.", "")])
    if _to_terminal():
        from rich.markup import escape

        from nofault.cli.console import stdout

        styled = (
            "".join(f"[{style}]{escape(t)}[/]" if style and t else escape(t) for t, style in line)
            for line in lines
        )
        stdout.print("\n".join(styled), markup=True)
    else:
        sys.stdout.write("".join("".join(t for t, _ in line) + "\n" for line in lines))
        sys.stdout.flush()


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
    no_cache: bool = typer.Option(
        False, "--no-cache", help="Lint every file afresh; read and write no cache."
    ),
    jobs: int = typer.Option(
        0, "--jobs", "-j", min=0, help="Processes to lint with (0: one per CPU core)."
    ),
) -> None:
    """Lint postmortems for blame, shallow analysis, weak action items and format problems.

    Exit codes: 0 nothing at or above --fail-level, 1 findings at or above it, 2 usage error
    or unreadable input.
    """
    select_keys, ignore_keys = _split(select), _split(ignore)
    options = _Options(select_keys, ignore_keys, stdin_filename, preview, not no_cache, jobs)
    fixed: LintConfig | None = None
    results = _kept_results(paths, options) if config_file is None else None
    if results is None:
        fixed, results = _lint_command_run(paths, config_file, options)

    from nofault.core.lint import report

    if output_format is OutputFormat.JSON:
        typer.echo(report.to_json(results))
    elif output_format is OutputFormat.SARIF:
        typer.echo(report.to_sarif(results))
    elif output_format is OutputFormat.GITHUB:
        typer.echo(report.to_github(results), nl=False)
    elif output_format is OutputFormat.GITLAB:
        typer.echo(report.to_gitlab(results), nl=False)
    else:
        _print_text(results, score)

    threshold = fail_level or (fixed.fail_level if fixed else Level.WARNING)
    failing = any(Level(f.level).rank >= threshold.rank for r in results for f in r.findings)
    below_min = any(r.score is not None and not r.score.passed for r in results)
    raise typer.Exit(ExitCode.FINDINGS if failing or below_min else ExitCode.OK)


def _lint_command_run(
    paths: list[str], config_file: Path | None, options: _Options
) -> tuple[LintConfig | None, list[LintResult]]:
    """Check the options, load the configuration and lint (the cache answering what it can)."""
    from nofault.core.lint.kept import use_kept

    use_kept()  # before the rule packs read their YAML and compile their patterns
    from nofault.core.lint.config import load_config_file, validate_rule_keys
    from nofault.core.lint.registry import all_rules

    named = [*(options.select or []), *(options.ignore or [])]
    unknown = validate_rule_keys(named, all_rules()) if named else []
    if unknown:
        _fail(f"--select/--ignore name no rule: {', '.join(unknown)} (see `nofault rules`)")
        raise typer.Exit(ExitCode.USAGE)
    try:
        fixed = load_config_file(config_file) if config_file else None
        return fixed, _lint_all(paths, fixed, options)
    except (ConfigError, _InputError) as exc:
        _fail(str(exc))
        raise typer.Exit(ExitCode.USAGE) from exc


class _InputError(Exception):
    """A path that does not exist or cannot be read."""


def _warn_deprecated(config: LintConfig, warned: set[str]) -> None:
    """Print one warning for each deprecated rule a selection names (once per run)."""
    if not (config.select or config.cli_select or any(config.rules.values())):
        return  # nothing is selected by name: no need to load the rules to look
    from rich.markup import escape

    from nofault.cli.console import stderr
    from nofault.core.lint.config import deprecated_selected
    from nofault.core.lint.registry import all_rules

    for key, rule in deprecated_selected(config, all_rules()):
        if rule.code not in warned:
            warned.add(rule.code)
            stderr.print(
                f"[bold yellow]warning:[/] {escape(key)} selects {rule.code} "
                f"({rule.path}), which is deprecated and will be removed",
                markup=True,
            )


@dataclass(frozen=True)
class _Options:
    select: list[str] | None
    ignore: list[str] | None
    stdin_filename: str | None
    preview: bool
    cache: bool
    jobs: int


@dataclass(frozen=True)
class _Job:
    """One text to lint: the name it is reported under, its bytes and its configuration."""

    name: str
    data: bytes
    config: LintConfig
    settings: Settings | None = None  # what the cache keys it by; None: not kept (stdin)


def _rule_options(options: _Options) -> str:
    """Return the command line's rule options as the cache keys them."""
    return repr((options.select, options.ignore, options.preview))


def _collect(paths: list[str], fixed: LintConfig | None, options: _Options) -> list[_Job]:
    """Read every input, in the order given (folders sorted), with its configuration."""
    from nofault.core.lint.config import LintConfig, load_config_file

    configs: dict[Path, tuple[LintConfig, Settings]] = {}
    warned: set[str] = set()

    def config_for(path: Path) -> tuple[LintConfig, Settings]:
        folder = path.parent.resolve()
        if folder not in configs:
            source = Path(fixed.source) if fixed and fixed.source else find_config(folder)
            base = fixed or (load_config_file(source) if source else LintConfig())
            config = base.with_cli(
                select=options.select, ignore=options.ignore, preview=options.preview
            )
            # A guide's headings and settings are not in the file's bytes: key by what they give.
            derived = base.model_dump_json() if base.guide else ""
            configs[folder] = (config, settings(source, _rule_options(options), derived))
        _warn_deprecated(configs[folder][0], warned)
        return configs[folder]

    jobs = []
    for raw in paths:
        if raw == "-":
            name = options.stdin_filename or "-"
            config, _ = config_for(Path(name if options.stdin_filename else "x"))
            jobs.append(_Job(name, sys.stdin.buffer.read(), config))
            continue
        path = Path(raw)
        if path.is_dir():
            exclude = config_for(path / "x")[0].exclude
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
            jobs.append(_Job(str(file), data, *config_for(file)))
    return jobs


def _cache_base(source: Path | None, cache_dir: str | None) -> Path:
    """Return the cache folder: beside the configuration file (or its `cache-dir`), else here."""
    base = source.parent if source is not None else Path.cwd()
    return base / (cache_dir or CACHE_DIR_NAME)


def cache_folder(config: LintConfig) -> Path:
    """Return where results linted under a configuration are kept."""
    source = Path(config.source) if config.source and not config.source.startswith("<") else None
    return _cache_base(source, config.cache_dir)


def _plain_table(source: Path | None) -> dict[str, Any] | None:
    """Return a configuration file's table when the file alone decides the configuration.

    None when it names a guide (whose files add to it), or selects rules by name (which may
    warn of a deprecated rule), or its keys are not plain: those runs go the whole way.
    """
    table = (read_toml(source) or {}) if source is not None else {}
    exclude = table.get("exclude", [])
    cache_dir = table.get("cache-dir", table.get("cache_dir"))
    if (
        table.get("guide")
        or table.get("select")
        or "rules" in table
        or not (isinstance(exclude, list) and all(isinstance(x, str) for x in exclude))
        or not (cache_dir is None or isinstance(cache_dir, str))
    ):
        return None
    return table


def _kept_results(paths: list[str], options: _Options) -> list[LintResult] | None:
    """Return every input's kept result when the cache holds them all, else None.

    The configuration file is found and hashed as the cache keys it, unparsed beyond TOML:
    no configuration model and no linter are loaded. Stdin and rules named on the command
    line go the whole way, as does anything `_plain_table` declines.
    """
    if not options.cache or options.select or options.ignore or "-" in paths:
        return None
    found: dict[Path | None, tuple[LintCache, Settings] | None] = {}

    def cache_for(folder: Path) -> tuple[LintCache, Settings] | None:
        source = find_config(folder.resolve())
        if source not in found:
            table = _plain_table(source)
            found[source] = None
            if table is not None:
                folder = _cache_base(source, table.get("cache-dir", table.get("cache_dir")))
                found[source] = (LintCache(folder), settings(source, _rule_options(options)))
        return found[source]

    results = []
    try:
        for raw in paths:
            path = Path(raw)
            if path.is_dir():
                here = cache_for(path)
                if here is None:
                    return None
                table = _plain_table(find_config(path.resolve())) or {}
                files = list(iter_markdown_files(path, table.get("exclude", [])))
            elif path.is_file():
                files = [path]
            else:
                return None  # reported by the whole way
            for file in files:
                kept = cache_for(file.parent)
                if kept is None:
                    return None
                cache, setting = kept
                name = str(file)
                result = cache.get(name, setting, cache.key(file.read_bytes(), name, setting))
                if result is None:
                    return None
                results.append(result)
    except (OSError, ConfigError):
        return None
    return results


def _lint_all(paths: list[str], fixed: LintConfig | None, options: _Options) -> list[LintResult]:
    """Lint every input; kept results are read from the cache, the rest linted and kept."""
    jobs = _collect(paths, fixed, options)
    results: list[LintResult | None] = [None] * len(jobs)
    caches: dict[Path, LintCache] = {}
    keys: dict[int, tuple[LintCache, Settings, str]] = {}
    misses = []
    for index, job in enumerate(jobs):
        if options.cache and job.settings is not None:
            folder = cache_folder(job.config)
            cache = caches.get(folder) or caches.setdefault(folder, LintCache(folder))
            key = cache.key(job.data, job.name, job.settings)
            results[index] = cache.get(job.name, job.settings, key)
            if results[index] is not None:
                continue
            keys[index] = (cache, job.settings, key)
        misses.append(index)
    for index, result in zip(
        misses, _lint_jobs([jobs[i] for i in misses], options.jobs), strict=True
    ):
        results[index] = result
        if index in keys:
            cache, setting, key = keys[index]
            cache.put(jobs[index].name, setting, key, result)
    return [r for r in results if r is not None]


# A process pool pays for itself from about this much text (each process is forked with the
# rules already loaded, so it starts in milliseconds; the text is the cost).
PARALLEL_MIN_BYTES = 64_000
PARALLEL_MIN_FILES = 4
_POOL_JOBS: list[_Job] = []  # what the forked processes lint, by index


def _lint_one(index: int) -> LintResult:
    from nofault.core.lint.engine import lint

    job = _POOL_JOBS[index]
    result = lint(job.data, path=job.name, config=job.config)
    result.parsed = None  # the parse stays in the process: only the findings travel back
    return result


def _lint_serially(jobs: list[_Job]) -> list[LintResult]:
    from nofault.core.lint.engine import lint

    return [lint(job.data, path=job.name, config=job.config) for job in jobs]


def _lint_jobs(jobs: list[_Job], processes: int) -> list[LintResult]:
    """Lint the jobs, across processes when there is enough text; results in the jobs' order."""
    workers = min(processes or os.cpu_count() or 1, len(jobs))
    size = sum(len(job.data) for job in jobs)
    if workers < 2 or len(jobs) < PARALLEL_MIN_FILES or size < PARALLEL_MIN_BYTES:
        return _lint_serially(jobs)
    import gc
    import multiprocessing  # here: `nofault lint FILE` starts without them
    from concurrent.futures import ProcessPoolExecutor

    if "fork" not in multiprocessing.get_all_start_methods():
        return _lint_serially(jobs)
    # The first file is linted here, before the fork: every process then starts with the rule
    # packs loaded and the patterns a postmortem opens compiled (they compile on first use).
    first = _lint_serially(jobs[:1])
    _POOL_JOBS[:] = jobs[1:]
    # What is loaded now is left out of the collector's passes, so a forked process does not
    # copy every page of it by touching its objects (the gc module's advice for forking).
    gc.freeze()
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            chunk = max(1, len(_POOL_JOBS) // (workers * 8))
            return first + list(pool.map(_lint_one, range(len(_POOL_JOBS)), chunksize=chunk))
    finally:
        _POOL_JOBS.clear()
        gc.unfreeze()
