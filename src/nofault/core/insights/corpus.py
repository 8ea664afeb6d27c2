"""Read a folder of Markdown postmortems into records (the CLI's and the benchmarks' source)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from nofault.core.document import Postmortem, PostmortemStatus, SectionKind
from nofault.core.imports.metadata import Facts, infer_front_matter, parse_date, title_from_filename
from nofault.core.insights.records import PostmortemRecord, record_from_postmortem
from nofault.core.markdown import ParsedText, heading_key, not_postmortem_reason, parse_text

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


_NUMBERED = re.compile(r"^\d{1,2}[.)]\s*")
# "Status: Complete, action items in progress", "Status: final": the review was published.
_DONE_STATUSES = ("complete", "completed", "final", "published", "done", "closed", "resolved")


def _plain_value(value: object) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


def infer_metadata(parsed: ParsedText, *, filename: str) -> Postmortem:
    """Fill a postmortem's missing date, severity, services, authors, title and status from
    what its text states, listing each field filled in `inferred`; nothing is invented.

    Read, in order: other tools' front-matter keys (`date`, `incident_date`, `service` …),
    `Key: value` lines and `### Date`-style headings near the top, a date in the title or the
    file name, and a severity named once in the text. A field the metadata already states is
    left as it is.
    """
    pm = parsed.postmortem
    properties = [
        (str(key), _plain_value(value))
        for key, value in pm.extra.items()
        if isinstance(value, str | int | float | date)
    ]
    for section in pm.sections:  # "### Date", "## 1. Incident Date" headings, value below
        if section.kind is SectionKind.OTHER and len(section.heading) <= 40 and section.body:
            label = _NUMBERED.sub("", section.heading)
            properties.append((label, section.body.split("\n\n")[0]))
    body = "\n".join(parsed.lines[parsed.body_start :])
    front, inferred, _left_out = infer_front_matter(
        title=pm.title, body=body, facts=Facts(properties=properties), filename=filename
    )
    updates: dict[str, object] = {}
    # The day a title names is the incident's ("Incident report July 11 2025 - …"); a
    # blog's publication date in its front matter comes after it.
    named = parse_date(pm.title) or parse_date(pm.title.replace("-", "/"))
    if pm.created is None and pm.published is None and (named or "created" in inferred):
        updates["created"] = named or front["created"]
    if pm.severity is None and "severity" in inferred:
        updates["severity"] = front["severity"]
    for name in ("services", "authors"):
        if not getattr(pm, name) and name in inferred:
            updates[name] = front[name]
    if not pm.title.strip():
        updates["title"] = title_from_filename(filename)
    if pm.status is PostmortemStatus.DRAFT and "status" not in pm.extra:
        for label, value in properties + _status_lines(body):
            words = value.strip().lower().replace("*", "").split()
            if heading_key(label) == "status" and words and words[0].strip(",.") in _DONE_STATUSES:
                updates["status"] = PostmortemStatus.PUBLISHED
                break
    if not updates:
        return pm
    names = [
        n for n in ("title", "created", "severity", "services", "authors", "status") if n in updates
    ]
    return pm.model_copy(update={**updates, "inferred": [*pm.inferred, *names]})


def _status_lines(body: str) -> list[tuple[str, str]]:
    """`Status: …` lines near the top of a body (with `<br>` and bold marks around them)."""
    out = []
    for line in body.split("\n")[:40]:
        for piece in line.replace("<br>", "\n").replace("<br/>", "\n").split("\n"):
            text = piece.strip().lstrip("-*> ").replace("**", "")
            label, colon, value = text.partition(":")
            if colon and heading_key(label) == "status":
                out.append((label, value))
    return out


def _reference_day(pm: Postmortem) -> bool:
    """Tell whether the postmortem states a day its timeline's bare times fall on."""
    if any((pm.created, pm.published, pm.started_at, pm.detected_at, pm.resolved_at)):
        return True
    return any(parse_date(e.time) is not None for e in pm.timeline)


def record_from_markdown(text: str | bytes, *, key: str, lint: bool = False) -> PostmortemRecord:
    """Parse one Markdown postmortem into a record; with `lint`, add depth score and blame count.

    Metadata the file does not state but its text does (a date in the title, a `Date:`
    line, a severity named in the text) is read into the record and marked as inferred.
    """
    if not lint:
        parsed = parse_text(text)
        pm = infer_metadata(parsed, filename=key)
        return record_from_postmortem(pm, key=key, day_known=_reference_day(pm))
    from nofault.core.lint.engine import lint as run_lint

    result = run_lint(text, path=key)
    assert result.parsed is not None
    blame = sum(1 for f in result.findings if f.category == "blame")
    pm = infer_metadata(result.parsed, filename=key)
    return record_from_postmortem(
        pm, key=key, score=result.score, blame_findings=blame, day_known=_reference_day(pm)
    )


def load_folder(
    root: Path, *, lint: bool = False, unread: list[tuple[str, str]] | None = None
) -> list[PostmortemRecord]:
    """Read every Markdown postmortem under a folder; files that are not postmortems are skipped
    (and added to `unread` with the reason, when it is given)."""
    records = []
    for path in markdown_files(root):
        data = path.read_bytes()
        parsed = parse_text(data)
        key = path.relative_to(root).as_posix() if root.is_dir() else path.name
        if not parsed.is_postmortem:
            if unread is not None:
                unread.append((key, not_postmortem_reason(parsed)))
            continue
        records.append(record_from_markdown(data, key=key, lint=lint))
    return records
