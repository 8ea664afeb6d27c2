"""Compiled patterns and parsed rule packs kept between runs, as Python keeps bytecode.

`re` turns a pattern's source into the regular-expression engine's code in pure Python, and
the rule packs compile some 400 patterns: 0.19 s of the 0.7 s CPU a cold `nofault lint FILE`
took (benchmarks/lint_process.py, one 16 KB postmortem, load average about 10); reading the
packs' YAML took 0.03 s more. While `use_kept()` is in force:

- `re` looks each pattern up in a file first: the engine code it built for that source and
  flags on an earlier run, which `_sre.compile` (the step `re` ends with) takes as it is;
- `packs.loader.load_yaml` looks the text up by its SHA-256 and reads the data it gave
  before from marshal's format (a fortieth of the time).

What is not in the files is compiled or parsed as ever and added when the process exits, so
the first run after an install or an edit of the rules pays what every run paid before.

The pattern file holds code for one Python build: its header names the interpreter's cache
tag and version and the engine's magic number, and a file with another header is ignored
and replaced. Both files live beside this module's bytecode (`__pycache__`), or where that
is not writable in nofault's cache folder ($NOFAULT_CACHE_DIR, else
$XDG_CACHE_HOME/nofault, else ~/.cache/nofault), and are written to a temporary file and
renamed into place (PYTHONDONTWRITEBYTECODE, which many CI images set, does not turn them
off: they are nofault's own). Like bytecode they hold no result: `nofault lint --no-cache`
uses them too.

This reaches into `re`'s private modules (`re._compiler`, `_sre`); where they are not as
expected, no pattern is kept and `re` compiles as usual.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import importlib
import marshal
import os
import re
import sys
import threading
import time
from pathlib import Path
from typing import Any

_sre: Any
_compiler: Any
try:
    _sre = importlib.import_module("_sre")
    _compiler = importlib.import_module("re._compiler")
except ImportError:  # pragma: no cover - every CPython since 3.11 has both
    _sre = _compiler = None

# What the kept code is valid for: another interpreter or engine gets a fresh file.
_HEADER = (
    "nofault kept patterns 1",
    sys.implementation.cache_tag,
    sys.hexversion,
    getattr(_sre, "MAGIC", None),
    getattr(_sre, "CODESIZE", None),
)
# A bound on the file: past it, only the patterns the last run compiled or read are kept.
MAX_PATTERNS = 4000
# Some libraries build a pattern's source from a set, so it changes with the string hash's
# seed and every run compiles it afresh (pydantic's signatures reach tokenize's; markdown-it
# builds one): a run that compiled only such a few does not rewrite the file (about 2 MB).
MIN_FRESH = 0.02

Entry = tuple[Any, ...]  # the arguments `_sre.compile` takes after the pattern's source


def default_path(kind: str = "patterns") -> Path:
    """Return where kept patterns (or pack data) are read and written for this interpreter."""
    name = f"{kind}.{sys.implementation.cache_tag}.marshal"
    beside = Path(__file__).parent / "__pycache__"
    if os.access(beside, os.W_OK) or (not beside.exists() and os.access(beside.parent, os.W_OK)):
        return beside / name
    # nofault's cache folder, as the insights index has it (core/insights/index_cache.py).
    if explicit := os.environ.get("NOFAULT_CACHE_DIR"):
        return Path(explicit) / name
    home = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(home) / "nofault" / name


def _read(path: Path, header: tuple[Any, ...]) -> dict[Any, Any]:
    """Return a kept file's entries, or none when it is missing, broken or of another build."""
    try:
        found, entries = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    return entries if found == header and isinstance(entries, dict) else {}


def _write(path: Path, header: tuple[Any, ...], entries: dict[Any, Any]) -> bool:
    """Write a kept file whole (a reader meets the old file or the new); False if it cannot."""
    import tempfile  # here: a run that writes nothing does not import it

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(marshal.dumps((header, entries)))
            os.replace(temp, path)
        except BaseException:
            os.unlink(temp)
            raise
    except (OSError, ValueError):
        return False  # a read-only install: the next run compiles again, as without a store
    return True


class _Capture:
    """Stands in for `_sre` while `re` compiles a pattern, keeping what it hands the engine."""

    def __init__(self) -> None:
        self.args: tuple[Any, ...] | None = None

    def __getattr__(self, name: str) -> Any:
        return getattr(_sre, name)

    def compile(self, *args: Any) -> Any:
        """Keep the engine's arguments and compile as `_sre` does."""
        self.args = args
        return _sre.compile(*args)


