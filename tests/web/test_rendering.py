"""Rendering a section at a time gives exactly the HTML of rendering the whole document."""

from __future__ import annotations

import glob
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nofault.web import rendering

DATA = Path(__file__).resolve().parents[1] / "data"


def _whole(text: str) -> str:
    return rendering.sanitise_html(rendering._md.render(rendering.strip_front_matter(text)))


TRICKY = [
    "# A\n\ntext\n## B\n- item\n# C\n",
    "## A\n\n```\n# not a heading\n```\n\n## B\n",
    "## A\n\n~~~~\n# inside\n~~~\n# still inside\n~~~~\n## B\n",
    "## A\n\n```a`b\n# a heading: the line above is no fence\n```\n# inside a real fence\n```\n",
    "## A\n\n    # indented code\n\n## B\n",
    "## A\n\n> quote\n# heading ends the quote\n",
    "## A\n\n| a | b |\n|---|---|\n| 1 | 2 |\n## B\n",
    "Intro [x][ref]\n\n## A\n\n[ref]: https://example.com\n",
    "## A\n\n<details>\n\n## B\n\n</details>\n",
    "#notaheading\n## A\n#\n## B\n",
    "Title\n=====\n\n## A\ntext\n---\n## B\n",
    "1. one\n2. two\n## A\n3. three\n",
    "## A\r\n\r\ntext\r\n## B\r\n",
    "```\n## open fence never closed\n\n## B\n",
]


@pytest.mark.parametrize("text", TRICKY)
def test_tricky_documents_render_as_a_whole(text: str) -> None:
    assert "".join(rendering.markdown_sections(text)) == text
    assert rendering.markdown_to_html(text) == _whole(text)


def test_postmortems_split_into_sections_and_render_the_same() -> None:
    files = glob.glob(str(DATA / "**" / "*.md"), recursive=True)
    assert files
    for name in files:
        text = Path(name).read_text()
        assert rendering.markdown_to_html(text) == _whole(text), name
    split = rendering.markdown_sections("# T\n\n## Summary\n\ntext\n\n## Impact\n\nmore\n")
    assert split == ["# T\n\n", "## Summary\n\ntext\n\n", "## Impact\n\nmore\n"]


LINES = st.sampled_from(
    [
        "", "# H", "## Section", "### Sub", "#", "text with *emphasis*", "- item", "  - nested",
        "1. first", "> quote", "```", "```python", "~~~", "````", "    indented code",
        "| a | b |", "|---|---|", "---", "===", "Bob *should* have", "`code` span", "  # two",
        "<b>bold</b>", "[ref]: https://example.com", "see [ref]", "a < b", "\t# tab",
    ]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(LINES, max_size=30))
def test_any_mix_of_blocks_renders_as_a_whole(lines: list[str]) -> None:
    text = "\n".join(lines) + "\n"
    assert "".join(rendering.markdown_sections(text)) == text
    assert rendering.markdown_to_html(text) == _whole(text)


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("incidents:detail", ("INC-100001",)),
        ("incidents:detail", ("INC 1é&?#x",)),
        ("postmortems:detail", (12,)),
        ("postmortems:rule_doc", ("STR001",)),
        ("actions:status", (5,)),
    ],
)
def test_url_maker_gives_what_reverse_gives(name: str, args: tuple[int | str, ...]) -> None:
    from django.urls import reverse

    assert rendering.url_maker(name)(args[0]) == reverse(name, args=args)
    # the URL made for the sample argument itself
    assert rendering.url_maker(name, args[0])(args[0]) == reverse(name, args=args)
