"""Edits to a postmortem's Markdown that change only what they are asked to.

A form (the web app's rows, the API's JSON document) edits the document model, not the text.
Rendering the whole model again would rewrite every line in nofault's canonical layout, and a
team's own layout, spacing and wording would be lost on the first save. `apply_document`
instead writes back only the parts whose values changed: the front matter, the title and the
text before the first section, and each section on its own. Everything else keeps its bytes,
including the line endings. When the new document equals the one the text already holds, the
text comes back unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping
from difflib import SequenceMatcher

import yaml

from nofault.core.document import Postmortem, Section, SectionKind
from nofault.core.markdown import (
    UNREADABLE_FRONT_MATTER,
    outline_item,
    parse_text,
    render,
    render_front_matter,
    render_section,
)


def _trim_end(lines: list[str], start: int, end: int) -> int:
    """Return `end` moved back over blank lines, never before `start`."""
    while end > start and not lines[end - 1].strip():
        end -= 1
    return end


def _section_key(section: Section) -> str:
    return section.model_dump_json()


def apply_document(
    source: str, new: Postmortem, *, aliases: Mapping[str, SectionKind] | None = None
) -> str:
    """Return `source` with only the parts of `new` that differ from what it holds rewritten.

    The result reads back as `new` whenever the canonical rendering of the changed parts does;
    callers that must be sure compare `parse_text(result).postmortem` with `new`.
    """
    parsed = parse_text(source, aliases=aliases)
    old = parsed.postmortem
    if old == new:
        return source
    if any(p.code == UNREADABLE_FRONT_MATTER for p in parsed.problems):
        # Nothing can be kept apart from a body whose start is unknown: write it whole.
        return render(new)
    newline = "\r\n" if "\r\n" in source else "\n"
    text = source.replace("\r\n", "\n").replace("\r", "\n")
    ends_with_newline = text.endswith("\n")
    lines = text.split("\n")
    if ends_with_newline:
        lines.pop()

    # Replacements as (start, end, new lines) on the original lines, applied last to first.
    edits: list[tuple[int, int, list[str]]] = []
    spans = parsed.section_spans
    first_section = spans[0][0] if spans else len(lines)

    # The title is the heading the reader took as the title; else it comes from the front
    # matter's `title`, or there is none.
    title_line = parsed.title_line
    title_in_front = title_line is None and "title" in parsed.front_matter_lines
    front_changed = render_front_matter(old) != render_front_matter(new)
    if front_changed or (title_in_front and old.title != new.title):
        front = render_front_matter(new).rstrip("\n").split("\n")
        if title_in_front and new.title:
            # The title was written in the front matter, not as a heading: it stays there.
            title = yaml.safe_dump({"title": new.title}, allow_unicode=True, width=1000)
            front[1:1] = title.rstrip("\n").split("\n")
        if parsed.has_front_matter:
            edits.append((0, parsed.body_start, front))
        else:
            edits.append((0, 0, [*front, ""]))

    if old.title != new.title and not title_in_front:
        heading = [f"# {new.title}"] if new.title else []
        if title_line is not None:
            edits.append((title_line, title_line + 1, heading))
        elif heading:
            edits.append((parsed.body_start, parsed.body_start, [*heading, ""]))
    if old.preamble != new.preamble:
        start = parsed.body_start if title_line is None else title_line + 1
        while start < first_section and not lines[start].strip():
            start += 1
        preamble = [*new.preamble.split("\n"), ""] if new.preamble else []
        edits.append((start, first_section, preamble))

    matcher = SequenceMatcher(
        a=[_section_key(s) for s in old.sections],
        b=[_section_key(s) for s in new.sections],
        autojunk=False,
    )
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        rendered = "\n\n".join(
            # A postmortem written as one numbered list keeps its shape: a section is an item.
            outline_item(render_section(s), j + 1) if parsed.outline else render_section(s)
            for j, s in enumerate(new.sections[j1:j2], start=j1)
        )
        replacement = rendered.split("\n") if rendered else []
        if i1 < i2:
            start, end = spans[i1][0], spans[i2 - 1][1]
            if replacement:
                edits.append((start, _trim_end(lines, start, end), replacement))
            else:
                edits.append((start, end, []))
        elif i1 < len(spans):
            edits.append((spans[i1][0], spans[i1][0], [*replacement, ""]))
        else:
            end = _trim_end(lines, 0, len(lines))
            edits.append((end, end, ["", *replacement] if end else replacement))

    # Last to first, so earlier line numbers stay true; two insertions at one line land in the
    # order they were made (front matter before a new title).
    order = sorted(range(len(edits)), key=lambda n: (edits[n][0], edits[n][1], n), reverse=True)
    for n in order:
        start, end, replacement = edits[n]
        lines[start:end] = replacement
    result = "\n".join(lines)
    if ends_with_newline or not text:
        result += "\n"
    return result.replace("\n", newline) if newline != "\n" else result
