"""The lint cache: a file's findings kept under what decides them, so re-linting costs little.

An entry holds one file's result and the key it was computed under: a hash of the file's
bytes, its path, the bytes of the configuration file that applied (and, when that file
names a guide, the whole configuration it gives), the command line's rule options, the
nofault version, a fingerprint of the linter's code and rule packs (every file under
nofault/core, by size and modification time), and today's date (overdue actions and other
date checks depend on it). Anything that could change the findings changes the key, so an
entry is either exactly right or a miss. The key needs no parsed configuration and the
entry no linter, so a re-lint that every entry answers loads neither (`nofault lint` then
costs about what Python and Typer cost to start).

There is one entry per file and configuration (the newest result replaces the older), so the
cache does not grow with each edit. Entries are JSON, written to a temporary file and renamed
into place, so a reader meets a whole entry or none; the folder holds a `.gitignore` of `*`,
so it is never committed by mistake (a committed entry could hide findings).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, fields
from datetime import date, datetime
from pathlib import Path
from typing import Any

import nofault
from nofault.__about__ import __version__
from nofault.core.lint.result import DepthScore, Finding, LintResult, ResponseTimes, ScorePart

CACHE_DIR_NAME = ".nofault_cache"
_FINDING_FIELDS = [f.name for f in fields(Finding)]
_TIME_FIELDS = [f.name for f in fields(ResponseTimes)]


def code_fingerprint(core: Path | None = None, version: str = __version__) -> str:
    """Return a hash of the version and of every file of nofault's core, by size and mtime."""
    core = core or Path(nofault.__file__).parent / "core"
    digest = hashlib.sha256(version.encode())
    for folder, dirs, files in os.walk(core):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith((".pyc", ".pyo")):
                continue
            stat = os.stat(os.path.join(folder, name))
            digest.update(f"{folder}/{name}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


@dataclass(frozen=True)
class Settings:
    """What, besides a file's bytes and path, decides its findings, as the cache reads it.

    `scope` names the entry (the configuration file and the command line's rule options),
    so an edited file or configuration replaces its entry; `digest` adds the
    configuration's bytes (and what a guide makes of them).
    """

    scope: str
    digest: str


def settings(source: Path | None, options: str, derived: str = "") -> Settings:
    """Return the settings for a configuration file (None: the defaults) and rule options.

    `derived` is the configuration built from the file when the file alone does not decide
    it (a configuration that names a guide); `options` are the command line's rule options.
    """
    scope = f"{source}\0{options}"
    body = b"" if source is None else source.read_bytes()
    digest = hashlib.sha256(body + b"\0" + derived.encode()).hexdigest()
    return Settings(scope, digest)


class LintCache:
    """Lint results on disk, keyed by everything that decides them."""

    def __init__(
        self, folder: Path, *, today: date | None = None, fingerprint: str | None = None
    ) -> None:
        self.folder = folder
        self._base = f"{fingerprint or code_fingerprint()}:{(today or date.today()).isoformat()}"
        self._ready = False

    def key(self, data: bytes, path: str, settings: Settings) -> str:
        """Return the key of a file's result under some settings."""
        digest = hashlib.sha256(self._base.encode())
        digest.update(f"{settings.scope}\0{settings.digest}\0".encode("utf-8", "surrogateescape"))
        digest.update(path.encode("utf-8", "surrogateescape") + b"\0")
        digest.update(data)
        return digest.hexdigest()

    def _entry(self, path: str, settings: Settings) -> Path:
        name = hashlib.sha256(
            f"{path}\0{settings.scope}".encode("utf-8", "surrogateescape")
        ).hexdigest()
        return self.folder / name[:2] / f"{name[2:]}.json"

    def get(self, path: str, settings: Settings, key: str) -> LintResult | None:
        """Return the kept result when its key matches, else None."""
        try:
            entry = json.loads(self._entry(path, settings).read_bytes())
            if entry.get("key") != key:
                return None
            return _result_from(path, entry["result"])
        except (OSError, ValueError, KeyError, TypeError):
            return None  # absent, unreadable or of another shape: lint again

    def put(self, path: str, settings: Settings, key: str, result: LintResult) -> None:
        """Keep a result; a cache that cannot be written is left alone (linting goes on)."""
        target = self._entry(path, settings)
        try:
            self._prepare()
            target.parent.mkdir(parents=True, exist_ok=True)
            body = json.dumps({"key": key, "result": _result_to(result)}, separators=(",", ":"))
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(body)
            os.replace(tmp, target)
        except OSError:
            return

    def _prepare(self) -> None:
        if self._ready:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        ignore = self.folder / ".gitignore"
        if not ignore.exists():
            ignore.write_text("# written by nofault lint: its cache is never committed\n*\n")
        self._ready = True


def _result_to(result: LintResult) -> dict[str, Any]:
    score = result.score
    return {
        "is_postmortem": result.is_postmortem,
        "findings": [[getattr(f, n) for n in _FINDING_FIELDS] for f in result.findings],
        "score": None
        if score is None
        else {
            "score": score.score,
            "min": score.min,
            "parts": [[p.name, p.points, p.max, p.detail] for p in score.parts],
            "times": [_iso(getattr(score.times, n)) for n in _TIME_FIELDS],
            "review_level": score.review_level,
            "notes": list(score.notes),
        },
    }


def _result_from(path: str, data: dict[str, Any]) -> LintResult:
    findings = []
    for row in data["findings"]:
        values = dict(zip(_FINDING_FIELDS, row, strict=True))
        values["file"] = path
        findings.append(Finding(**values))
    score = None
    if data["score"] is not None:
        s = data["score"]
        times = [None if t is None else datetime.fromisoformat(t) for t in s["times"]]
        score = DepthScore(
            score=s["score"],
            min=s["min"],
            parts=tuple(ScorePart(*p) for p in s["parts"]),
            times=ResponseTimes(**dict(zip(_TIME_FIELDS, times, strict=True))),
            review_level=s["review_level"],
            notes=tuple(s["notes"]),
        )
    return LintResult(path, findings, bool(data["is_postmortem"]), None, score)


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()
