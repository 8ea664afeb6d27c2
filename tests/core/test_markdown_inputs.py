"""The parser reads public templates and bad input without crashing, naming lines."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from nofault.core.document import ActionType, EventKind, SectionKind
from nofault.core.lint.config import LintConfig
from nofault.core.lint.engine import lint
from nofault.core.markdown import parse_text, render

DATA = Path(__file__).parents[1] / "data"


def _shared_templates() -> Path:
    """The public templates beside the repository (or under $NOFAULT_SHARED, or /work/shared)."""
    repo = Path(__file__).resolve().parents[2]
    candidates = [os.environ.get("NOFAULT_SHARED"), repo.parent / "shared", "/work/shared"]
    for candidate in candidates:
        if candidate and (Path(candidate) / "corpus" / "templates").is_dir():
            return Path(candidate) / "corpus" / "templates"
    raise RuntimeError("shared templates not found: set NOFAULT_SHARED to the shared folder")


SHARED_TEMPLATES = _shared_templates()


@pytest.mark.parametrize(
    "path", sorted((DATA / "public_shapes").glob("*.md")), ids=lambda p: p.name
)
def test_public_shapes_parse_without_problems(path: Path) -> None:
    parsed = parse_text(path.read_bytes())
    assert parsed.problems == []
    assert parsed.is_postmortem
    kinds = {s.kind for s in parsed.postmortem.sections}
    assert {SectionKind.TIMELINE, SectionKind.ACTION_ITEMS, SectionKind.IMPACT} <= kinds
    assert parsed.postmortem.timeline, "the timeline's events are read"
    assert parsed.postmortem.action_items, "the action items are read"


def test_sre_book_shape_maps_its_headings() -> None:
    pm = parse_text((DATA / "public_shapes" / "sre-book-shape.md").read_bytes()).postmortem
    headings = {s.heading: s.kind for s in pm.sections}
    assert headings["Root Causes"] is SectionKind.CONTRIBUTING_FACTORS
    assert headings["Trigger"] is SectionKind.TRIGGER
    assert headings["Detection"] is SectionKind.DETECTION
    assert headings["Lessons Learned"] is SectionKind.LESSONS
    assert headings["Where we got lucky"] is SectionKind.LUCKY
    assert headings["Supporting information"] is SectionKind.LINKS
    assert headings["Authors"] is SectionKind.OTHER
    assert [e.time for e in pm.timeline][:2] == ["14:51", "14:53"]
    assert pm.action_items[0].owner == "jennifer" and pm.action_items[0].type is ActionType.MITIGATE
    assert pm.action_items[1].tracker == "Bug 5554823 TODO"


def test_atlassian_shape_keeps_unknown_sections_in_place() -> None:
    text = (DATA / "public_shapes" / "atlassian-shape.md").read_text()
    pm = parse_text(text).postmortem
    headings = [s.heading for s in pm.sections]
    assert headings.index("Leadup") < headings.index("Fault") < headings.index("Impact")
    assert pm.extra == {"incident": "HOT-1234"}
    assert [e.kind for e in pm.timeline] == [None, EventKind.DETECTION, EventKind.RESOLUTION]
    assert pm.timeline[1].source == "support desk"
    # Re-rendering keeps every section's text.
    again = render(pm)
    for s in pm.sections:
        assert s.heading in again


# The public templates given to every developer sit beside the repository (not copied in).
@pytest.mark.parametrize(
    "path", sorted(SHARED_TEMPLATES.glob("postmortem-template-*.md")), ids=lambda p: p.name
)
def test_shared_public_templates_parse_without_problems(path: Path) -> None:
    parsed = parse_text(path.read_bytes())
    assert parsed.problems == []
    assert parsed.is_postmortem
    assert any(s.kind is not SectionKind.OTHER for s in parsed.postmortem.sections)


def _codes(text: str | bytes) -> list[str]:
    config = LintConfig(select=["structure"])
    return [f.code for f in lint(text, path="pm.md", config=config).findings]


def test_empty_file_is_clean() -> None:
    assert lint(b"", path="pm.md").findings == []


def test_only_front_matter() -> None:
    result = lint("---\nseverity: SEV2\n---\n", path="pm.md")
    assert result.is_postmortem
    assert set(_codes("---\nseverity: SEV2\n---\n")) == {"STR004"}


def test_binary_bytes_give_a_finding_with_position() -> None:
    findings = lint(b"# Title\n\nabc \xff\xfe def\n", path="pm.md").findings
    assert [(f.code, f.line, f.column) for f in findings] == [("STR007", 3, 5)]
    nul = lint(b"ab\x00cd", path="x.md").findings
    assert [f.code for f in nul] == ["STR007"]


def test_windows_line_endings_read_like_unix() -> None:
    unix = (DATA / "public_shapes" / "atlassian-shape.md").read_text()
    windows = unix.replace("\n", "\r\n").encode()
    assert parse_text(windows).postmortem == parse_text(unix).postmortem


def test_bad_severity_names_line_and_column() -> None:
    findings = lint("---\nid: PM-1\nseverity: SEV9\n---\n# T\n", path="pm.md").findings
    bad = next(f for f in findings if f.code == "STR002")
    assert (bad.line, bad.column, bad.excerpt) == (3, 11, "SEV9")
    assert bad.message == "severity 'SEV9' is not one of SEV1, SEV2, SEV3, SEV4, SEV5"


def test_unreadable_front_matter_names_the_yaml_line_and_keeps_the_body() -> None:
    parsed = parse_text("---\nseverity: SEV2\nauthors: [a\n---\n\n# Title\n\n## Summary\n\nText.\n")
    (problem,) = parsed.problems
    assert problem.code == "STR001" and problem.line >= 3
    assert parsed.postmortem.title == "Title"
    assert parsed.postmortem.summary == "Text."


def test_one_bad_field_does_not_lose_the_others() -> None:
    parsed = parse_text("---\nseverity: SEV2\ncreated: yesterday\nauthors: [ana]\n---\n# T\n")
    assert [p.code for p in parsed.problems] == ["STR003"]
    assert parsed.problems[0].line == 3
    assert parsed.postmortem.authors == ["ana"] and parsed.postmortem.severity == "SEV2"


def test_naive_timestamp_is_a_bad_date() -> None:
    parsed = parse_text("---\ndetected_at: 2026-01-02T10:00:00\n---\n# T\n")
    assert [p.code for p in parsed.problems] == ["STR003"]
    assert "time zone" in parsed.problems[0].message


def test_headings_inside_code_fences_are_not_sections() -> None:
    pm = parse_text("# T\n\n## Summary\n\n```\n## Timeline\n```\n").postmortem
    assert [s.kind for s in pm.sections] == [SectionKind.SUMMARY]


def test_very_large_file_is_linted_in_bounded_chunks() -> None:
    section = (DATA / "public_shapes" / "pagerduty-shape.md").read_text()
    big = section + "\n## Notes\n\n" + ("A paragraph of notes about the incident.\n\n" * 20_000)
    result = lint(big, path="big.md")
    assert result.is_postmortem
    parsed = result.parsed
    assert parsed is not None and len(parsed.prose) > 20_000
