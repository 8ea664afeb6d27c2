"""Where a part of the document stands in the file, so a finding points at it."""

from __future__ import annotations

import re

from nofault.core.document import SectionKind
from nofault.core.lint.context import LintContext
from nofault.core.lint.rule import Hit
from nofault.core.markdown import Block, iter_sections


def section_span(ctx: LintContext, kind: SectionKind) -> tuple[int, int] | None:
    """Return the 0-based (heading line, end) of the first section of a kind."""
    for section, (start, end, _heading) in iter_sections(ctx.parsed):
        if section.kind == kind:
            return start, end
    return None


def section_hit(ctx: LintContext, kind: SectionKind, message: str | None = None) -> Hit:
    """Return a hit on a section's heading, or on the title when the section is absent."""
    span = section_span(ctx, kind)
    line = span[0] + 1 if span else ctx.title_line()
    return Hit(line, 1, message=message)


def _blocks(ctx: LintContext, kind: SectionKind, block_type: str) -> list[Block]:
    span = section_span(ctx, kind)
    if span is None:
        return []
    return [b for b in ctx.parsed.blocks if span[0] < b.start < span[1] and b.type == block_type]


def _item_lines(ctx: LintContext, kind: SectionKind, block_type: str) -> list[int]:
    """Return the 0-based first line of each list item or table row of a section's first block."""
    for block in _blocks(ctx, kind, block_type):
        if block_type == "table":
            rows = [i for i in range(block.start + 2, block.end) if ctx.lines[i].strip()]
            if rows:
                return rows
        elif block.items:
            return [s for s, _e in block.items]
    return []


def _by_id(ctx: LintContext, kind: SectionKind, pattern: str) -> int | None:
    span = section_span(ctx, kind)
    if span is None:
        return None
    rx = re.compile(pattern)
    for index in range(span[0], span[1]):
        if rx.search(ctx.lines[index]):
            return index
    return None


def _hit_at(
    ctx: LintContext, index: int | None, needle: str | None, message: str | None = None
) -> Hit:
    if index is None:
        return Hit(ctx.title_line(), 1, message=message)
    line = ctx.lines[index]
    if needle:
        column = line.find(needle)
        if column < 0:
            column = line.lower().find(needle.lower())
        if column >= 0:
            return Hit(index + 1, column + 1, index + 1, column + 1 + len(needle), message=message)
    indent = len(line) - len(line.lstrip())
    return Hit(index + 1, indent + 1, message=message)


def factor_hit(
    ctx: LintContext,
    position: int,
    ident: str,
    needle: str | None = None,
    message: str | None = None,
) -> Hit:
    """Return a hit on the contributing factor at `position` (0-based) with id `ident`."""
    index = _by_id(ctx, SectionKind.CONTRIBUTING_FACTORS, rf"\*\*{re.escape(ident)}\*\*")
    if index is None:
        items = _item_lines(ctx, SectionKind.CONTRIBUTING_FACTORS, "bullet_list")
        index = items[position] if position < len(items) else None
    return _hit_at(ctx, index, needle, message=message)


def action_hit(
    ctx: LintContext,
    position: int,
    ident: str,
    needle: str | None = None,
    message: str | None = None,
) -> Hit:
    """Return a hit on the action item row at `position` (0-based) with id `ident`."""
    index = _by_id(ctx, SectionKind.ACTION_ITEMS, rf"^\s*\|?\s*{re.escape(ident)}\s*\|")
    if index is None:
        rows = _item_lines(ctx, SectionKind.ACTION_ITEMS, "table")
        index = rows[position] if position < len(rows) else None
    return _hit_at(ctx, index, needle, message=message)


def event_hit(
    ctx: LintContext, position: int, needle: str | None = None, message: str | None = None
) -> Hit:
    """Return a hit on the timeline event at `position` (0-based)."""
    section = ctx.postmortem.section(SectionKind.TIMELINE)
    style = getattr(section, "style", "table")
    rows = _item_lines(ctx, SectionKind.TIMELINE, "table" if style == "table" else "bullet_list")
    index = rows[position] if position < len(rows) else None
    return _hit_at(ctx, index, needle, message=message)


def chain_hit(
    ctx: LintContext,
    chain: int,
    answer: int | None,
    needle: str | None = None,
    message: str | None = None,
) -> Hit:
    """Return a hit on a five-whys chain's heading, or on one of its answers."""
    span = section_span(ctx, SectionKind.ANALYSIS)
    if span is None:
        return Hit(ctx.title_line(), 1, message=message)
    blocks = [b for b in ctx.parsed.blocks if span[0] < b.start < span[1]]
    found = -1
    for position, block in enumerate(blocks):
        if block.type != "heading" or not re.search(
            r"(?:five|5)\s+whys", ctx.lines[block.start], re.IGNORECASE
        ):
            continue
        found += 1
        if found != chain:
            continue
        following = blocks[position + 1] if position + 1 < len(blocks) else None
        if answer is None or following is None or following.type != "ordered_list":
            return _hit_at(ctx, block.start, None, message=message)
        items = following.items
        if not items:
            return _hit_at(ctx, block.start, None, message=message)
        return _hit_at(ctx, items[answer][0], needle, message=message)
    return Hit(span[0] + 1, 1, message=message)
