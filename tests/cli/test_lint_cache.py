"""`nofault lint`'s cache and its parallel runs: the same findings as a fresh lint, always.

The cache must never answer with a stale result: a change of the file, of the
configuration, of nofault's code or version, or of the day gives a fresh lint.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nofault.cli.lint_cache import LintCache, code_fingerprint, settings
from nofault.cli.main import app
from nofault.core.lint.config import LintConfig
from nofault.core.lint.engine import lint

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[2]
POSTMORTEMS = ROOT / "tests" / "data" / "postmortems"

BLAMEFUL = """---
severity: SEV2
---

# Checkout errors after a config push

## Summary

Bob should have checked the dashboard before the deploy. It was a careless change.
"""


def _lint(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["lint", *args])
    return result.exit_code, result.stdout


def _entries(folder: Path) -> dict[Path, int]:
    return {p: p.stat().st_mtime_ns for p in folder.rglob("*.json")}


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository with a configuration and a few postmortems."""
    (tmp_path / ".nofault.toml").write_text('fail-level = "warning"\n', encoding="utf-8")
    folder = tmp_path / "postmortems"
    folder.mkdir()
    (folder / "checkout.md").write_text(BLAMEFUL, encoding="utf-8")
    for name in ("deep-checkout-config-push.md", "shallow-human-error-factor.md"):
        shutil.copy(POSTMORTEMS / name, folder / name)
    return tmp_path


def test_warm_run_is_read_from_the_cache_and_says_the_same(repo: Path) -> None:
    cold = _lint(str(repo / "postmortems"), "--score")
    cache = repo / ".nofault_cache"
    entries = _entries(cache)
    assert len(entries) == 3  # one per file, beside the configuration
    assert (cache / ".gitignore").read_text().strip().endswith("*")
    warm = _lint(str(repo / "postmortems"), "--score")
    assert warm == cold
    assert _entries(cache) == entries  # nothing linted again, nothing written
    fresh = _lint(str(repo / "postmortems"), "--score", "--no-cache")
    assert fresh == cold
    as_json = [_lint(str(repo / "postmortems"), "-f", "json", *extra)[1]
               for extra in ([], ["--no-cache"])]  # fmt: skip
    assert json.loads(as_json[0])["files"] == json.loads(as_json[1])["files"]


def test_a_changed_file_is_linted_again(repo: Path) -> None:
    target = repo / "postmortems" / "checkout.md"
    code, out = _lint(str(target))
    assert code == 1 and "BLM" in out
    target.write_text(BLAMEFUL.replace("Bob should have checked", "The check skipped")
                      .replace(" It was a careless change.", ""), encoding="utf-8")  # fmt: skip
    assert _lint(str(target), "--select", "blame") == _lint(
        str(target), "--select", "blame", "--no-cache"
    )
    assert "BLM301" not in _lint(str(target))[1]


def test_a_changed_configuration_is_never_answered_from_the_cache(repo: Path) -> None:
    target = str(repo / "postmortems" / "checkout.md")
    _, before = _lint(target)
    assert "BLM301" in before
    (repo / ".nofault.toml").write_text('[rules]\n"BLM301" = false\n', encoding="utf-8")
    _, after = _lint(target)
    assert "BLM301" not in after
    assert after == _lint(target, "--no-cache")[1]
    assert "BLM301" not in _lint(target, "--ignore", "blame")[1]


def test_no_cache_reads_and_writes_nothing(repo: Path) -> None:
    _lint(str(repo / "postmortems"), "--no-cache")
    assert not (repo / ".nofault_cache").exists()


def test_cache_dir_setting(repo: Path) -> None:
    (repo / ".nofault.toml").write_text('cache-dir = "build/lint-cache"\n', encoding="utf-8")
    _lint(str(repo / "postmortems"))
    assert len(_entries(repo / "build" / "lint-cache")) == 3
    assert not (repo / ".nofault_cache").exists()


