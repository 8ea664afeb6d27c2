"""Metrics over postmortems and incidents, overall or by severity, service, team and month.

Everything is computed from plain records (`records.py`). When the caller has incident
records (the web app does) coverage and recurrence count incidents, including those with no
postmortem yet; from a folder of Markdown the incidents are the ones the postmortems name.

Definitions (also in docs/insights.md):

- review coverage: incidents whose review is published or waived, over incidents owing one;
- days to publish: from resolution (day) to the `published` date, median;
- on time: actions done by their due date, over actions due with a known outcome (done with a
  close date, or open past due);
- days to close: from the action's creation to its close, median; overdue: open past due;
- recurrence rate: incidents linked to an earlier one, over incidents;
- time to detect / mitigate / resolve: minutes from the start, median (`ResponseTimes`);
- depth score: mean of the lint score; blame findings: mean per postmortem, at first draft
  (when the caller kept it) and now (at publication, for published ones).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, date
from statistics import fmean, median

from nofault.core.insights.records import (
    ActionRecord,
    IncidentRecord,
    PostmortemRecord,
)

__all__ = [
    "DIMENSIONS",
    "Metrics",
    "MissingReview",
    "SlippedAction",
    "compute_metrics",
    "metrics_by",
    "missing_reviews",
    "slipped_actions",
]

UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Metrics:
    """The learning metrics for one group of incidents (or all of them)."""

    incidents: int
    postmortems: int
    published: int
    reviews_owed: int
    reviews_done: int
    review_coverage: float | None
    median_days_to_publish: float | None
    actions: int
    actions_done: int
    actions_on_time: int
    actions_due: int
    on_time_rate: float | None
    median_days_to_close: float | None
    overdue: int
    recurrences: int
    recurrence_rate: float | None
    median_minutes_to_detect: float | None
    median_minutes_to_mitigate: float | None
    median_minutes_to_resolve: float | None
    mean_depth_score: float | None
    blame_per_postmortem_first_draft: float | None
    blame_per_postmortem_published: float | None

    def as_dict(self) -> dict[str, object]:
        """Return the metrics as a JSON-ready map."""
        return asdict(self)


@dataclass(frozen=True, slots=True)
class _Case:
    incident: IncidentRecord
    postmortem: PostmortemRecord | None


@dataclass(frozen=True, slots=True)
class MissingReview:
    """An incident owing a review that has none published (nor a waiver)."""

    incident: str
    title: str
    severity: str | None
    resolved: date | None
    days_since_resolution: int | None
    postmortem_status: str | None
    inferred: tuple[str, ...] = ()  # the postmortem's fields read from its text


@dataclass(frozen=True, slots=True)
class SlippedAction:
    """An action item past its due date: still open, or done late."""

    postmortem: PostmortemRecord
    action: ActionRecord
    days_late: int


def _incident_from(pm: PostmortemRecord, incident_id: str) -> IncidentRecord:
    return IncidentRecord(
        id=incident_id,
        title=pm.title,
        severity=pm.severity,
        services=pm.services,
        team=pm.team,
        started_at=pm.started_at,
        detected_at=pm.detected_at,
        mitigated_at=pm.mitigated_at,
        resolved_at=pm.resolved_at,
        related_to=pm.related_incidents,
        day_known=pm.day_known,
    )


def _cases(
    postmortems: Sequence[PostmortemRecord], incidents: Sequence[IncidentRecord] | None
) -> list[_Case]:
    by_incident: dict[str, PostmortemRecord] = {}
    for pm in postmortems:
        for incident_id in pm.incidents or (pm.key,):
            # The published review wins when two postmortems name one incident.
            current = by_incident.get(incident_id)
            if current is None or (pm.is_published and not current.is_published):
                by_incident[incident_id] = pm
    if incidents is None:
        return [_Case(_incident_from(pm, i), pm) for i, pm in by_incident.items()]
    return [_Case(inc, by_incident.get(inc.id)) for inc in incidents]


def _severity(case: _Case) -> list[str]:
    pm = case.postmortem
    return [case.incident.severity or (pm.severity if pm else None) or UNKNOWN]


def _services(case: _Case) -> list[str]:
    pm = case.postmortem
    return list(case.incident.services or (pm.services if pm else ()) or (UNKNOWN,))


def _team(case: _Case) -> list[str]:
    pm = case.postmortem
    return [case.incident.team or (pm.team if pm else None) or UNKNOWN]


def _occurred(case: _Case) -> date | None:
    return case.incident.occurred or (case.postmortem.occurred if case.postmortem else None)


def _month(case: _Case) -> list[str]:
    day = _occurred(case)
    return [f"{day.year}-{day.month:02d}" if day else UNKNOWN]


def _quarter(case: _Case) -> list[str]:
    day = _occurred(case)
    return [f"{day.year}-Q{(day.month - 1) // 3 + 1}" if day else UNKNOWN]


DIMENSIONS: dict[str, Callable[[_Case], list[str]]] = {
    "severity": _severity,
    "service": _services,
    "team": _team,
    "month": _month,
    "quarter": _quarter,
}


def _median(values: Iterable[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return round(float(median(known)), 1) if known else None


def _mean(values: Iterable[float | int | None]) -> float | None:
    known = [float(v) for v in values if v is not None]
    return round(fmean(known), 2) if known else None


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _compute(cases: list[_Case], today: date) -> Metrics:
    pms = list({id(c.postmortem): c.postmortem for c in cases if c.postmortem}.values())
    owed = [c for c in cases if c.incident.review_required]
    done = [
        c for c in owed
        if c.incident.review_waived or (c.postmortem is not None and c.postmortem.is_published)
    ]  # fmt: skip
    publish_days: list[float | None] = []
    for pm in pms:
        if pm.published and pm.resolved_at:
            days = (pm.published - pm.resolved_at.astimezone(UTC).date()).days
            publish_days.append(float(days) if days >= 0 else None)
    actions = [a for pm in pms for a in pm.actions]
    closed = [a for a in actions if a.status == "done"]
    on_time = [a for a in closed if a.due and a.closed and a.closed <= a.due]
    due = [a for a in actions if a.due and ((a.status == "done" and a.closed) or
                                            a.is_overdue(today))]  # fmt: skip
    close_days = [float((a.closed - a.created).days) for a in closed if a.closed and a.created]
    recurrences = sum(
        1 for c in cases
        if c.incident.related_to or (c.postmortem is not None and c.postmortem.related_incidents)
    )  # fmt: skip
    times = [
        (c.incident.response_times() if c.incident.started_at else None)
        or (c.postmortem.response_times() if c.postmortem else None)
        for c in cases
    ]
    published = [pm for pm in pms if pm.is_published]
    return Metrics(
        incidents=len(cases),
        postmortems=len(pms),
        published=len(published),
        reviews_owed=len(owed),
        reviews_done=len(done),
        review_coverage=_ratio(len(done), len(owed)),
        median_days_to_publish=_median(publish_days),
        actions=len(actions),
        actions_done=len(closed),
        actions_on_time=len(on_time),
        actions_due=len(due),
        on_time_rate=_ratio(len(on_time), len(due)),
        median_days_to_close=_median(close_days),
        overdue=sum(1 for a in actions if a.is_overdue(today)),
        recurrences=recurrences,
        recurrence_rate=_ratio(recurrences, len(cases)),
        median_minutes_to_detect=_median(t.time_to_detect_minutes for t in times if t),
        median_minutes_to_mitigate=_median(t.time_to_mitigate_minutes for t in times if t),
        median_minutes_to_resolve=_median(t.time_to_resolve_minutes for t in times if t),
        mean_depth_score=_mean(pm.depth_score for pm in pms),
        blame_per_postmortem_first_draft=_mean(pm.blame_findings_first_draft for pm in pms),
        blame_per_postmortem_published=_mean(pm.blame_findings for pm in published),
    )


def compute_metrics(
    postmortems: Sequence[PostmortemRecord],
    incidents: Sequence[IncidentRecord] | None = None,
    *,
    today: date | None = None,
) -> Metrics:
    """Compute the metrics over every incident (or every incident the postmortems name)."""
    return _compute(_cases(postmortems, incidents), today or date.today())


def metrics_by(
    dimension: str,
    postmortems: Sequence[PostmortemRecord],
    incidents: Sequence[IncidentRecord] | None = None,
    *,
    today: date | None = None,
) -> dict[str, Metrics]:
    """Compute the metrics per severity, service, team, month or quarter, in sorted order.

    An incident touching two services counts in both; `unknown` collects those with no value.
    """
    if dimension not in DIMENSIONS:
        raise ValueError(f"unknown dimension {dimension!r}; one of {', '.join(DIMENSIONS)}")
    keys = DIMENSIONS[dimension]
    groups: dict[str, list[_Case]] = {}
    for case in _cases(postmortems, incidents):
        for key in keys(case):
            groups.setdefault(key, []).append(case)
    day = today or date.today()
    return {key: _compute(groups[key], day) for key in sorted(groups)}


def missing_reviews(
    postmortems: Sequence[PostmortemRecord],
    incidents: Sequence[IncidentRecord] | None = None,
    *,
    today: date | None = None,
) -> list[MissingReview]:
    """Incidents owing a review with none published or waived, longest waiting first."""
    day = today or date.today()
    out = []
    for case in _cases(postmortems, incidents):
        inc, pm = case.incident, case.postmortem
        if not inc.review_required or inc.review_waived or (pm is not None and pm.is_published):
            continue
        resolved = inc.resolved_at or (pm.resolved_at if pm else None)
        resolved_day = resolved.astimezone(UTC).date() if resolved else None
        out.append(
            MissingReview(
                incident=inc.id,
                title=inc.title or (pm.title if pm else ""),
                severity=inc.severity or (pm.severity if pm else None),
                resolved=resolved_day,
                days_since_resolution=(day - resolved_day).days if resolved_day else None,
                postmortem_status=pm.status if pm else None,
                inferred=pm.inferred if pm else (),
            )
        )
    out.sort(key=lambda m: (-(m.days_since_resolution or -1), m.incident))
    return out


def slipped_actions(
    postmortems: Sequence[PostmortemRecord], *, today: date | None = None
) -> list[SlippedAction]:
    """Action items open past their due date or done after it, most days late first."""
    day = today or date.today()
    out = []
    for pm in postmortems:
        for a in pm.actions:
            if a.is_overdue(day) and a.due:
                out.append(SlippedAction(pm, a, (day - a.due).days))
            elif a.finished_late() and a.closed and a.due:
                out.append(SlippedAction(pm, a, (a.closed - a.due).days))
    out.sort(key=lambda s: (-s.days_late, s.postmortem.key, s.action.id))
    return out