class PatternStore:
    """Engine code by (source, flags), read from one file and written back with what is new."""

    def __init__(self, path: Path, min_fresh: float = 0.0) -> None:
        self.path = path
        # Written back only when what was compiled afresh cost at least this much CPU time.
        self.min_fresh = min_fresh
        self.fresh = 0.0
        self.kept: dict[tuple[str, int], Entry] = _read(path, _HEADER)
        self.new: dict[tuple[str, int], Entry] = {}
        self.used: set[tuple[str, int]] = set()
        self.original = _compiler.compile
        self._lock = threading.Lock()

    def compile(self, p: Any, flags: int = 0) -> Any:
        """Return the compiled pattern, from kept code when there is some (re._compiler.compile)."""
        if not isinstance(p, str):  # bytes, and the parsed patterns re.Scanner passes
            return self.original(p, flags)
        key = (p, int(flags))  # re passes a plain int; a RegexFlag would not marshal
        entry = self.kept.get(key) or self.new.get(key)
        if entry is not None:
            try:
                compiled = _sre.compile(p, *entry)
                self.used.add(key)
                return compiled
            except (RuntimeError, TypeError, ValueError, OverflowError):
                self.kept.pop(key, None)  # not this engine's code: compile it afresh
        capture = _Capture()
        with self._lock:
            _compiler._sre = capture
            start = time.process_time()
            try:
                compiled = self.original(p, flags)
            finally:
                _compiler._sre = _sre
                self.fresh += time.process_time() - start
        if capture.args is not None and capture.args[0] is p:
            flags_out, code, *rest = capture.args[1:]
            # The code names its opcodes by int subclasses, which marshal does not write.
            self.new[key] = (int(flags_out), [int(c) for c in code], *rest)
        return compiled

    def save(self) -> None:
        """Write the kept and the newly compiled patterns back, when they were worth it."""
        if not self.new or self.fresh < self.min_fresh:
            return
        entries = {**self.kept, **self.new}
        if len(entries) > MAX_PATTERNS:  # keep what this run compiled or read
            entries = {k: v for k, v in entries.items() if k in self.new or k in self.used}
        if not _write(self.path, _HEADER, entries):
            return
        self.kept, self.new = entries, {}


class DataStore:
    """Parsed YAML by the SHA-256 of its text, in marshal's format, written back when new."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.kept: dict[str, bytes] = _read(path, _DATA_HEADER)
        self.new: dict[str, bytes] = {}
        self.used: set[str] = set()

    def get(self, text: str) -> Any:
        """Return a fresh copy of the data kept for a text, or None."""
        key = hashlib.sha256(text.encode()).hexdigest()
        kept = self.kept.get(key) or self.new.get(key)
        if kept is None:
            return None
        self.used.add(key)
        return marshal.loads(kept)

    def put(self, text: str, data: Any) -> None:
        """Keep the data a text gave (data marshal cannot write, such as dates, is not kept)."""
        with contextlib.suppress(ValueError):
            self.new[hashlib.sha256(text.encode()).hexdigest()] = marshal.dumps(data)

    def save(self) -> None:
        """Write back what this run read or added, when it added something (edits drop out)."""
        if self.new:
            entries = {k: v for k, v in self.kept.items() if k in self.used} | self.new
            if _write(self.path, _DATA_HEADER, entries):
                self.kept, self.new = entries, {}


_DATA_HEADER = ("nofault kept data 1", marshal.version)
_ACTIVE: PatternStore | None = None
_DATA: DataStore | None = None


def kept_data() -> DataStore | None:
    """Return the store of parsed pack data while `use_kept()` is in force, else None."""
    return _DATA


def use_kept(folder: Path | None = None) -> PatternStore | None:
    """Compile patterns and read pack data through the kept files for the rest of the process.

    What is new is written back when the process exits. Returns the pattern store, or None
    where `re`'s internals are not as this module expects (then only pack data is kept).
    """
    global _ACTIVE, _DATA
    if _DATA is None:
        _DATA = DataStore(folder / "data.marshal" if folder else default_path("data"))
        atexit.register(_DATA.save)
    if _ACTIVE is not None:
        return _ACTIVE
    if _compiler is None or not callable(getattr(_compiler, "compile", None)):
        return None
    if not hasattr(_compiler, "_sre") or not callable(getattr(_sre, "compile", None)):
        return None
    store = PatternStore(folder / "patterns.marshal" if folder else default_path(), MIN_FRESH)
    _compiler.compile = store.compile
    atexit.register(store.save)
    _ACTIVE = store
    return store


def stop_keeping() -> None:
    """Write what is new and compile and parse as usual again."""
    global _ACTIVE, _DATA
    store, _ACTIVE = _ACTIVE, None
    data, _DATA = _DATA, None
    if data is not None:
        atexit.unregister(data.save)
        data.save()
    if store is None:
        return
    _compiler.compile = store.original
    atexit.unregister(store.save)
    store.save()
    re.purge()  # patterns compiled through the store leave `re`'s own cache with it
