"""A similarity index over a folder of postmortems, kept on disk until the folder changes.

Building the index reads and parses every postmortem: seconds over 10,000 of them. The built
index is written to one file per folder in a cache directory, headed by a fingerprint of what
it was built from: nofault's version, the word lists, and every Markdown file's path, size and
modification time. A later run that finds the same fingerprint loads the index (a `stat` of
each file, no parsing); any change to the folder, or another nofault, builds it afresh.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from pathlib import Path

from nofault.__about__ import __version__
from nofault.core.insights.corpus import MARKDOWN_SUFFIXES, load_folder
from nofault.core.insights.similar import FORMAT, SimilarityIndex
from nofault.core.insights.terms import lexicon_version

__all__ = ["default_cache_dir", "folder_fingerprint", "similarity_index_for_folder"]

_FINGERPRINT_BYTES = 64
# The folders and files `corpus.markdown_files` reads (a test keeps the two in step).
_SKIPPED_FOLDERS = frozenset({"node_modules", "__pycache__", "venv", "site-packages"})


def _skipped_folder(name: str) -> bool:
    return name in _SKIPPED_FOLDERS or name.startswith(".")


def _markdown_name(name: str) -> bool:
    lower = name.lower()
    return lower.endswith(MARKDOWN_SUFFIXES) and lower != "readme.md"


def default_cache_dir() -> Path:
    """Where caches go: $NOFAULT_CACHE_DIR, else $XDG_CACHE_HOME/nofault, else ~/.cache/nofault."""
    if explicit := os.environ.get("NOFAULT_CACHE_DIR"):
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "nofault"


def _markdown_stats(root: Path) -> list[tuple[str, int, int]]:
    """Each Markdown file `corpus.markdown_files` reads: (path in the folder, size, mtime).

    Walked with `os.scandir`, whose entries carry what `stat` needs without building a Path per
    file: over 10,000 files this is most of a cached run's own time.
    """
    if root.is_file():
        stat = root.stat()
        return [(root.name, stat.st_size, stat.st_mtime_ns)]
    found: list[tuple[str, int, int]] = []
    pending = [(str(root), "")]
    while pending:
        where, prefix = pending.pop()
        with os.scandir(where) as entries:
            for entry in entries:
                name = entry.name
                if entry.is_dir(follow_symlinks=True):
                    if not _skipped_folder(name):
                        pending.append((entry.path, f"{prefix}{name}/"))
                elif _markdown_name(name):
                    stat = entry.stat()
                    found.append((prefix + name, stat.st_size, stat.st_mtime_ns))
    return sorted(found)


def folder_fingerprint(root: Path) -> str:
    """Hash what an index of the folder depends on: versions and each file's path, size, mtime."""
    digest = hashlib.sha256(f"{__version__}\0{FORMAT}\0{lexicon_version()}\0".encode())
    for name, size, mtime in _markdown_stats(root):
        digest.update(f"{name}\0{size}\0{mtime}\n".encode())
    return digest.hexdigest()


def _cache_file(root: Path, cache_dir: Path) -> Path:
    where = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:24]
    return cache_dir / f"similar-{where}.index"


def similarity_index_for_folder(
    root: Path, *, cache_dir: Path | None = None, use_cache: bool = True
) -> tuple[SimilarityIndex, bool]:
    """Return the index of a folder's postmortems and whether it came from the cache.

    With `use_cache` false the cache is neither read nor written. A cache file that cannot be
    read or was written by other code is rebuilt over, never trusted.
    """
    if not use_cache:
        return SimilarityIndex.build(load_folder(root)), False
    cache = _cache_file(root, cache_dir or default_cache_dir())
    fingerprint = folder_fingerprint(root)
    try:
        with cache.open("rb") as handle:
            if handle.read(_FINGERPRINT_BYTES).decode("ascii", "replace") == fingerprint:
                return SimilarityIndex.loads(handle.read()), True
    except (OSError, ValueError, EOFError, ImportError, AttributeError, KeyError, TypeError):
        pass  # no cache yet, or one this code cannot use: build it again below
    index = SimilarityIndex.build(load_folder(root))
    tmp: str | None = None
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        # Written whole to a temporary file and renamed: a reader never sees half an index.
        fd, tmp = tempfile.mkstemp(dir=cache.parent, prefix=cache.name, suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(fingerprint.encode("ascii"))
            handle.write(index.dumps())
        os.replace(tmp, cache)
        tmp = None
    except OSError:
        pass  # a read-only or full cache directory costs speed, not the answer
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    return index, False
