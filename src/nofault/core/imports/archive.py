"""Reading an export's files from a zip, a folder or one file, within set limits.

Every member is read whole before anything is converted, so a broken archive (a bad CRC, an
encrypted member, an unknown compression method, a member longer or shorter than it says)
stops the import before any page exists: an import is all or nothing.
"""

from __future__ import annotations

import io
import unicodedata
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from nofault.core.imports.errors import ImportFailure

# A zip inside a zip is how Notion delivers an export (the outer zip holds `Export-…-Part-1.zip`).
MAX_NESTING = 2


@dataclass(frozen=True)
class Limits:
    """How much one import may hold: files, total bytes once unpacked, and bytes per file."""

    max_members: int = 2000
    max_total_bytes: int = 200 * 1024 * 1024
    max_member_bytes: int = 50 * 1024 * 1024


class _Budget:
    """Counts files and unpacked bytes across nested archives against one set of limits."""

    def __init__(self, limits: Limits, origin: str) -> None:
        self.limits = limits
        self.origin = origin
        self.members = 0
        self.total = 0

    def take(self, name: str, size: int) -> None:
        self.members += 1
        self.total += size
        if self.members > self.limits.max_members:
            raise ImportFailure(
                self.origin, f"holds more than {self.limits.max_members} files", reason="too_large"
            )
        if size > self.limits.max_member_bytes:
            raise ImportFailure(
                self.origin,
                f"{name} is larger than {_megabytes(self.limits.max_member_bytes)} unpacked",
                reason="too_large",
            )
        if self.total > self.limits.max_total_bytes:
            raise ImportFailure(
                self.origin,
                f"unpacks to more than {_megabytes(self.limits.max_total_bytes)}",
                reason="too_large",
            )


def _megabytes(size: int) -> str:
    return f"{size // (1024 * 1024)} MB"


def _clean_name(name: str) -> str:
    # Notion writes some names in NFD; links and folder names are compared in NFC.
    parts = [p for p in PurePosixPath(name.replace("\\", "/")).parts if p not in ("", ".", "..")]
    return unicodedata.normalize("NFC", "/".join(parts))


def read_zip(data: bytes, origin: str, limits: Limits) -> dict[str, bytes]:
    """Return every file of a zip (nested zips unpacked in place), or raise ImportFailure."""
    members: dict[str, bytes] = {}
    _unpack(data, origin, "", _Budget(limits, origin), members, depth=1)
    return members


def _unpack(
    data: bytes, origin: str, prefix: str, budget: _Budget, out: dict[str, bytes], depth: int
) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ImportFailure(origin, f"not a readable zip ({exc})", reason="bad_zip") from None
    with archive:
        infos = [info for info in archive.infolist() if not info.is_dir()]
        # Declared sizes first: refuse a zip bomb before inflating any of it.
        for info in infos:
            budget.take(info.filename, info.file_size)
        for info in infos:
            name = prefix + _clean_name(info.filename)
            content = _read_member(archive, info, origin)
            if name.lower().endswith(".zip") and depth < MAX_NESTING:
                _unpack(content, origin, name[:-4] + "/", budget, out, depth + 1)
            elif name:
                out[name] = content


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, origin: str) -> bytes:
    where = f"{info.filename}"
    if info.flag_bits & 0x1:
        raise ImportFailure(origin, f"{where} is encrypted", reason="bad_zip")
    try:
        with archive.open(info) as handle:
            content = handle.read(info.file_size + 1)
    except NotImplementedError:
        raise ImportFailure(
            origin, f"{where} uses a compression method nofault cannot read", reason="bad_zip"
        ) from None
    except RuntimeError as exc:  # zipfile's word for an encrypted member
        raise ImportFailure(origin, f"{where}: {exc}", reason="bad_zip") from None
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError) as exc:
        raise ImportFailure(origin, f"{where} is damaged ({exc})", reason="bad_zip") from None
    if len(content) != info.file_size:
        raise ImportFailure(
            origin,
            f"{where} holds {len(content)} bytes but says {info.file_size}",
            reason="bad_zip",
        )
    return content


def read_folder(
    folder: Path, limits: Limits, wanted: Callable[[str], bool] = lambda name: True
) -> dict[str, bytes]:
    """Return every file under a folder by its relative path (zips in it unpacked).

    Only files `wanted` (pages and zips) are read; the others (attachments, images) are
    listed with no content, as only their names are reported.
    """
    budget = _Budget(limits, str(folder))
    out: dict[str, bytes] = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        relative = path.relative_to(folder).as_posix()
        if any(part.startswith(".") for part in relative.split("/")):
            continue
        if not (wanted(relative) or relative.lower().endswith(".zip")):
            budget.take(relative, 0)
            out[_clean_name(relative)] = b""
            continue
        budget.take(relative, path.stat().st_size)
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise ImportFailure(str(path), exc.strerror or str(exc), reason="unreadable") from None
        name = _clean_name(relative)
        if name.lower().endswith(".zip"):
            _unpack(content, str(path), name[:-4] + "/", budget, out, depth=1)
        else:
            out[name] = content
    return out
