"""`nofault backup` and `nofault restore` round-trip every row and file, on SQLite and on
PostgreSQL; `nofault export --all` writes every postmortem and record. Each runs the real
command in its own process against a real database loaded by `nofault demo`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

NOFAULT = [str(Path(sys.executable).with_name("nofault"))]
PG = "postgres://postgres@127.0.0.1:5432/"


def _nofault(env: dict[str, str], *args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [*NOFAULT, *args], env={**os.environ, **env}, capture_output=True, text=True,
        timeout=600, check=False,
    )  # fmt: skip
    if ok:
        assert done.returncode == 0, done.stdout + done.stderr
    return done


def _files(data_dir: Path) -> dict[str, bytes]:
    skipped = {"static", "prometheus"}
    return {
        p.relative_to(data_dir).as_posix(): p.read_bytes()
        for p in data_dir.rglob("*")
        if p.is_file()
        and p.relative_to(data_dir).parts[0] not in skipped
        and not p.name.startswith("nofault.sqlite3")
    }


def _sqlite_rows(path: Path) -> dict[str, list[str]]:
    import sqlite3

    db = sqlite3.connect(path)
    try:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {t: sorted(map(repr, db.execute(f'SELECT * FROM "{t}"'))) for t in tables}
    finally:
        db.close()


def _pg_rows(name: str) -> dict[str, list[str]]:
    import psycopg

    with psycopg.connect(PG + name) as db:
        tables = [
            r[0]
            for r in db.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
            ).fetchall()
        ]
        rows = {t: sorted(map(repr, db.execute(f'SELECT * FROM "{t}"').fetchall())) for t in tables}
        sequences = db.execute(
            "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'"
        ).fetchall()
    return {**rows, "(sequences)": sorted(map(repr, sequences))}


def _pg_fresh(name: str) -> None:
    import psycopg

    with psycopg.connect(PG + "postgres", autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        db.execute(f'CREATE DATABASE "{name}"')


def _pg_drop(name: str) -> None:
    import psycopg

    with psycopg.connect(PG + "postgres", autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _loaded(data_dir: Path, env: dict[str, str]) -> None:
    _nofault(env, "demo")
    upload = data_dir / "uploads" / "runbook.txt"
    upload.parent.mkdir(parents=True)
    upload.write_bytes("an uploaded file, ünïcode and all\n".encode())


def test_sqlite_backup_restores_every_row_and_file(tmp_path: Path) -> None:
    source = {"NOFAULT_DATA_DIR": str(tmp_path / "source")}
    _loaded(tmp_path / "source", source)
    archive = tmp_path / "backup.tar.gz"
    _nofault(source, "backup", "-o", str(archive))
    assert oct(archive.stat().st_mode & 0o777) == "0o600", "it holds the secret key"
    target = {"NOFAULT_DATA_DIR": str(tmp_path / "target")}
    _nofault(target, "restore", str(archive))
    before = _sqlite_rows(tmp_path / "source" / "nofault.sqlite3")
    after = _sqlite_rows(tmp_path / "target" / "nofault.sqlite3")
    assert sum(map(len, before.values())) > 100, "the demo loaded rows to compare"
    assert before == after
    assert _files(tmp_path / "source") == _files(tmp_path / "target")
    assert "secret_key" in _files(tmp_path / "target")
    again = _nofault(target, "restore", str(archive), ok=False)
    assert again.returncode == 1
    assert "empty database" in again.stderr + again.stdout
    assert _sqlite_rows(tmp_path / "target" / "nofault.sqlite3") == before, "left as it was"


def test_restore_refuses_what_is_not_a_backup(tmp_path: Path) -> None:
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"not an archive at all")
    done = _nofault({"NOFAULT_DATA_DIR": str(tmp_path / "d")}, "restore", str(junk), ok=False)
    assert done.returncode == 1
    assert "not a whole nofault backup" in done.stderr + done.stdout


@pytest.fixture
def pg_names() -> Iterator[tuple[str, str]]:
    names = ("nofault_backup_source", "nofault_backup_target")
    try:
        for name in names:
            _pg_fresh(name)
    except Exception as error:
        pytest.fail(f"PostgreSQL at {PG} is needed for this test: {error}")
    yield names
    for name in names:
        _pg_drop(name)


def test_postgresql_backup_restores_every_row_and_file(
    tmp_path: Path, pg_names: tuple[str, str]
) -> None:
    source_db, target_db = pg_names
    source = {"NOFAULT_DATA_DIR": str(tmp_path / "source"), "DATABASE_URL": PG + source_db}
    _loaded(tmp_path / "source", source)
    archive = tmp_path / "backup.tar.gz"
    _nofault(source, "backup", "-o", str(archive))
    target = {"NOFAULT_DATA_DIR": str(tmp_path / "target"), "DATABASE_URL": PG + target_db}
    _nofault(target, "restore", str(archive))
    before, after = _pg_rows(source_db), _pg_rows(target_db)
    assert sum(map(len, before.values())) > 100
    assert before == after
    assert _files(tmp_path / "source") == _files(tmp_path / "target")
    sqlite_target = {"NOFAULT_DATA_DIR": str(tmp_path / "other")}
    wrong = _nofault(sqlite_target, "restore", str(archive), ok=False)
    assert "postgresql database" in wrong.stderr + wrong.stdout


def test_export_all_writes_every_postmortem_and_record(tmp_path: Path) -> None:
    env = {"NOFAULT_DATA_DIR": str(tmp_path / "data")}
    _nofault(env, "demo")
    _nofault(env, "export", "--all", "-o", str(tmp_path / "out.zip"))
    _nofault(env, "export", "--all", "-o", str(tmp_path / "folder"))
    rows = _sqlite_rows(tmp_path / "data" / "nofault.sqlite3")
    with zipfile.ZipFile(tmp_path / "out.zip") as archive:
        names = archive.namelist()
        zipped = {n: archive.read(n) for n in names}
    folder = {
        p.relative_to(tmp_path / "folder").as_posix(): p.read_bytes()
        for p in (tmp_path / "folder").rglob("*")
        if p.is_file()
    }
    assert zipped == folder
    markdown = [n for n in names if n.startswith("postmortems/")]
    assert len(markdown) == len(rows["postmortems_postmortem"])
    assert all(zipped[n].startswith(b"---\n") for n in markdown), "front matter first"
    incidents: list[dict[str, Any]] = json.loads(zipped["incidents.json"])
    items = json.loads(zipped["action-items.json"])
    assert len(incidents) == len(rows["incidents_incident"])
    assert len(items) == len(rows["actions_actionitem"])
    assert {"key", "title", "severity"} <= set(incidents[0])
    assert isinstance(json.loads(zipped["guide.json"]), dict)
    refused = _nofault(env, "export", "-o", str(tmp_path / "x"), ok=False)
    assert refused.returncode == 2
