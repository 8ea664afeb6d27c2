"""`nofault createadmin` and `nofault user …` on a fresh data folder, as a new install runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

PASSWORD = "harbour-lantern-quiet-47"


def _nofault(data: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "NOFAULT_CONFIG")}
    env["NOFAULT_DATA_DIR"] = str(data)
    return subprocess.run(
        [str(Path(sys.executable).parent / "nofault"), *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_a_fresh_install_gets_its_first_admin_and_people_without_a_shell(tmp_path: Path) -> None:
    secret = tmp_path / "password"
    secret.write_text(PASSWORD + "\n")
    weak = tmp_path / "weak"
    weak.write_text("1\n")
    refused = _nofault(tmp_path, "createadmin", "--password-file", str(weak))
    assert refused.returncode == 2 and "password refused" in refused.stderr
    made = _nofault(tmp_path, "createadmin", "--username", "root", "--password-file", str(secret))
    assert made.returncode == 0, made.stderr
    added = _nofault(tmp_path, "user", "add", "kim", "--role", "viewer", "--password-file", "-",
                     stdin=PASSWORD)  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert _nofault(tmp_path, "user", "set-role", "kim", "facilitator").returncode == 0
    last_admin = _nofault(tmp_path, "user", "set-role", "root", "viewer")
    assert last_admin.returncode == 2 and "last admin" in last_admin.stderr
    assert _nofault(tmp_path, "user", "deactivate", "kim").returncode == 0
    listed = _nofault(tmp_path, "user", "list", "--json")
    rows = {r["username"]: r for r in map(json.loads, listed.stdout.splitlines())}
    assert rows["root"]["role"] == "admin" and rows["root"]["status"] == "active"
    assert rows["kim"]["role"] == "facilitator" and rows["kim"]["status"] == "deactivated"
    unknown = _nofault(tmp_path, "user", "deactivate", "nobody")
    assert unknown.returncode == 2 and "no account named" in unknown.stderr
