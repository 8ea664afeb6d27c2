"""Plain records the insights work on, so Markdown folders and the web app's models feed them alike.

The insights never read a `Postmortem` model or an ORM row directly: a caller turns what it
has into these frozen dataclasses once (`record_from_postmortem` does it for the document
model; the web app maps its rows the same way) and every function here takes them. That
keeps the insights fast (no validation or lazy loading inside loops over 100,000 items) and
lets the web app add what only it knows: when an action was closed, the blame findings of the
first draft, the incidents that never got a postmortem.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from nofault.core.document import ActionStatus, Postmortem, SectionKind
from nofault.core.lint.packs.depth.analysis import ResponseTimes, response_times
from nofault.core.lint.packs.depth.score import DepthScore

__all__ = [
    "ActionRecord",
    "FactorRecord",
    "IncidentRecord",
    "PostmortemRecord",
    "incident_record_from_mapping",
    "record_from_postmortem",
]

OPEN_STATUSES = frozenset({ActionStatus.OPEN.value, ActionStatus.IN_PROGRESS.value})
_DATE = re.compile(r"\b(\d{4}-\d{2}-\d{2})\b")
# Front-matter keys a Markdown postmortem may use to say its incident repeats an earlier one.
RELATED_KEYS = ("recurrence_of", "related_incidents", "related")


@dataclass(frozen=True, slots=True)
class FactorRecord:
    """A contributing factor: its id, its text and its category (or None)."""

    id: str
    text: str
    category: str | None = None


@dataclass(frozen=True, slots=True)
class ActionRecord:
    """An action item with what the metrics need: status, due date, and when it was closed."""

    id: str
    text: str
    status: str = ActionStatus.OPEN.value
    due: date | None = None
    closed: date | None = None
    created: date | None = None
    owner: str | None = None

    @property
    def is_open(self) -> bool:
        """Tell whether work on the item is still outstanding."""
        return self.status in OPEN_STATUSES

    def is_overdue(self, today: date) -> bool:
        """Tell whether the item is open past its due date."""
        return self.is_open and self.due is not None and self.due < today

    def finished_late(self) -> bool:
        """Tell whether the item was done after its due date (False when a date is unknown)."""
        return (
            self.status == ActionStatus.DONE.value
            and self.due is not None
            and self.closed is not None
            and self.closed > self.due
        )


@dataclass(frozen=True, slots=True)
class PostmortemRecord:
    """One postmortem as the insights see it: metadata, the texts, factors and actions."""

    key: str
    title: str = ""
    id: str | None = None
    incidents: tuple[str, ...] = ()
    severity: str | None = None
    services: tuple[str, ...] = ()
    team: str | None = None
    status: str = "draft"
    created: date | None = None
    published: date | None = None
    started_at: datetime | None = None
    detected_at: datetime | None = None
    mitigated_at: datetime | None = None
    resolved_at: datetime | None = None
    summary: str = ""
    analysis: str = ""
    timeline: tuple[str, ...] = ()
    factors: tuple[FactorRecord, ...] = ()
    actions: tuple[ActionRecord, ...] = ()
    related_incidents: tuple[str, ...] = ()
    depth_score: float | None = None
    blame_findings: int | None = None
    blame_findings_first_draft: int | None = None
    # Fields read from the text rather than stated as metadata (see Postmortem.inferred).
    inferred: tuple[str, ...] = ()
    # False when the timeline's times are only times of day and nothing states the day:
    # its durations hold, but the moments are not dates to put in a month.
    day_known: bool = True

    @property
    def is_published(self) -> bool:
        """Tell whether the review has been published."""
        return self.status == "published"

    @property
    def label(self) -> str:
        """The name people know this postmortem by: first incident, else its id, title or key."""
        return self.incidents[0] if self.incidents else (self.id or self.title or self.key)

    @property
    def occurred(self) -> date | None:
        """The day the incident happened, as far as the record knows (else when it was written)."""
        for moment in (self.started_at, self.detected_at, self.resolved_at):
            if moment is not None and self.day_known:
                return moment.astimezone(UTC).date()
        return self.created or self.published

    def response_times(self) -> ResponseTimes:
        """The start, detection, mitigation and resolution times and the gaps between them."""
        return ResponseTimes(self.started_at, self.detected_at, self.mitigated_at, self.resolved_at)


@dataclass(frozen=True, slots=True)
class IncidentRecord:
    """An incident and whether its review is owed, for coverage, recurrence and response times."""

    id: str
    title: str = ""
    severity: str | None = None
    services: tuple[str, ...] = ()
    team: str | None = None
    started_at: datetime | None = None
    detected_at: datetime | None = None
    mitigated_at: datetime | None = None
    resolved_at: datetime | None = None
    review_required: bool = True
    review_waived: bool = False
    related_to: tuple[str, ...] = field(default=())
    day_known: bool = True  # as on PostmortemRecord: False when its times fall on no stated day

    @property
    def occurred(self) -> date | None:
        """The day the incident happened, when known."""
        for moment in (self.started_at, self.detected_at, self.resolved_at):
            if moment is not None and self.day_known:
                return moment.astimezone(UTC).date()
        return None

    def response_times(self) -> ResponseTimes:
        """The start, detection, mitigation and resolution times and the gaps between them."""
        return ResponseTimes(self.started_at, self.detected_at, self.mitigated_at, self.resolved_at)


def _strings(value: object) -> tuple[str, ...]:
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        return tuple(v.strip() for v in value.split(",") if v.strip())
    if isinstance(value, Iterable):
        return tuple(str(v) for v in value if v is not None and str(v).strip())
    return (str(value),)


def _closed_date(reason: str | None) -> date | None:
    # A Markdown action written `done (closed 2026-03-20)` carries its close date in the reason.
    m = _DATE.search(reason or "")
    if not m:
        return None
    try:
        return date.fromisoformat(m.group(1))
    except ValueError:
        return None


def _section_text(pm: Postmortem, kind: SectionKind) -> str:
    return "\n\n".join(
        p for s in pm.sections_of(kind) for p in (s.body, getattr(s, "after", "")) if p
    )


def record_from_postmortem(
    pm: Postmortem,
    *,
    key: str | None = None,
    score: DepthScore | None = None,
    blame_findings: int | None = None,
    day_known: bool = True,
) -> PostmortemRecord:
    """Turn a document model into a record, with the depth score and blame count when linted.

    `score` is the lint result's depth score;
    `blame_findings` is the number of findings in the `blame` category;
    `day_known` is False when the timeline's times fall on no stated day.
    """
    times = response_times(pm)
    created = pm.created
    actions = tuple(
        ActionRecord(
            id=a.id,
            text=a.text,
            status=a.status.value,
            due=a.due,
            closed=_closed_date(a.reason) if a.status is ActionStatus.DONE else None,
            created=created or pm.published,
            owner=a.owner or a.person,
        )
        for a in pm.action_items
    )
    analysis = _section_text(pm, SectionKind.ANALYSIS)
    chains = " ".join(f"{c.title} {' '.join(c.answers)}" for c in pm.why_chains)
    related: list[str] = []
    for name in RELATED_KEYS:
        related.extend(_strings(pm.extra.get(name)))
    team = pm.extra.get("team")
    return PostmortemRecord(
        key=key or pm.id or pm.title,
        title=pm.title,
        id=pm.id,
        incidents=tuple(pm.incidents),
        severity=pm.severity,
        services=tuple(pm.services),
        team=str(team) if team else None,
        status=pm.status.value,
        created=created,
        published=pm.published,
        started_at=times.started,
        detected_at=times.detected,
        mitigated_at=times.mitigated,
        resolved_at=times.resolved,
        summary=pm.summary,
        analysis=f"{analysis}\n{chains}".strip(),
        timeline=tuple(e.text for e in pm.timeline),
        factors=tuple(
            FactorRecord(f.id, f.text, f.category.value if f.category else None)
            for f in pm.contributing_factors
        ),
        actions=actions,
        related_incidents=tuple(dict.fromkeys(related)),
        depth_score=float(score.score) if score is not None else None,
        blame_findings=blame_findings,
        inferred=tuple(pm.inferred),
        day_known=day_known,
    )


def _moment(value: object) -> datetime | None:
    if value is None or value == "":
        return None
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    if moment.tzinfo is None:
        raise ValueError(f"timestamp {value!r} needs a time zone")
    return moment


def incident_record_from_mapping(data: Mapping[str, Any]) -> IncidentRecord:
    """Read an incident record from a mapping (a YAML or JSON export of incidents)."""
    return IncidentRecord(
        id=str(data["id"]),
        title=str(data.get("title") or ""),
        severity=data.get("severity"),
        services=_strings(data.get("services")),
        team=data.get("team"),
        started_at=_moment(data.get("started_at")),
        detected_at=_moment(data.get("detected_at")),
        mitigated_at=_moment(data.get("mitigated_at")),
        resolved_at=_moment(data.get("resolved_at")),
        review_required=bool(data.get("review_required", True)),
        review_waived=bool(data.get("review_waived", False)),
        related_to=_strings(data.get("related_to")),
    )
