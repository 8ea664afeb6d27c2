"""Metrics on a small set computed by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from nofault.core.insights.metrics import (
    compute_metrics,
    metrics_by,
    missing_reviews,
    slipped_actions,
)
from nofault.core.insights.records import IncidentRecord, PostmortemRecord
from tests.core.insights.conftest import action

TODAY = date(2026, 6, 30)


def _t(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


# INC-1 SEV1 checkout/platform, published 3 days after resolution; TTD 10, TTM 30, TTR 60.
#   A1 done on time (due 04-01, closed 03-20, created 03-01: 19 days to close)
#   A2 done late (due 04-01, closed 04-11: 41 days to close)
#   A3 open, due 05-01: overdue
# INC-2 SEV2 checkout/platform, published 7 days after; TTD 20, TTR 120; repeats INC-1.
#   A1 open, due 2026-12-01: not yet due
# INC-3 SEV2 search/data, draft (no published review); TTD 5.
PMS = [
    PostmortemRecord(
        key="one", incidents=("INC-1",), severity="SEV1", services=("checkout",), team="platform",
        status="published", published=date(2026, 3, 4),
        started_at=_t("2026-03-01T10:00"), detected_at=_t("2026-03-01T10:10"),
        mitigated_at=_t("2026-03-01T10:30"), resolved_at=_t("2026-03-01T11:00"),
        actions=(action("done", "2026-04-01", "2026-03-20", "2026-03-01", "A1"),
                 action("done", "2026-04-01", "2026-04-11", "2026-03-01", "A2"),
                 action("open", "2026-05-01", None, "2026-03-01", "A3")),
        depth_score=80, blame_findings=0, blame_findings_first_draft=3,
    ),
    PostmortemRecord(
        key="two", incidents=("INC-2",), severity="SEV2", services=("checkout",), team="platform",
        status="published", published=date(2026, 4, 12), related_incidents=("INC-1",),
        started_at=_t("2026-04-05T08:00"), detected_at=_t("2026-04-05T08:20"),
        resolved_at=_t("2026-04-05T10:00"),
        actions=(action("open", "2026-12-01", None, "2026-04-12", "A1"),),
        depth_score=60, blame_findings=2, blame_findings_first_draft=5,
    ),
    PostmortemRecord(
        key="three", incidents=("INC-3",), severity="SEV2", services=("search",), team="data",
        status="draft", started_at=_t("2026-05-10T08:00"), detected_at=_t("2026-05-10T08:05"),
        resolved_at=_t("2026-05-10T09:00"), depth_score=40, blame_findings=4,
    ),
]  # fmt: skip


def test_overall_metrics_match_the_hand_computation() -> None:
    m = compute_metrics(PMS, today=TODAY)
    assert (m.incidents, m.postmortems, m.published) == (3, 3, 2)
    assert (m.reviews_owed, m.reviews_done, m.review_coverage) == (
        3,
        2,
        pytest.approx(2 / 3, abs=1e-4),
    )
    assert m.median_days_to_publish == 5.0  # 3 and 7
    assert (m.actions, m.actions_done, m.actions_on_time, m.actions_due) == (4, 2, 1, 3)
    assert m.on_time_rate == pytest.approx(1 / 3, abs=1e-4)
    assert m.median_days_to_close == 30.0  # 19 and 41
    assert m.overdue == 1
    assert (m.recurrences, m.recurrence_rate) == (1, pytest.approx(1 / 3, abs=1e-4))
    assert m.median_minutes_to_detect == 10.0  # 10, 20, 5
    assert m.median_minutes_to_mitigate == 30.0
    assert m.median_minutes_to_resolve == 60.0  # 60, 120, 60
    assert m.mean_depth_score == 60.0
    assert m.blame_per_postmortem_first_draft == 4.0  # 3 and 5 (the draft kept none)
    assert m.blame_per_postmortem_published == 1.0  # 0 and 2; the draft's 4 is not published


def test_metrics_by_severity_team_service_and_month() -> None:
    by_severity = metrics_by("severity", PMS, today=TODAY)
    assert list(by_severity) == ["SEV1", "SEV2"]
    assert by_severity["SEV2"].incidents == 2 and by_severity["SEV2"].review_coverage == 0.5
    assert metrics_by("team", PMS, today=TODAY)["platform"].overdue == 1
    assert metrics_by("service", PMS, today=TODAY)["search"].reviews_done == 0
    assert list(metrics_by("month", PMS, today=TODAY)) == ["2026-03", "2026-04", "2026-05"]
    with pytest.raises(ValueError):
        metrics_by("colour", PMS)


def test_incident_records_count_incidents_without_a_postmortem() -> None:
    incidents = [
        IncidentRecord("INC-1", severity="SEV1"),
        IncidentRecord("INC-2", severity="SEV2"),
        IncidentRecord("INC-3", severity="SEV2"),
        IncidentRecord("INC-4", severity="SEV3", resolved_at=_t("2026-06-01T00:00")),
        IncidentRecord("INC-5", severity="SEV4", review_waived=True),
        IncidentRecord("INC-6", severity="SEV5", review_required=False),
    ]
    m = compute_metrics(PMS, incidents, today=TODAY)
    assert (m.incidents, m.reviews_owed, m.reviews_done) == (6, 5, 3)
    missing = missing_reviews(PMS, incidents, today=TODAY)
    # Longest waiting first: INC-3 resolved on 05-10 (its draft says), INC-4 on 06-01.
    assert [x.incident for x in missing] == ["INC-3", "INC-4"]
    assert missing[0].days_since_resolution == 51 and missing[0].postmortem_status == "draft"
    assert missing[1].days_since_resolution == 29 and missing[1].postmortem_status is None


def test_slipped_actions_are_overdue_or_done_late() -> None:
    slipped = slipped_actions(PMS, today=TODAY)
    assert [(s.postmortem.key, s.action.id, s.days_late) for s in slipped] == [
        ("one", "A3", 60),
        ("one", "A2", 10),
    ]


def test_no_data_gives_none_not_zero() -> None:
    m = compute_metrics([], today=TODAY)
    assert m.incidents == 0 and m.review_coverage is None and m.on_time_rate is None
