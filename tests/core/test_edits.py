"""`apply_document` writes back only what changed, on our own documents and on real ones."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from nofault.core import document
from nofault.core.edits import apply_document
from nofault.core.markdown import parse_text
from tests.core.test_markdown_inputs import SHARED_TEMPLATES

DATA = Path(__file__).parents[1] / "data"
REAL = SHARED_TEMPLATES.parent / "real-postmortems"
DOCUMENTS = sorted(
    [*(DATA / "postmortems").glob("*.md"), *SHARED_TEMPLATES.glob("*.md"), *REAL.glob("*.md")]
)


def _changed(old: str, new: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(old.split("\n"), new.split("\n"), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def test_there_are_real_documents_to_check() -> None:
    assert len([p for p in DOCUMENTS if p.parent == REAL]) >= 30


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_an_unchanged_document_leaves_the_text_byte_identical(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    doc = parse_text(source).postmortem
    assert apply_document(source, doc.model_copy(deep=True)) == source
    crlf = source.replace("\n", "\r\n")
    assert apply_document(crlf, parse_text(crlf).postmortem) == crlf


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_a_changed_section_is_the_only_part_rewritten(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    doc = parse_text(source).postmortem.model_copy(deep=True)
    doc.services = ["edited-service"]
    doc.title = (doc.title or "Untitled") + " (edited)"
    start = end = len(source.split("\n"))
    if doc.sections:
        index = len(doc.sections) // 2
        section = doc.sections[index]
        body = (section.body + "\n\n" if section.body else "") + "An added sentence."
        doc.sections[index] = section.model_copy(update={"body": body})
        start, end, _ = parse_text(source).section_spans[index]
    result = apply_document(source, doc)
    assert parse_text(result).postmortem == doc
    lines = source.split("\n")
    # Every line outside the front matter and the edited section is kept as written.
    parsed = parse_text(source)
    first = parsed.section_spans[0][0] if parsed.section_spans else len(lines)
    title_line = next(
        (i for i in range(parsed.body_start, first) if lines[i].startswith("# ")), None
    )
    kept = [
        line
        for number, line in enumerate(lines)
        if number >= parsed.body_start and not start <= number < end and number != title_line
    ]
    result_lines = result.split("\n")
    for line in kept:
        assert line in result_lines


def test_an_added_row_is_one_added_line_in_a_canonical_table() -> None:
    source = (
        (DATA / "postmortems")
        .joinpath(sorted(p.name for p in (DATA / "postmortems").glob("*.md"))[0])
        .read_text()
    )
    doc = parse_text(source).postmortem.model_copy(deep=True)
    for index, section in enumerate(doc.sections):
        if isinstance(section, document.TimelineSection) and section.style == "table":
            event = document.TimelineEvent(time="16:00 UTC", text="An added event")
            doc.sections[index] = section.model_copy(update={"events": [*section.events, event]})
            break
    else:
        pytest.skip("the first sample has no timeline table")
    result = apply_document(source, doc)
    assert _changed(source, result) == ["+| 16:00 UTC | An added event |  |  |"]
