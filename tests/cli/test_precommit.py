"""The pre-commit hooks, run by pre-commit itself as a team would: `pre-commit try-repo`.

pre-commit builds its own environment from this checkout (uncommitted changes included) and
installs nofault into it, once for both hooks; the second run reuses it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRE_COMMIT = Path(sys.executable).with_name("pre-commit")

BLAMEFUL = """---
title: Checkout errors after a config push
---

# Summary

Bob should have checked the dashboard before the deploy.
"""

BLAMELESS = """---
title: Checkout errors after a config push
---

# Summary

The dashboard showed the error rate within normal bounds, so the rollout went ahead.
"""


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


def _try_repo(repo: Path, hook: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home)}
    return subprocess.run(
        [str(PRE_COMMIT), "try-repo", str(ROOT), hook, "--all-files"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


@pytest.fixture(scope="module")
def hook_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """pre-commit's cache, kept for the module so the hooks' environment is built once."""
    assert PRE_COMMIT.exists(), "pre-commit comes with the dev extra (make setup)"
    assert shutil.which("git"), "pre-commit needs git"
    return tmp_path_factory.mktemp("pre-commit-home")


def _repo_with(tmp_path: Path, text: str) -> Path:
    repo = tmp_path / "team-repo"
    (repo / "postmortems").mkdir(parents=True)
    (repo / "postmortems" / "2026-11-02-checkout.md").write_text(text, encoding="utf-8")
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    return repo


@pytest.mark.parametrize("hook", ["nofault-blame", "nofault"])
def test_hook_blocks_blameful_postmortem(tmp_path: Path, hook_home: Path, hook: str) -> None:
    repo = _repo_with(tmp_path, BLAMEFUL)
    result = _try_repo(repo, hook, hook_home)
    out = result.stdout + result.stderr
    assert result.returncode == 1, out
    assert "postmortems/2026-11-02-checkout.md:7:1: BLM301" in out
    assert "suggestion:" in out


def test_blame_hook_passes_blameless_postmortem(tmp_path: Path, hook_home: Path) -> None:
    repo = _repo_with(tmp_path, BLAMELESS)
    result = _try_repo(repo, "nofault-blame", hook_home)
    out = result.stdout + result.stderr
    assert result.returncode == 0, out
    assert "Passed" in out
