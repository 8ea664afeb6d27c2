"""Markdown, standalone HTML and PDF: every part present, user text escaped, PDF text checked."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser

import pytest

from nofault.core.guide import (
    Guide,
    Inputs,
    build_guide,
    make_guide,
    to_html,
    to_markdown,
)
from nofault.core.guide.config import GuideConfig
from nofault.core.guide.inputs import Statement, StatementKind
from nofault.core.guide.pdf import pdf_layout
from nofault.core.guide.render import inline_html
from tests.core.guide.conftest import EXAMPLES, TODAY


class _Anchors(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for key, value in attrs:
            if key == "id" and value:
                self.ids.add(value)
            if key == "href" and value and value.startswith("#"):
                self.links.append(value[1:])


def test_markdown_has_contents_and_every_part(org_guide: Guide) -> None:
    md = to_markdown(org_guide)
    assert md.startswith(f"# {org_guide.title}\n")
    for part in org_guide.parts:
        assert f"[{part.title}](#{part.anchor})" in md
        assert f'<a id="{part.anchor}"></a>\n\n## {part.number}. {part.title}' in md
    for trace in org_guide.traces:
        assert trace.statement.name in md


def test_html_is_standalone_with_a_working_table_of_contents(org_guide: Guide) -> None:
    page = to_html(org_guide)
    assert page.startswith("<!DOCTYPE html>") and "<style>" in page
    assert not re.search(r"<(link|script)\b", page), "standalone: no external resources"
    assert "@media print" in page
    parser = _Anchors()
    parser.feed(page)
    assert parser.links and set(parser.links) <= parser.ids
    assert len([a for a in parser.links if a.startswith("part-")]) == len(org_guide.parts)
    assert 'class="toc"' in page


def test_user_text_is_escaped_everywhere() -> None:
    evil = Statement(
        StatementKind.VALUE,
        "<script>alert(1)</script>",
        'We "own" it & <b>more</b> | pipes',
        "values.yaml",
        1,
    )
    config = GuideConfig.model_validate({"organisation": {"name": "<img src=x onerror=1>"}})
    guide = make_guide(Inputs(values=[evil]), config, rules=[], today=TODAY)
    page = to_html(guide)
    assert "<script>" not in page and "<img" not in page and "<b>more</b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    md = to_markdown(guide)
    assert "<script>" not in md and "&lt;script>" in md
    assert '> We "own" it & &lt;b>more&lt;/b> | pipes' in md
    assert inline_html("a `<b>` **c & d**") == "a <code>&lt;b&gt;</code> <strong>c &amp; d</strong>"


def _pdf_text(data: bytes) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def test_pdf_text_has_page_numbers_the_name_and_every_value(org_guide: Guide) -> None:
    layout = pdf_layout(org_guide)  # `make test` installs Pango, so a missing one fails here
    data = layout.data
    assert data.startswith(b"%PDF")
    pages = _pdf_text(data)
    total = len(pages)
    assert total == layout.pages > 5
    # About 15 pages before the appendix; the parts in order, the appendix on a page of its own.
    starts = [layout.starts[p.key] for p in org_guide.parts]
    assert starts == sorted(starts) and starts[-1] > starts[-2]
    assert layout.before_appendix <= 15, layout
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {total}" in text
        if number > 1:
            assert org_guide.organisation in text, f"page {number} has no organisation name"
    everything = " ".join(" ".join(pages).split())
    assert org_guide.title in everything
    for part in org_guide.parts:
        assert part.title in everything
    for trace in org_guide.traces:
        assert trace.statement.name in everything
    assert "Responsibility table" in everything


def test_build_guide_from_paths_in_each_format() -> None:
    folder = EXAMPLES / "acme"
    args = {
        "values": folder / "values.yaml",
        "principles": folder / "principles.md",
        "config": folder / "guide.toml",
    }
    md = build_guide(**args, fmt="md")
    page = build_guide(**args, fmt="html")
    assert isinstance(md, str) and "Acme Cloud" in md
    assert isinstance(page, str) and page.startswith("<!DOCTYPE html>")
    with pytest.raises(ValueError, match="unknown guide format"):
        build_guide(**args, fmt="docx")
