"""Folding incident events into an incident's state, so that order and repeats do not matter.

Every field merges commutatively: the status is the one the latest event (by the source's
`occurred_at`) says, the start is the earliest start seen, lists are unions, and descriptive
fields (title, severity, link) come from the latest event that carries them. So a redelivery
changes nothing and a resolve that arrives before its trigger ends in the same state as the
other way round. Pure Python: the Django service stores what this returns.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from nofault.core.document import IncidentStatus
from nofault.web.integrations.sources.base import EventType, IncidentEvent

_STATUS = {
    EventType.TRIGGER: IncidentStatus.TRIGGERED,
    EventType.ACKNOWLEDGE: IncidentStatus.ACKNOWLEDGED,
    EventType.RESOLVE: IncidentStatus.RESOLVED,
}
# When two events carry the same instant, the one further along wins, whatever arrived first.
_RANK = {IncidentStatus.TRIGGERED: 0, IncidentStatus.ACKNOWLEDGED: 1, IncidentStatus.RESOLVED: 2}


@dataclass(frozen=True, slots=True)
class IncidentState:
    """What the events of one alert group say about its incident."""

    source: str
    dedup_key: str
    status: IncidentStatus | None = None
    status_at: datetime | None = None
    started_at: datetime | None = None
    acknowledged_at: datetime | None = None
    resolved_at: datetime | None = None
    title: str = ""
    title_at: datetime | None = None
    severity: str | None = None
    severity_at: datetime | None = None
    link: str | None = None
    link_at: datetime | None = None
    services: tuple[str, ...] = ()
    teams: tuple[str, ...] = ()
    responders: tuple[str, ...] = ()

    @property
    def effective_status(self) -> IncidentStatus:
        """Return the status, `triggered` while only annotations have arrived."""
        return self.status or IncidentStatus.TRIGGERED


def starts_new_episode(state: IncidentState, event: IncidentEvent) -> bool:
    """Tell whether a trigger starts a new incident for a group whose last one was resolved.

    An alert group fires again weeks later under the same key; it is a new incident when the
    trigger's own start lies after the resolve. A reopen of the same incident (PagerDuty
    keeps its `created_at`) is not.
    """
    if event.type is not EventType.TRIGGER or state.status is not IncidentStatus.RESOLVED:
        return False
    start = event.started_at or event.occurred_at
    return state.resolved_at is not None and start > state.resolved_at


def fold(state: IncidentState | None, event: IncidentEvent) -> IncidentState:
    """Return the state after `event`; applying the same events in any order gives one result."""
    if state is None:
        state = IncidentState(source=event.source, dedup_key=event.dedup_key)
    changes: dict[str, object] = {}

    start_candidates = [t for t in (state.started_at, event.started_at) if t is not None]
    if event.type is EventType.TRIGGER:
        start_candidates.append(event.occurred_at)
    if start_candidates:
        changes["started_at"] = min(start_candidates)

    new_status = _STATUS.get(event.type)
    if new_status is not None:
        if event.type is EventType.ACKNOWLEDGE:
            acks = [t for t in (state.acknowledged_at, event.occurred_at) if t is not None]
            changes["acknowledged_at"] = min(acks)
        if _later(event.occurred_at, new_status, state.status_at, state.status):
            changes["status"] = new_status
            changes["status_at"] = event.occurred_at
            changes["resolved_at"] = (
                event.occurred_at if new_status is IncidentStatus.RESOLVED else None
            )

    # Each descriptive field is last-writer-wins on its own clock; equal clocks keep the
    # greater value, so the winner never depends on arrival order.
    for name in ("title", "severity", "link"):
        value = getattr(event, name)
        if not value:
            continue
        held_at = getattr(state, f"{name}_at")
        if held_at is None or (event.occurred_at, value) > (held_at, getattr(state, name) or ""):
            changes[name] = value
            changes[f"{name}_at"] = event.occurred_at

    for name in ("services", "teams", "responders"):
        merged = tuple(sorted(set(getattr(state, name)) | set(getattr(event, name))))
        if merged != getattr(state, name):
            changes[name] = merged
    return replace(state, **changes) if changes else state  # type: ignore[arg-type]


def _later(
    at: datetime,
    status: IncidentStatus,
    current_at: datetime | None,
    current: IncidentStatus | None,
) -> bool:
    if current_at is None or current is None:
        return True
    if at != current_at:
        return at > current_at
    return _RANK[status] > _RANK[current]
