"""Sections other layouts split into groups, and postmortems kept as one numbered list.

Every group is read: action items under "### Prevention" / "### Detection" sub-headings, a
timeline told one day per heading, a timeline list split by an image or a log block. A
postmortem written as one numbered list of its sections reads as those sections and is
written back in its own shape. The documents are tests/data/postmortems/layout-*.md.
"""

from __future__ import annotations

from pathlib import Path

from nofault.core.document import ActionItemsSection, Postmortem, SectionKind
from nofault.core.edits import apply_document
from nofault.core.markdown import not_postmortem_reason, parse_text, render

CORPUS = Path(__file__).parents[1] / "data" / "postmortems"


def _action_groups(pm: Postmortem) -> list[tuple[str, int]]:
    return [(s.heading, len(s.items)) for s in pm.sections if isinstance(s, ActionItemsSection)]


def _read(name: str) -> str:
    return (CORPUS / name).read_text(encoding="utf-8")


def test_every_group_of_actions_and_every_day_of_the_timeline_is_read() -> None:
    pm = parse_text(_read("layout-google-grouped-deep.md")).postmortem
    # The numbered root causes, then what the lessons say did not work (two more factors).
    assert [f.id for f in pm.contributing_factors] == ["1", "2", "3", "4", "CF5", "CF6"]
    assert _action_groups(pm) == [
        ("Action items", 0),
        ("Prevention", 2),
        ("Detection", 1),
        ("Process", 2),
    ]
    assert [a.id for a in pm.action_items] == ["A1", "A2", "A3", "A4", "A5"]
    assert [a.tracker for a in pm.action_items] == ["#4411", "#4412", "#4413", "#4414", "#4415"]
    assert pm.action_items[2].owner == "ana@"
    # A day told in prose is one event; a day's list gives its bare times that day's date.
    times = [e.time for e in pm.timeline]
    assert times[:3] == ["2026-01-20", "2026-02-03 09:10", "2026-02-03 11:45"]
    assert times[-1] == "2026-02-06 09:00" and len(times) == 9
    assert pm.timeline[0].text.startswith("The resolver rewrite lands behind a flag.")


def test_a_timeline_list_split_by_a_graph_and_a_log_block_is_one_timeline() -> None:
    pm = parse_text(_read("layout-phased-deep.md")).postmortem
    assert [e.time for e in pm.timeline] == [
        "09:58 UTC", "10:04 UTC", "10:09 UTC", "10:21 UTC", "10:34 UTC", "10:52 UTC", "11:16 UTC"
    ]  # fmt: skip
    # What stands between two lists stays with the event above it.
    assert "<img" in pm.timeline[1].text and "OOMKilled" in pm.timeline[2].text
    assert [n for _heading, n in _action_groups(pm)] == [0, 2, 3, 1]
    assert [a.factors for a in pm.action_items] == [["1"], ["1"], ["1"], ["2"], ["3"], ["3"]]


def test_grouped_layouts_read_back_the_same_after_a_canonical_render() -> None:
    for name in ("layout-google-grouped-deep.md", "layout-phased-deep.md",
                 "layout-outline-deep.md"):  # fmt: skip
        pm = parse_text(_read(name)).postmortem
        assert parse_text(render(pm)).postmortem == pm, name


def test_a_postmortem_kept_as_one_numbered_list_reads_as_its_sections() -> None:
    parsed = parse_text(_read("layout-outline-deep.md"))
    pm = parsed.postmortem
    assert parsed.is_postmortem
    kinds = [s.kind for s in pm.sections]
    assert kinds[1:] == [SectionKind.SUMMARY, SectionKind.OTHER, SectionKind.TIMELINE,
                         SectionKind.CONTRIBUTING_FACTORS, SectionKind.RESOLUTION,
                         SectionKind.ACTION_ITEMS]  # fmt: skip
    assert (len(pm.contributing_factors), len(pm.action_items), len(pm.timeline)) == (4, 4, 6)
    assert pm.action_items[1].owner == "@luis"
    # Findings point at the file's own lines: a section starts at its item's line.
    start = parsed.section_spans[4][0]
    assert _read("layout-outline-deep.md").split("\n")[start] == "5. Root Causes"


def test_an_edited_section_of_a_numbered_list_postmortem_stays_a_numbered_item() -> None:
    source = _read("layout-outline-deep.md")
    pm = parse_text(source).postmortem.model_copy(deep=True)
    resolution = pm.sections[5]
    pm.sections[5] = resolution.model_copy(
        update={"body": resolution.body + "\n\nAll holds were replayed."}
    )
    result = apply_document(source, pm)
    assert parse_text(result).postmortem == pm
    assert "6. Resolution and Recovery\n" in result and "## " not in result
    assert "\n   All holds were replayed.\n" in result
    assert "5. Root Causes\n   - The 3.0 client library" in result  # other items as written


def test_a_file_not_read_as_a_postmortem_says_why_in_one_line() -> None:
    prose = parse_text("We restarted the queue.\n\nIt has been quiet since.\n")
    assert not_postmortem_reason(prose).startswith(
        "no front matter and no section heading: 2 paragraphs of prose"
    )
    foreign = parse_text("# Notes\n\n## Groceries\n\nMilk.\n\n## Chores\n\nLaundry.\n")
    assert "none of its 2 headings ('Groceries', 'Chores')" in not_postmortem_reason(foreign)
    assert not_postmortem_reason(parse_text(_read("layout-outline-deep.md"))) == ""


def test_a_heading_that_names_a_timeline_last_is_a_timeline() -> None:
    text = (
        "# Outage\n\n## Timeline\n\n- 14:02 UTC — Alert fires\n\n"
        "## Follow-up timeline\n\n- 16:30 UTC — Volume resized\n- 17:05 UTC — Backups checked\n"
    )
    pm = parse_text(text).postmortem
    assert [s.kind for s in pm.sections] == [SectionKind.TIMELINE, SectionKind.TIMELINE]
    assert len(pm.timeline) == 3 and pm.action_items == []


def test_a_long_timeline_split_by_many_images_reads_in_one_pass() -> None:
    entries = [f"- {n % 24:02d}:{n % 60:02d} UTC — event {n}\n\n<img src='g{n}.png' />\n"
               for n in range(3000)]  # fmt: skip
    pm = parse_text("# Outage\n\n## Timeline\n\n" + "\n".join(entries)).postmortem
    assert len(pm.timeline) == 3000
    assert pm.timeline[-2].text == "event 2998\n\n<img src='g2998.png' />"
