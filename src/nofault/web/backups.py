"""Backups: the database, the secret key and every file in the data folder, in one archive.

An archive is a tar file holding `nofault-backup.json` (what it holds), the database (an
online copy through SQLite's backup API, or `pg_dump`'s custom format) and `files/…`, every
file of the data folder but the database, the collected static files and the metrics folder.
A restore goes into an empty database only, so it never mixes two organisations' data.
"""

from __future__ import annotations

import io
import json
import os
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.db import connections
from django.utils import timezone

from nofault.__about__ import __version__

MANIFEST = "nofault-backup.json"
FORMAT = 1
# Regenerated (static files), transient (metrics) or the database itself: not backed up.
_SKIPPED_DIRS = {"static", "prometheus"}


class BackupError(Exception):
    """A backup or restore cannot go on; the message says why."""


@dataclass(frozen=True)
class BackupSummary:
    """What an archive holds."""

    vendor: str
    files: list[str]
    size: int


def _database() -> dict[str, Any]:
    return dict(settings.DATABASES["default"])


def _vendor() -> str:
    return "postgresql" if "postgresql" in _database()["ENGINE"] else "sqlite"


def _data_files() -> list[Path]:
    data_dir = Path(settings.NOFAULT_DATA_DIR)
    database = Path(str(_database()["NAME"])).resolve()
    found = []
    for root, dirs, names in os.walk(data_dir):
        here = Path(root)
        if here == data_dir:
            dirs[:] = [d for d in dirs if d not in _SKIPPED_DIRS]
        for name in names:
            path = here / name
            if path.resolve() in {database, Path(f"{database}-wal"), Path(f"{database}-shm")}:
                continue
            if path.is_file() and not path.is_symlink():
                found.append(path)
    return sorted(found)


def _pg_env() -> tuple[list[str], dict[str, str]]:
    """Connection arguments and environment for pg_dump / pg_restore / psql."""
    db = _database()
    args = ["--dbname", str(db["NAME"])]
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])  # never on the command line: ps shows it
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise BackupError(
            f"{command[0]} is not installed: install PostgreSQL's client programs"
        ) from None
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()[:2000]}")


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    info.mode = 0o600
    tar.addfile(info, io.BytesIO(data))


def backup_write(output: Path) -> BackupSummary:
    """Write an online backup of the database and the data folder's files to `output`."""
    vendor = _vendor()
    data_dir = Path(settings.NOFAULT_DATA_DIR)
    files = _data_files()
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".partial")
    with tempfile.TemporaryDirectory() as scratch:
        if vendor == "sqlite":
            dump = Path(scratch) / "nofault.sqlite3"
            source = sqlite3.connect(str(_database()["NAME"]))
            target = sqlite3.connect(dump)
            try:
                source.backup(target)  # consistent while the app keeps writing
            finally:
                target.close()
                source.close()
            member = "database/nofault.sqlite3"
        else:
            dump = Path(scratch) / "nofault.pgdump"
            args, env = _pg_env()
            _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
                  "--file", str(dump), *args], env)  # fmt: skip
            member = "database/nofault.pgdump"
        manifest = {
            "format": FORMAT,
            "nofault": __version__,
            "vendor": vendor,
            "created_at": timezone.now().isoformat(),
            "database": member,
            "files": [path.relative_to(data_dir).as_posix() for path in files],
        }
        # Written aside and renamed: a backup cut short never looks like a whole one.
        with tarfile.open(partial, "w:gz") as tar:
            _add_bytes(tar, MANIFEST, json.dumps(manifest, indent=2).encode())
            tar.add(dump, arcname=member)
            for path in files:
                tar.add(path, arcname=f"files/{path.relative_to(data_dir).as_posix()}")
    partial.chmod(0o600)  # it holds the secret key
    partial.replace(output)
    return BackupSummary(vendor, manifest["files"], output.stat().st_size)


def _database_is_empty() -> bool:
    connection = connections["default"]
    with connection.cursor() as cursor:
        return not connection.introspection.table_names(cursor)


def _safe_member(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts:
        raise BackupError(f"the archive names a file outside the data folder: {name!r}")
    return path


def backup_restore(archive: Path) -> BackupSummary:
    """Restore an archive into an empty database and the data folder; refuse a used database."""
    try:
        with tarfile.open(archive, "r:*") as tar:
            return _restore_from(tar, archive)
    except tarfile.TarError as error:
        raise BackupError(f"{archive} is not a whole nofault backup: {error}") from None


def _restore_from(tar: tarfile.TarFile, archive: Path) -> BackupSummary:
    try:
        manifest = json.loads(tar.extractfile(MANIFEST).read())  # type: ignore[union-attr]
    except (KeyError, AttributeError, ValueError):
        raise BackupError(f"{archive} is not a nofault backup: no {MANIFEST}") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"backup format {manifest.get('format')!r} is not {FORMAT}")
    vendor = _vendor()
    if manifest["vendor"] != vendor:
        raise BackupError(
            f"the backup is of a {manifest['vendor']} database; this nofault uses {vendor}"
        )
    if not _database_is_empty():
        raise BackupError(
            "the database already holds tables: restore into an empty database "
            "(a new data folder, or a newly created PostgreSQL database)"
        )
    data_dir = Path(settings.NOFAULT_DATA_DIR)
    members = {m.name: m for m in tar.getmembers()}
    dump = members.get(manifest["database"])
    if dump is None or not dump.isfile():
        raise BackupError(f"the archive lacks its database ({manifest['database']})")
    with tempfile.TemporaryDirectory() as scratch:
        tar.extract(dump, scratch, filter="data")
        extracted = Path(scratch) / dump.name
        connections["default"].close()
        if vendor == "sqlite":
            source = sqlite3.connect(extracted)
            target = sqlite3.connect(str(_database()["NAME"]))
            try:
                source.backup(target)
            finally:
                target.close()
                source.close()
        else:
            args, env = _pg_env()
            _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
                  "--single-transaction", *args, str(extracted)], env)  # fmt: skip
    for name in manifest["files"]:
        relative = _safe_member(name)
        member = members.get(f"files/{relative.as_posix()}")
        if member is None or not member.isfile():
            raise BackupError(f"the archive lacks the file {name}")
        target_path = data_dir / relative
        target_path.parent.mkdir(parents=True, exist_ok=True)
        data = tar.extractfile(member).read()  # type: ignore[union-attr]
        target_path.write_bytes(data)
        target_path.chmod(0o600)
    return BackupSummary(vendor, list(manifest["files"]), archive.stat().st_size)
