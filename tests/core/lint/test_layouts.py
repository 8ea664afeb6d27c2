"""Other teams' layouts read into the same model and score fairly.

The documents under tests/data/postmortems/layout-*.md are written here in the shapes of
public templates (each names the template it follows). What a layout states in its own shape
must never be reported missing or malformed.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from nofault.core.document import ActionStatus, FactorCategory
from nofault.core.lint.config import LintConfig
from nofault.core.lint.engine import LintResult, lint
from nofault.core.markdown import parse, parse_text, render

CORPUS = Path(__file__).parents[2] / "data" / "postmortems"
TODAY = date(2026, 6, 1)
DEEP = sorted(p.name for p in CORPUS.glob("layout-*-deep.md"))
# Findings that say the document's structure is missing or malformed.
STRUCTURAL = {"STR003", "STR004", "STR005", "STR006", "STR008", "STR009"}


def _lint(text: str | bytes, name: str = "pm.md") -> LintResult:
    return lint(text, path=name, config=LintConfig(), today=TODAY)


@pytest.mark.parametrize("name", DEEP)
def test_a_deep_review_in_another_layout_scores_as_deep(name: str) -> None:
    result = _lint((CORPUS / name).read_bytes(), name)
    assert result.score is not None and result.score.score >= 75, result.score
    structural = [f"{f.code} {f.message}" for f in result.findings if f.code in STRUCTURAL]
    assert structural == []
    # A cloud provider's review states its impact in "What happened?", with no Impact
    # heading: the note names the headings it did not read, so a reader sees where to look.
    notes = [f.message for f in result.findings if f.code == "STR011"]
    if name == "layout-azure-pir-deep.md":
        assert notes == [
            "no heading was read as '## Impact'; headings read as other sections: "
            "'How can customers make incidents like this less impactful?'"
        ]
    elif name == "layout-narrative-deep.md":  # the story's own headings hold what it says
        assert len(notes) == 3
        assert all("'The change nobody saw as risky', 'Why it took us so long'" in n for n in notes)
    elif name == "layout-outline-deep.md":  # its impact is stated in the summary item
        assert notes == [
            "no heading was read as '## Impact'; headings read as other sections: "
            "'Incident Date', 'Authors'"
        ]
    else:
        assert notes == []


@pytest.mark.parametrize(("name", "most"), [("layout-srebook-shallow.md", 25),
                                            ("layout-morgue-shallow.md", 35),
                                            ("layout-google-grouped-shallow.md", 25)])  # fmt: skip
def test_a_shallow_review_in_another_layout_stays_low(name: str, most: int) -> None:
    result = _lint((CORPUS / name).read_bytes())
    assert result.score is not None and result.score.score <= most


SRE_BOOK = """\
# Queue outage

### Root Causes

There was no single root cause: three conditions lined up.

1. Technical: the consumer crashed on a message larger than 1 MB.
2. Tooling: the dead-letter queue was not monitored.
3. Process: the producer's size limit changed without review.

## Action Items

