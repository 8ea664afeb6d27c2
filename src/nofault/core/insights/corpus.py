"""Read a folder of Markdown postmortems into records (the CLI's and the benchmarks' source)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from nofault.core.insights.records import PostmortemRecord, record_from_postmortem
from nofault.core.markdown import parse_text

MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd")
_SKIP_DIRS = {"node_modules", "__pycache__", "venv", "site-packages"}


def markdown_files(root: Path) -> Iterator[Path]:
    """Yield the Markdown files under a folder (or the file itself), sorted."""
    if root.is_file():
        yield root
        return
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in _SKIP_DIRS and not d.startswith("."))
        for name in sorted(filenames):
            if name.lower().endswith(MARKDOWN_SUFFIXES) and name.lower() != "readme.md":
                yield Path(dirpath) / name


def record_from_markdown(text: str | bytes, *, key: str, lint: bool = False) -> PostmortemRecord:
    """Parse one Markdown postmortem into a record; with `lint`, add depth score and blame count."""
    if not lint:
        return record_from_postmortem(parse_text(text).postmortem, key=key)
    from nofault.core.lint.engine import lint as run_lint

    result = run_lint(text, path=key)
    assert result.parsed is not None
    blame = sum(1 for f in result.findings if f.category == "blame")
    return record_from_postmortem(
        result.parsed.postmortem, key=key, score=result.score, blame_findings=blame
    )


def load_folder(root: Path, *, lint: bool = False) -> list[PostmortemRecord]:
    """Read every Markdown postmortem under a folder; files that are not postmortems are skipped."""
    records = []
    for path in markdown_files(root):
        data = path.read_bytes()
        parsed = parse_text(data)
        if not parsed.is_postmortem:
            continue
        key = path.relative_to(root).as_posix() if root.is_dir() else path.name
        records.append(record_from_markdown(data, key=key, lint=lint))
    return records
