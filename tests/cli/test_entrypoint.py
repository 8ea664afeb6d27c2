"""The container's entrypoint script, run outside a container: its roles and its refusal of
a data folder it cannot write."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ENTRYPOINT = ROOT / "docker" / "entrypoint.sh"


def _run(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NOFAULT_DATA_DIR": str(data_dir)}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return subprocess.run(
        ["sh", str(ENTRYPOINT), *args], env=env, capture_output=True, text=True, timeout=300,
        check=False,
    )  # fmt: skip


def test_any_other_role_is_a_nofault_command(tmp_path: Path) -> None:
    done = _run(tmp_path, "--version")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("nofault ")


def test_the_worker_role_runs_the_queue(tmp_path: Path) -> None:
    done = _run(tmp_path, "worker", "--burst")
    assert done.returncode == 0, done.stderr
    assert "Ran " in done.stdout
    assert (tmp_path / "nofault.sqlite3").is_file(), "migrations applied in the data folder"


def test_an_unwritable_data_folder_is_refused_with_its_name(tmp_path: Path) -> None:
    missing = tmp_path / "not-there"
    done = _run(missing, "web")
    assert done.returncode == 2
    assert str(missing) in done.stderr