| Action Item | Type | Owner | Bug | Addresses |
| --- | --- | --- | --- | --- |
| Reject oversized messages at the producer | prevent | queue-team | Q-1 | 1, 3 |
| Alert on dead-letter queue depth | detect | queue-team | Q-2 | 2 |
| Link review to size-limit changes | process | platform | Q-3 | Process |
"""


def test_numbered_causes_take_their_number_and_label() -> None:
    pm = parse(SRE_BOOK)
    assert [(f.id, f.category) for f in pm.contributing_factors] == [
        ("1", FactorCategory.TECHNICAL),
        ("2", FactorCategory.TOOLING),
        ("3", FactorCategory.PROCESS),
    ]
    assert pm.contributing_factors[0].text.startswith("the consumer crashed")
    # "1, 3" by number and "Process" by the factor's label both point at factor ids.
    assert [a.factors for a in pm.action_items] == [["1", "3"], ["2"], ["3"]]


def test_references_by_number_and_a_denied_root_cause_raise_nothing() -> None:
    codes = {f.code for f in _lint(SRE_BOOK).findings}
    assert not codes & {"STR009", "DEP101", "DEP102"}, codes


def test_a_document_in_nofaults_own_layout_is_told_what_is_missing() -> None:
    text = "---\nseverity: SEV2\n---\n\n# Outage\n\n## Summary\n\nIt broke.\n"
    codes = [f.code for f in _lint(text).findings if f.code.startswith("STR")]
    assert codes == ["STR004"] * 4


def test_an_unknown_reference_says_what_was_read() -> None:
    result = _lint(SRE_BOOK.replace("| Q-2 | 2 |", "| Q-2 | 7 |"))
    messages = [f.message for f in result.findings if f.code == "STR009"]
    assert messages == [
        "action item A2 addresses '7', which is not a contributing factor id in this document "
        "(factors read: 1, 2, 3)"
    ]


def test_factor_references_by_cf_number_meet_a_numbered_list() -> None:
    pm = parse(SRE_BOOK.replace("| 1, 3 |", "| CF1, CF3 |"))
    assert pm.action_items[0].factors == ["1", "3"]


def test_task_list_actions_with_owner_and_due_inline() -> None:
    text = (
        "# Outage\n\n## Contributing factors\n\n- The cache expired at once.\n"
        "- Nobody watched the hit rate.\n\n## Action items\n\n"
        "- [ ] Add an alert on the hit rate (owner: @kim, due 2026-09-01, addresses: 2)\n"
        "- [x] Jitter cache expiry (owner: cache-team; due: 2026-07-01; addresses: CF1)\n"
        "- [ICL] Write the runbook\n"
        "- Rotate keys. OWNER: amirh@ (DONE).\n"
    )
    items = parse(text).action_items
    assert [(a.owner, a.due, a.status, a.factors) for a in items] == [
        ("@kim", date(2026, 9, 1), ActionStatus.OPEN, ["CF2"]),
        ("cache-team", date(2026, 7, 1), ActionStatus.DONE, ["CF1"]),
        ("ICL", None, ActionStatus.OPEN, []),
        ("amirh@", None, ActionStatus.DONE, []),
    ]
    assert [a.text for a in items] == [
        "Add an alert on the hit rate",
        "Jitter cache expiry",
        "Write the runbook",
        "Rotate keys.",
    ]
    codes = {f.code for f in _lint(text).findings}
    assert "ACT101" not in codes  # every item names its owner in its own way
    assert "ACT102" in codes  # two items have no due date
    assert not codes & STRUCTURAL - {"STR004"}


@pytest.mark.parametrize(
    ("timeline", "times"),
    [
        ("- 14:02 UTC — Deploy\n- 14:09 UTC - Alert fired\n", ["14:02 UTC", "14:09 UTC"]),
        ("- 2023-02-01 14:02: Deploy\n- 2023-02-01 14:09: Alert\n",
         ["2023-02-01 14:02", "2023-02-01 14:09"]),
        ("- **14:02** Deploy\n- **2:09 PM** Alert\n  with a note below\n", ["14:02", "2:09 PM"]),
        ("2018-08-22, 03:26pm: Certificate expired\n2018-08-22, 04:10pm: Users reported it\n",
         ["2018-08-22, 03:26pm", "2018-08-22, 04:10pm"]),
        ("### 12:49 PM\n\nAlert fired.\n\n### 1:06 PM - Rolled back\n\nDone.\n",
         ["12:49 PM", "1:06 PM"]),
    ],
)  # fmt: skip
def test_timelines_written_as_lists_lines_or_headings(timeline: str, times: list[str]) -> None:
    text = f"# Outage\n\n## Timeline\n\n{timeline}"
    pm = parse(text)
    assert [e.time for e in pm.timeline] == times
    # The canonical form reads back as the same events.
    assert parse(render(pm)).timeline == pm.timeline


def test_a_kindless_timeline_finds_its_detection_in_the_text() -> None:
    text = (
        "# Outage\n\n## Timeline\n\nAll times UTC.\n\n- 14:02 Deploy starts\n"
        "- 14:09 Error-rate alert pages the on-call engineer\n- 14:30 Rolled back\n"
    )
    codes = {f.code for f in _lint(text).findings}
    assert not codes & {"DEP107", "DEP108"}
    tagged = text.replace("- 14:02 Deploy starts", "- 14:02 — [trigger] Deploy starts")
    assert "DEP107" in {f.code for f in _lint(tagged).findings}  # kinds given: no guessing


@pytest.mark.parametrize("name", sorted(p.name for p in CORPUS.glob("layout-*.md")))
def test_layouts_read_back_the_same_after_a_canonical_render(name: str) -> None:
    pm = parse_text((CORPUS / name).read_bytes()).postmortem
    again = parse_text(render(pm))
    assert again.problems == []
    assert again.postmortem == pm


def test_actions_that_name_no_factor_cover_the_factors_they_share_words_with() -> None:
    text = (
        "# Outage\n\n## Root causes\n\n- The certificate renewal job failed silently.\n"
        "- Nobody monitored the ingress latency.\n\n## Action items\n\n"
        "- Alert when the certificate renewal job fails (owner: sre, due 2026-09-01)\n"
        "- Reorganise the wiki (owner: sre, due 2026-09-01)\n"
    )
    result = _lint(text)
    assert result.score is not None
    coverage = next(p for p in result.score.parts if p.name == "action coverage")
    assert coverage.detail.startswith("1 of 2 factors addressed")
    assert "read from the words actions and factors share" in coverage.detail
    assert coverage.points == 3.5  # 0.7 x half the factors; no action is tied by id


def test_twelve_hour_times_and_comma_dates_are_read() -> None:
    from datetime import UTC, datetime

    from nofault.core.timeparse import parse_event_time

    day = date(2026, 1, 1)
    assert parse_event_time("2:09 PM UTC", day) == datetime(2026, 1, 1, 14, 9, tzinfo=UTC)
    assert parse_event_time("12:30 a.m. UTC", day) == datetime(2026, 1, 1, 0, 30, tzinfo=UTC)
    assert parse_event_time("2018-08-22, 03:26pm UTC") == datetime(2018, 8, 22, 15, 26, tzinfo=UTC)
    assert parse_event_time("12:49 PM", day) is None  # no zone: never guessed
