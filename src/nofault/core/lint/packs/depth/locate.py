"""Where a part of the document stands in the file, so a finding points at it."""

from __future__ import annotations

import re

from nofault.core.document import SectionKind
from nofault.core.lint.context import LintContext
from nofault.core.lint.rule import Hit
from nofault.core.markdown import Block


def section_span(ctx: LintContext, kind: SectionKind) -> tuple[int, int] | None:
    """Return the 0-based (heading line, end) of the first section of a kind."""
    return ctx.section_span(kind)


def section_hit(ctx: LintContext, kind: SectionKind, message: str | None = None) -> Hit:
    """Return a hit on a section's heading, or on the title when the section is absent."""
    span = section_span(ctx, kind)
    line = span[0] + 1 if span else ctx.title_line()
    return Hit(line, 1, message=message)


def _blocks(ctx: LintContext, kind: SectionKind, block_type: str) -> list[Block]:
    span = section_span(ctx, kind)
    if span is None:
        return []
    return [b for b in ctx.blocks_between(*span) if b.type == block_type]


def _memo(ctx: LintContext) -> dict[tuple[object, ...], object]:
    """Return this lint's memo of locations (one per context, so never stale)."""
    memo: dict[tuple[object, ...], object] = vars(ctx).setdefault("_locate_memo", {})
    return memo


def _item_lines(ctx: LintContext, kind: SectionKind, block_type: str) -> list[int]:
    """Return the 0-based first line of each list item or table row of a section's first block."""
    key = ("items", kind, block_type)
    memo = _memo(ctx)
    if key not in memo:
        memo[key] = _find_item_lines(ctx, kind, block_type)
    found: list[int] = memo[key]  # type: ignore[assignment]
    return found


def _find_item_lines(ctx: LintContext, kind: SectionKind, block_type: str) -> list[int]:
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


# What an id can look like in each place, for the one-pass index below; ids of any other
# shape fall back to scanning the section (rare, and still correct).
_FACTOR_ID = re.compile(r"[A-Za-z][\w.-]*")
_FACTOR_MARK = re.compile(r"(?=\*\*([A-Za-z][\w.-]*)\*\*)")
_ROW_START = re.compile(r"\s*\|?\s*")


def _id_index(ctx: LintContext, kind: SectionKind) -> dict[str, int]:
    """Map every id a section's lines could be found by to the first line that holds it.

    One pass over the section instead of one per factor or action item: a review with
    thousands of action items would otherwise scan its table once per item.
    """
    key = ("ids", kind)
    memo = _memo(ctx)
    if key in memo:
        found: dict[str, int] = memo[key]  # type: ignore[assignment]
        return found
    index: dict[str, int] = {}
    span = section_span(ctx, kind)
    if span is not None:
        lines = ctx.lines
        for number in range(span[0], span[1]):
            line = lines[number]
            if kind is SectionKind.CONTRIBUTING_FACTORS:
                if "**" in line:
                    for m in _FACTOR_MARK.finditer(line):
                        index.setdefault(m.group(1), number)
            elif "|" in line:
                for ident in _row_ids(line):
                    index.setdefault(ident, number)
    memo[key] = index
    return index


def _row_ids(line: str) -> set[str]:
    """Return every X without pipes or outer blanks that `^\\s*\\|?\\s*X\\s*\\|` matches."""
    out: set[str] = set()
    lead = len(line) - len(line.lstrip())
    after_pipe = _ROW_START.match(line)
    for start in {lead, after_pipe.end() if after_pipe else lead}:
        # Without a pipe of its own, X ends at the first pipe after its start.
        pipe = line.find("|", start)
        candidate = line[start:pipe].rstrip() if pipe >= 0 else ""
        if candidate:
            out.add(candidate)
    return out


def _factor_line(ctx: LintContext, ident: str) -> int | None:
    if _FACTOR_ID.fullmatch(ident):
        return _id_index(ctx, SectionKind.CONTRIBUTING_FACTORS).get(ident)
    return _by_id(ctx, SectionKind.CONTRIBUTING_FACTORS, rf"\*\*{re.escape(ident)}\*\*")


def _action_line(ctx: LintContext, ident: str) -> int | None:
    if ident and ident == ident.strip() and "|" not in ident:
        return _id_index(ctx, SectionKind.ACTION_ITEMS).get(ident)
    return _by_id(ctx, SectionKind.ACTION_ITEMS, rf"^\s*\|?\s*{re.escape(ident)}\s*\|")


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
    index = _factor_line(ctx, ident)
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
    index = _action_line(ctx, ident)
    if index is None:
        rows = _item_lines(ctx, SectionKind.ACTION_ITEMS, "table")
        index = rows[position] if position < len(rows) else None
    return _hit_at(ctx, index, needle, message=message)


def event_hit(
    ctx: LintContext, position: int, needle: str | None = None, message: str | None = None
) -> Hit:
    """Return a hit on the timeline event at `position` (0-based)."""
    key = ("timeline style",)
    memo = _memo(ctx)
    if key not in memo:
        memo[key] = getattr(ctx.postmortem.section(SectionKind.TIMELINE), "style", "table")
    style = memo[key]
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
    blocks = ctx.blocks_between(*span)
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
