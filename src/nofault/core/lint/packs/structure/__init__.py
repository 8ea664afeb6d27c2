"""The structure pack: the file reads as a postmortem in nofault's format."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from nofault.core.document import SectionKind
from nofault.core.lint.context import LintContext
from nofault.core.lint.engine import suppression_hits
from nofault.core.lint.packs.loader import load_pack
from nofault.core.lint.rule import Category, Detector, Hit, Rule
from nofault.core.markdown import (
    BAD_DATE,
    CANONICAL_HEADINGS,
    NOT_TEXT,
    UNKNOWN_VALUE,
    UNREADABLE_FRONT_MATTER,
    iter_sections,
)


def _problems(code: str) -> Detector:
    def detect(ctx: LintContext, rule: Rule) -> Iterator[Hit]:
        for p in ctx.parsed.problems:
            if p.code == code:
                yield Hit(p.line, p.column, p.end_line, p.end_column, message=p.message)

    return detect


def unknown_severity(ctx: LintContext, rule: Rule) -> Iterator[Hit]:
    """Flag a severity that the configuration does not define."""
    severity = ctx.postmortem.severity
    if severity is None or severity in ctx.config.severities:
        return
    line = ctx.front_matter_line("severity")
    text = ctx.lines[line - 1] if line <= len(ctx.lines) else ""
    column = text.find(severity) + 1 if severity in text else 1
    allowed = ", ".join(ctx.config.severities)
    # A severity that differs from one defined only in case, spaces or dashes ("sev 2") is
    # that one; anything else needs a person to choose.
    same = [s for s in ctx.config.severities if _bare(s) == _bare(severity)]
    yield Hit(
        line, column, line, column + len(severity) if column > 1 else None,
        message=f"severity {severity!r} is not one of {allowed}",
        fix=same[0] if len(same) == 1 and column > 1 else None,
    )  # fmt: skip


def _bare(name: str) -> str:
    return "".join(c for c in name.casefold() if c.isalnum())


def _absent(ctx: LintContext) -> Iterator[str]:
    """Yield each section kind the review level requires that no section was read as."""
    pm = ctx.postmortem
    present = {s.kind.value for s in pm.sections}
    for name in ctx.config.required_sections.get(pm.review_level.value, []):
        if name not in present:
            yield name


def _heading(name: str) -> str:
    try:
        return CANONICAL_HEADINGS[SectionKind(name)]
    except ValueError:
        return name


def _unread(ctx: LintContext) -> list[str]:
    """The headings nofault did not read as a section it knows (another layout's own)."""
    return [s.heading for s in ctx.postmortem.sections if s.kind == SectionKind.OTHER]


def missing_section(ctx: LintContext, rule: Rule) -> Iterator[Hit]:
    """Flag each section the review level requires that the document lacks.

    A document with headings nofault did not read is in a layout of its own, and what seems
    missing may be under one of them: `unread_section` says that instead.
    """
    if _unread(ctx):
        return
    level = ctx.postmortem.review_level.value
    for name in _absent(ctx):
        heading = _heading(name)
        yield Hit(
            ctx.title_line(), 1,
            message=f"missing section '## {heading}' ({level} review)",
            suggestion=f"Add a '## {heading}' section; `nofault new` writes one with guidance.",
        )  # fmt: skip


def unread_section(ctx: LintContext, rule: Rule) -> Iterator[Hit]:
    """Say which required section no heading was read as, and which headings were not read."""
    unread = _unread(ctx)
    if not unread:
        return
    listed = ", ".join(f"'{h}'" for h in unread[:6]) + (", …" if len(unread) > 6 else "")
    for name in _absent(ctx):
        heading = _heading(name)
        yield Hit(
            ctx.title_line(), 1,
            message=f"no heading was read as '## {heading}'; headings read as other sections: "
            f"{listed}",
            suggestion=f"If one of them holds it, rename it '## {heading}' or map it in the "
            f'configuration ([tool.nofault.headings] "Its heading" = "{name}"); otherwise add '
            f"a '## {heading}' section.",
        )  # fmt: skip


# Kinds every section of which is read (a second timeline's events count too).
_READ_ALL = {SectionKind.OTHER, SectionKind.TIMELINE, SectionKind.CONTRIBUTING_FACTORS,
             SectionKind.ACTION_ITEMS, SectionKind.LINKS}  # fmt: skip


def duplicate_section(ctx: LintContext, rule: Rule) -> Iterator[Hit]:
    """Flag a second prose section of a kind nofault reads (only the first one would count)."""
    seen: dict[SectionKind, int] = {}
    for section, (start, _end, _heading) in iter_sections(ctx.parsed):
        if section.kind in _READ_ALL:
            continue
        if section.kind in seen:
            yield Hit(
                start + 1, 1, start + 1, len(ctx.lines[start]) + 1,
                message=f"section '{section.heading}' repeats the "
                f"{section.kind.value.replace('_', ' ')}"
                f" section at line {seen[section.kind]}",
            )  # fmt: skip
        else:
            seen[section.kind] = start + 1


def _find_line(ctx: LintContext, pattern: str, start: int = 0) -> tuple[int, int]:
    rx = re.compile(pattern)
    for index in range(start, len(ctx.lines)):
        m = rx.search(ctx.lines[index])
        if m:
            return index + 1, m.start() + 1
    return ctx.title_line(), 1


def duplicate_id(ctx: LintContext, rule: Rule) -> Iterator[Hit]:
    """Flag contributing factors or action items that share an id."""
    pm = ctx.postmortem
    for what, ids, pattern in (
        ("contributing factor", [f.id for f in pm.contributing_factors], r"\*\*{}\*\*"),
        ("action item", [a.id for a in pm.action_items], r"^\s*\|\s*{}\s*\|"),
    ):
        for ident, count in Counter(ids).items():
            if count > 1:
                first = _find_line(ctx, pattern.format(re.escape(ident)))
                line, col = _find_line(ctx, pattern.format(re.escape(ident)), first[0])
                yield Hit(line, col, message=f"{what} id {ident!r} is used {count} times")


def unknown_factor(ctx: LintContext, rule: Rule) -> Iterator[Hit]:
    """Flag an action item that names a contributing factor the document does not define."""
    factors = ctx.postmortem.contributing_factors
    known = {f.id for f in factors}
    # Say what was read, so a reference by number or name can be made to fit.
    read = ", ".join(f.id for f in factors[:12]) + (", …" if len(factors) > 12 else "")
    for item in ctx.postmortem.action_items:
        for ref in item.factors:
            if ref not in known:
                line, col = _find_line(ctx, rf"^\s*\|\s*{re.escape(item.id)}\s*\|")
                yield Hit(
                    line, col,
                    message=f"action item {item.id} addresses {ref!r}, which is not a contributing "
                    "factor id in this document"
                    + (f" (factors read: {read})" if read else " (no factors were read)"),
                    suggestion="Name a factor by its id, its number in the list, or the words "
                    "its text starts with.",
                )  # fmt: skip


def suppression_reason(ctx: LintContext, rule: Rule) -> Iterator[Hit]:
    """Flag a suppression comment that does not say why."""
    yield from suppression_hits(ctx.parsed)


RULES = load_pack(
    Path(__file__).with_name("rules.yaml"),
    Category.STRUCTURE,
    {
        "front_matter": _problems(UNREADABLE_FRONT_MATTER),
        "unknown_severity": unknown_severity,
        "bad_date": _problems(BAD_DATE),
        "missing_section": missing_section,
        "unread_section": unread_section,
        "duplicate_section": duplicate_section,
        "unknown_value": _problems(UNKNOWN_VALUE),
        "not_text": _problems(NOT_TEXT),
        "duplicate_id": duplicate_id,
        "unknown_factor": unknown_factor,
        "suppression_reason": suppression_reason,
    },
)
