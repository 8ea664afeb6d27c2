"""Values and principles from YAML and Markdown lists; bad input names the file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from nofault.core.guide import GuideInputError, StatementKind, parse_guide_config, read_statements
from nofault.core.guide.inputs import parse_statements

V = StatementKind.VALUE
P = StatementKind.PRINCIPLE


def test_yaml_list_under_key_keeps_lines_and_fields() -> None:
    text = (
        "# comment\n"
        "values:\n"
        "  - name: Ownership\n"
        "    description: >\n"
        "      We own it\n"
        "      end to end.\n"
        "  - name: Odd one\n"
        "    practices:\n"
        "      - text: Walk the route.\n"
        "        stage: revisit\n"
        "        role: participants\n"
        "      - Plain practice.\n"
        "    questions: ['What did you see?']\n"
    )
    first, second = parse_statements(text, V, source="values.yaml")
    assert (first.name, first.description, first.line) == ("Ownership", "We own it end to end.", 3)
    assert second.line == 7
    assert [(p.text, p.stage, p.role, p.line) for p in second.practices] == [
        ("Walk the route.", "revisit", "participants", 9),
        ("Plain practice.", None, None, 12),
    ]
    assert second.questions == ("What did you see?",)


def test_bare_yaml_list_and_strings() -> None:
    items = parse_statements("- Trust: we earn it\n- Courage\n- 'Odd: one'\n", P, source="p")
    assert [(i.name, i.description, i.line) for i in items] == [
        ("Trust", "we earn it", 1),
        ("Courage", "", 2),
        ("Odd", "one", 3),
    ]


def test_markdown_list_forms(tmp_path: Path) -> None:
    path = tmp_path / "principles.md"
    path.write_text(
        "# Our principles\n\n"
        "Intro prose is ignored.\n\n"
        "- **Earn Trust**: Leaders listen\n"
        "  and speak candidly.\n"
        "- **Dive Deep** — stay close to the details\n"
        "* **Bias for action:** speed matters\n"
        "- Plain name: plain description\n"
    )
    items = read_statements(path, P)
    assert [(i.name, i.description, i.line) for i in items] == [
        ("Earn Trust", "Leaders listen and speak candidly.", 5),
        ("Dive Deep", "stay close to the details", 7),
        ("Bias for action", "speed matters", 8),
        ("Plain name", "plain description", 9),
    ]
    assert all(i.source == str(path) for i in items)


@pytest.mark.parametrize(
    ("text", "markdown", "line", "words"),
    [
        ("values:\n  - name: A\n  - description: no name here\n", False, 3, "has no name"),
        ("values:\n  - name: ''\n", False, 2, "has no name"),
        ("- **Trust**: a\n- **  **: b\n", True, 2, "has no name"),
        ("values:\n  - name: Trust\n  - name: trust\n", False, 3, "duplicate value name"),
        ("- **Trust**: a\n- **TRUST**: b\n", True, 2, "also on line 1"),
        ("values: []\n", False, 1, "empty"),
        ("# nothing\n", False, 1, "empty"),
        ("Just prose, no list.\n", True, 1, "empty"),
        ("values:\n  - name: A\n    colour: blue\n", False, 3, "unknown key 'colour'"),
        ("values:\n  - name: A\n   - bad indent\n", False, 3, "not valid YAML"),
        ("valeus:\n  - name: A\n", False, 1, "unknown key 'valeus'"),
        ("values:\n  - name: A\n    practices:\n      - stage: draft\n", False, 4, "no `text:`"),
    ],
)
def test_bad_input_names_file_and_line(text: str, markdown: bool, line: int, words: str) -> None:
    with pytest.raises(GuideInputError) as info:
        parse_statements(text, V, source="values.yaml", markdown=markdown)
    assert info.value.line == line
    assert str(info.value).startswith(f"values.yaml:{line}: ")
    assert words in str(info.value)


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(GuideInputError, match="cannot read"):
        read_statements(tmp_path / "nope.yaml", V)


SEVERITIES = """
[[severities]]
name = "P1"

[[severities]]
name = "P2"
review = "light"
"""


@pytest.mark.parametrize(
    ("extra", "line", "words"),
    [
        ('[waivers]\nallowed_for = [\n  "P2",\n  "P3",\n]\n', 12, "severity 'P3', which is not"),
        ('[process]\nleadership_review = ["P0"]\n', 10, "severity 'P0'"),
        ('[[severities]]\nname = "p1"\n', 10, "defined twice"),
        ("[meeting]\nlenght_minutes = 30\n", 10, "unknown setting 'meeting.lenght_minutes'"),
        ('[template.headings]\nwent_wel = "Wins"\n', 10, "template.headings.went_wel"),
        ('[raci.review]\nsponsor = "A"\nowner = "A"\n', 9, "only one role can be accountable"),
        ('[raci.review]\nsponsor = "X"\n', 10, "use the letters R, A, C and I"),
    ],
)
def test_bad_config_names_file_and_line(extra: str, line: int, words: str) -> None:
    with pytest.raises(GuideInputError) as info:
        parse_guide_config(SEVERITIES + "\n" + extra, source="guide.toml")
    assert str(info.value).startswith(f"guide.toml:{line}: "), str(info.value)
    assert words in str(info.value)


def test_config_errors_for_severity_deadlines_and_empty_list() -> None:
    with pytest.raises(GuideInputError, match=r"guide.toml:5: severity P1: review_due_days"):
        parse_guide_config(
            '[[severities]]\nname = "P1"\ndraft_due_days = 5\n# later\nreview_due_days = 3\n',
            source="guide.toml",
        )
    with pytest.raises(GuideInputError, match="empty list"):
        parse_guide_config("severities = []\n", source="guide.toml")


def test_default_references_follow_the_organisations_severities() -> None:
    config = parse_guide_config(SEVERITIES)
    assert [s.name for s in config.leadership_review_severities] == ["P1"]
    assert [s.name for s in config.waivable_severities] == ["P2"]
