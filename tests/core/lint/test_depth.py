"""The depth pack: what it flags, where it points, and how configuration and review level change it."""

from __future__ import annotations

from datetime import date

from nofault.core.lint.config import LintConfig, config_from_mapping
from nofault.core.lint.engine import Finding, lint

TODAY = date(2026, 6, 1)


def _findings(text: str, code: str, **config: object) -> list[Finding]:
    cfg = config_from_mapping({"select": [code], **config})
    return [f for f in lint(text, config=cfg, today=TODAY).findings if f.code == code]


def _doc(front: str, body: str) -> str:
    return f"---\n{front.strip()}\n---\n\n# Outage\n\n{body.strip()}\n"


ONE_FACTOR = "## Contributing factors\n\n- **CF1** [technical] The config was not validated.\n"


def test_single_cause_is_a_full_review_check_only() -> None:
    full = _findings(_doc("severity: SEV2", ONE_FACTOR), "DEP101")
    assert len(full) == 1 and full[0].line == 9
    light = _doc("severity: SEV4\nreview_level: light", ONE_FACTOR)
    assert _findings(light, "DEP101") == []
    # The light set is configuration: a team can hold light reviews to it too.
    assert _findings(light, "DEP101", **{"light-review-skip": []})


def test_person_as_factor_points_at_the_words() -> None:
    text = _doc(
        "severity: SEV2",
        "## Contributing factors\n\n- **CF1** [technical] Retries had no backoff.\n"
        "- **CF2** [process] Operator error during the failover.\n",
    )
    (hit,) = _findings(text, "DEP103")
    assert (hit.line, hit.excerpt) == (10, "Operator error")
    assert "CF2" in hit.message


def test_person_as_factor_uses_the_roster() -> None:
    text = _doc(
        "severity: SEV2",
        "## Contributing factors\n\n- **CF1** [technical] Retries had no backoff.\n"
        "- **CF2** [process] Priya merged the change on a Friday.\n",
    )
    assert _findings(text, "DEP103") == []
    assert _findings(text, "DEP103", roster=["Priya"])


def test_condition_factors_are_not_people() -> None:
    text = _doc(
        "severity: SEV2\nauthors: [dana]",
        "## Contributing factors\n\n- **CF1** [tooling] The deploy tool allowed a push to every "
        "region at once.\n- **CF2** [knowledge] The runbook dana wrote in 2021 predates the "
        "new cluster.\n",
    )
    assert _findings(text, "DEP103") == []


CHAIN = """## Analysis

### Five whys: why did it fail?

1. The job ran twice.
2. The scheduler retried on timeout.
{last}
"""


def test_chain_ending_at_a_person_is_flagged_on_its_last_answer() -> None:
    text = _doc("severity: SEV2", CHAIN.format(last="3. Because she skipped the checklist."))
    (hit,) = _findings(text, "DEP104")
    assert hit.line == 13 and hit.excerpt == "Because she"
    systemic = CHAIN.format(last="3. The timeout was shorter than the job's slowest run.")
    assert _findings(_doc("severity: SEV2", systemic), "DEP104") == []


def test_short_chain_minimum_is_configurable() -> None:
    text = _doc("severity: SEV2", CHAIN.format(last="3. The timeout was never tuned."))
    assert _findings(text, "DEP105") == []
    (hit,) = _findings(text, "DEP105", **{"min-why-steps": 4})
    assert "3 steps" in hit.message and hit.line == 9


def test_root_cause_analysis_as_a_name_is_not_framing() -> None:
    ok = _doc("severity: SEV2", "## Summary\n\nWe ran a root cause analysis workshop.\n")
    assert _findings(ok, "DEP102") == []
    bad = _doc("severity: SEV2", "## Summary\n\nThe real root cause was DNS.\n")
    assert [f.excerpt for f in _findings(bad, "DEP102")] == ["The real root cause"]


TIMELINE = """## Timeline

{note}| Time | Event | Kind | Source |
| --- | --- | --- | --- |
{rows}
"""


def _timeline(rows: list[str], note: str = "", header: str = "Time") -> str:
    body = TIMELINE.format(note=note, rows="\n".join(rows)).replace("| Time |", f"| {header} |")
    return _doc("severity: SEV3", body)


def test_timeline_minimum_per_severity_is_configurable() -> None:
    text = _timeline(["| 14:00 UTC | Alert | detection | pagerduty |"])
    (hit,) = _findings(text, "DEP109")
    assert "1 event" in hit.message and "at least 4" in hit.message
    assert _findings(text, "DEP109", **{"min-timeline-events": {"SEV3": 1}}) == []


def test_times_out_of_order_point_at_the_later_row() -> None:
    text = _timeline(
        [
            "| 2026-03-04 14:00 UTC | Deploy | trigger | |",
            "| 14:30 UTC | Rolled back | mitigation | |",
            "| 14:10 UTC | Alert | detection | pagerduty |",
        ]
    )
    (hit,) = _findings(text, "DEP110")
    assert hit.line == 13 and hit.excerpt == "14:10 UTC"


def test_a_time_only_timeline_crosses_midnight() -> None:
    rows = ["| 23:40 UTC | Alert | detection | pagerduty |", "| 00:15 UTC | Fixed | resolution | |"]
    assert _findings(_timeline(rows), "DEP110") == []


def test_zones_may_be_declared_once_for_the_timeline() -> None:
    rows = ["| 14:00 | Alert | detection | pagerduty |", "| 14:30 | Fixed | resolution | |"]
    (hit,) = _findings(_timeline(rows), "DEP111")
    assert "2 of 2" in hit.message and hit.line == 11
    assert _findings(_timeline(rows, note="All times are UTC.\n\n"), "DEP111") == []
    assert _findings(_timeline(rows, header="Time (CET)"), "DEP111") == []


def test_detection_from_front_matter_or_timeline() -> None:
    bare = _doc("severity: SEV3", "## Summary\n\nErrors for 20 minutes.\n")
    assert _findings(bare, "DEP107") and _findings(bare, "DEP108")
    dated = _doc("severity: SEV3\ndetected_at: 2026-03-04T14:19:00Z", "## Summary\n\nErrors.\n")
    assert _findings(dated, "DEP107") == []
    # A detection time alone does not say how the problem was noticed.
    assert _findings(dated, "DEP108")


def test_template_comments_do_not_count_as_content() -> None:
    text = _doc(
        "severity: SEV3",
        "## Detection\n\n<!-- How the problem was noticed. -->\n\n"
        "## Impact\n\n<!-- 50% of users, 20 minutes -->\nTBD\n",
    )
    assert _findings(text, "DEP108")
    assert _findings(text, "DEP112")


def test_learning_sections_per_review_level() -> None:
    went_well = "## What went well\n\nThe flag worked.\n"
    (hit,) = _findings(_doc("severity: SEV2", went_well), "DEP113")
    assert "Where we got lucky" in hit.message and "What surprised us" in hit.message
    assert "What went well" not in hit.message
    assert _findings(_doc("severity: SEV4\nreview_level: light", went_well), "DEP113") == []
    cfg = {"learning-sections": {"full": ["went_well"]}}
    assert _findings(_doc("severity: SEV2", went_well), "DEP113", **cfg) == []


def test_depth_rules_leave_plain_prose_alone() -> None:
    result = lint("The root cause was human error.\n", config=LintConfig(select=["depth"]))
    assert result.findings == [] and result.score is None
