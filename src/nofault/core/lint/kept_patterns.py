"""Compiled regular expressions kept between runs, as Python keeps compiled bytecode.

`re` turns a pattern's source into the regular-expression engine's code in pure Python, and
the rule packs compile some 400 patterns: 0.19 s of the 0.7 s CPU a cold `nofault lint FILE`
took (benchmarks/lint_process.py, one 16 KB postmortem, load average about 10). While
`use_kept_patterns()` is in force, `re` looks each pattern up in a file first: the engine
code it built for that source and flags on an earlier run, which `_sre.compile` (the step
`re` ends with) takes as it is. A pattern not in the file is compiled by `re` as ever and
added to the file when the process exits, so the first run after an install or an edit of
the rules pays what every run paid before.

The file holds code for one Python build: its header names the interpreter's cache tag and
version and the engine's magic number, and a file with another header is ignored and
replaced. It lives beside this module's bytecode (`__pycache__`), or in the user's cache
folder where that is not writable, and is written to a temporary file and renamed into
place (PYTHONDONTWRITEBYTECODE, which many CI images set, does not turn it off: it is
nofault's own). Like bytecode it holds no result: `nofault lint --no-cache` uses it too.

This reaches into `re`'s private modules (`re._compiler`, `_sre`); where they are not as
expected, nothing is kept and `re` compiles as usual.
"""

from __future__ import annotations

import atexit
import importlib
import marshal
import os
import re
import sys
import tempfile
import threading
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

Entry = tuple[Any, ...]  # the arguments `_sre.compile` takes after the pattern's source


def default_path() -> Path:
    """Return where the kept patterns are read and written for this interpreter."""
    name = f"patterns.{sys.implementation.cache_tag}.marshal"
    beside = Path(__file__).parent / "__pycache__"
    if os.access(beside, os.W_OK) or (not beside.exists() and os.access(beside.parent, os.W_OK)):
        return beside / name
    home = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(home) / "nofault" / name


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

    def __init__(self, path: Path) -> None:
        self.path = path
        self.kept: dict[tuple[str, int], Entry] = self._read()
        self.new: dict[tuple[str, int], Entry] = {}
        self.used: set[tuple[str, int]] = set()
        self.original = _compiler.compile
        self._lock = threading.Lock()

    def _read(self) -> dict[tuple[str, int], Entry]:
        try:
            header, entries = marshal.loads(self.path.read_bytes())
        except (OSError, EOFError, ValueError, TypeError):
            return {}
        return entries if header == _HEADER and isinstance(entries, dict) else {}

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
            try:
                compiled = self.original(p, flags)
            finally:
                _compiler._sre = _sre
        if capture.args is not None and capture.args[0] is p:
            flags_out, code, *rest = capture.args[1:]
            # The code names its opcodes by int subclasses, which marshal does not write.
            self.new[key] = (int(flags_out), [int(c) for c in code], *rest)
        return compiled

    def save(self) -> None:
        """Write the kept and the newly compiled patterns back, when there are new ones."""
        if not self.new:
            return
        entries = {**self.kept, **self.new}
        if len(entries) > MAX_PATTERNS:  # keep what this run compiled or read
            entries = {k: v for k, v in entries.items() if k in self.new or k in self.used}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(dir=self.path.parent, prefix=".patterns-")
            try:
                with os.fdopen(fd, "wb") as out:
                    out.write(marshal.dumps((_HEADER, entries)))
                os.replace(temp, self.path)
            except BaseException:
                os.unlink(temp)
                raise
        except (OSError, ValueError):
            return  # a read-only install: the next run compiles again, as without a store
        self.kept, self.new = entries, {}


_ACTIVE: PatternStore | None = None


def use_kept_patterns(path: Path | None = None) -> PatternStore | None:
    """Make `re` compile through the kept patterns for the rest of the process.

    New patterns are written back when the process exits. Returns the store, or None where
    `re`'s internals are not as this module expects (then nothing changes).
    """
    global _ACTIVE
    if _ACTIVE is not None:
        return _ACTIVE
    if _compiler is None or not callable(getattr(_compiler, "compile", None)):
        return None
    if not hasattr(_compiler, "_sre") or not callable(getattr(_sre, "compile", None)):
        return None
    store = PatternStore(path or default_path())
    _compiler.compile = store.compile
    atexit.register(store.save)
    _ACTIVE = store
    return store


def stop_keeping() -> None:
    """Write what is new and let `re` compile as usual again."""
    global _ACTIVE
    store, _ACTIVE = _ACTIVE, None
    if store is None:
        return
    _compiler.compile = store.original
    atexit.unregister(store.save)
    store.save()
    re.purge()  # patterns compiled through the store leave `re`'s own cache with it