def test_unreadable_entries_are_linted_again(repo: Path) -> None:
    cold = _lint(str(repo / "postmortems"))
    for entry in _entries(repo / ".nofault_cache"):
        entry.write_text('{"key": ', encoding="utf-8")
    assert _lint(str(repo / "postmortems")) == cold


def test_code_version_and_day_are_in_the_key(tmp_path: Path) -> None:
    config = settings(None, "()")
    result = lint(BLAMEFUL.encode(), path="pm.md", config=LintConfig())
    kept = LintCache(tmp_path, today=date(2026, 3, 1), fingerprint="code-a")
    key = kept.key(BLAMEFUL.encode(), "pm.md", config)
    kept.put("pm.md", config, key, result)
    again = kept.get("pm.md", config, key)
    assert again is not None and again.findings == result.findings
    for other in (
        LintCache(tmp_path, today=date(2026, 3, 1), fingerprint="code-b"),
        LintCache(tmp_path, today=date(2026, 3, 2), fingerprint="code-a"),
    ):
        assert other.get("pm.md", config, other.key(BLAMEFUL.encode(), "pm.md", config)) is None
    # Other rule options on the command line, or another configuration file, miss too.
    toml = tmp_path / ".nofault.toml"
    toml.write_text('fail-level = "error"\n', encoding="utf-8")
    for other_settings in (settings(None, "(['blame'], None, False)"), settings(toml, "()")):
        assert (
            kept.get("pm.md", other_settings, kept.key(BLAMEFUL.encode(), "pm.md", other_settings))
            is None
        )


def test_fingerprint_follows_the_code_and_the_version(tmp_path: Path) -> None:
    core = tmp_path / "core"
    (core / "lint" / "packs").mkdir(parents=True)
    rules = core / "lint" / "packs" / "rules.yaml"
    rules.write_text("- code: BLM101\n", encoding="utf-8")
    first = code_fingerprint(core, "1.0.0")
    assert code_fingerprint(core, "1.0.0") == first
    assert code_fingerprint(core, "1.0.1") != first
    rules.write_text("- code: BLM102\n", encoding="utf-8")  # same size, a new mtime
    os.utime(rules, ns=(1, 1))
    assert code_fingerprint(core, "1.0.0") != first


def test_parallel_lint_gives_the_serial_findings_in_order(tmp_path: Path) -> None:
    """Enough text for a process pool; its output equals one process's, file for file."""
    folder = tmp_path / "many"
    folder.mkdir()
    sources = sorted(POSTMORTEMS.glob("*.md"))
    for n in range(3):
        for source in sources:
            (folder / f"{n}-{source.name}").write_bytes(source.read_bytes())
    assert sum(p.stat().st_size for p in folder.iterdir()) > 100_000
    serial = _lint(str(folder), "--no-cache", "--jobs", "1", "-f", "json")
    parallel = _lint(str(folder), "--no-cache", "--jobs", "2", "-f", "json")
    assert serial[0] == parallel[0]
    files = json.loads(parallel[1])["files"]
    assert [f["path"] for f in files] == sorted(f["path"] for f in files)
    assert files == json.loads(serial[1])["files"]


def test_a_re_lint_the_cache_answers_loads_no_linter(repo: Path) -> None:
    heavy = ("nofault.core.lint.engine", "nofault.core.lint.config", "markdown_it", "rich.console")
    program = (
        "import sys\nfrom nofault.cli.main import app\n"
        "try:\n    app(['lint', sys.argv[1]])\nexcept SystemExit:\n    pass\n"
        f"print('loaded:', *(m for m in {heavy!r} if m in sys.modules))\n"
    )
    target = str(repo / "postmortems" / "checkout.md")

    def run() -> tuple[str, str]:
        out = subprocess.run([sys.executable, "-c", program, target], cwd=repo,
                             capture_output=True, text=True, check=True).stdout  # fmt: skip
        findings, _, loaded = out.rpartition("loaded:")
        return findings, loaded.strip()

    cold, warm = run(), run()
    assert "BLM" in cold[0] and warm[0] == cold[0]
    assert "nofault.core.lint.engine" in cold[1]
    assert warm[1] == ""
