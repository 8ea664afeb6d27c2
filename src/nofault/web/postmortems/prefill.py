"""A new postmortem's draft filled from what nofault knows about its incident.

The incident gives the times (UTC, written with their zone), services and responders; the
alerting tool's deliveries for its alert group give the timeline rows (triggered,
acknowledged, resolved, with who and when) and the links to the alerts. Every row written
here says so in its source cell (`prefilled: <source>`), until a person confirms or edits
it. An incident created by hand has no deliveries and gets the fields it has.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from nofault.core.document import (
    EventKind,
    Link,
    LinksSection,
    Postmortem,
    Responder,
    TimelineEvent,
    TimelineSection,
)
from nofault.web.incidents.models import Incident
from nofault.web.integrations.config import source_settings
from nofault.web.integrations.models import AlertGroup, DeliveryStatus, WebhookDelivery
from nofault.web.integrations.sources import get_source
from nofault.web.integrations.sources.base import DeliveryRejected, EventType, IncidentEvent

PREFILLED = "prefilled"
# Deliveries read for one alert group: an incident's alerts arrive within days of it, and a
# storm of thousands adds no row a reader needs.
MAX_DELIVERIES = 500
MAX_ROWS = 50
_WINDOW = timedelta(days=14)

_KINDS = {
    EventType.TRIGGER: (EventKind.TRIGGER, "Alert triggered"),
    EventType.ACKNOWLEDGE: (EventKind.ESCALATION, "Alert acknowledged"),
    EventType.RESOLVE: (EventKind.RESOLUTION, "Alert resolved"),
    EventType.ANNOTATE: (EventKind.OTHER, "Alert note"),
}


def prefilled_source(source: str) -> str:
    """The source cell of a prefilled row: marked until a person confirms it."""
    return f"{PREFILLED}: {source}"


def _utc(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def alert_events(incident: Incident) -> list[IncidentEvent]:
    """The alerting tool's events for the incident's alert group, oldest first."""
    group = AlertGroup.objects.filter(incident=incident).first()
    if group is None:
        return []
    source = get_source(group.source)
    if source is None:
        return []
    since = incident.created_at - _WINDOW
    deliveries = WebhookDelivery.objects.filter(
        source=group.source,
        status=DeliveryStatus.PROCESSED,
        received_at__gte=since,
        received_at__lte=incident.created_at + _WINDOW,
    ).order_by("received_at", "pk")[:MAX_DELIVERIES]
    events: dict[str, IncidentEvent] = {}
    settings = source_settings(source)
    for delivery in deliveries:
        if incident.key not in (delivery.incident_keys or []):
            continue
        try:
            parsed = source.parse(bytes(delivery.body), settings, received_at=delivery.received_at)
        except DeliveryRejected:
            continue  # applied once, unreadable now (the source changed): no row from it
        for event in parsed:
            if event.dedup_key == group.dedup_key:
                events.setdefault(f"{event.event_id}:{event.type}", event)
    return sorted(events.values(), key=lambda e: (e.occurred_at, e.type.value))[:MAX_ROWS]


def _row(event: IncidentEvent) -> TimelineEvent:
    kind, label = _KINDS[event.type]
    text = f"{label}: {event.title}" if event.title else label
    if event.responders and event.type is not EventType.TRIGGER:
        text += f" by {', '.join(event.responders)}"
    if event.note:
        text += f" ({event.note.strip()[:200]})"
    return TimelineEvent(
        time=_utc(event.occurred_at), text=text, kind=kind, source=prefilled_source(event.source)
    )


def _incident_rows(incident: Incident) -> list[TimelineEvent]:
    rows = []
    for field, kind, text in (
        ("started_at", EventKind.START, "Incident started"),
        ("detected_at", EventKind.DETECTION, "Incident detected"),
        ("mitigated_at", EventKind.MITIGATION, "Incident mitigated"),
        ("resolved_at", EventKind.RESOLUTION, "Incident resolved"),
    ):
        at = getattr(incident, field)
        if at is not None:
            rows.append(
                TimelineEvent(
                    time=_utc(at), text=text, kind=kind, source=prefilled_source("incident")
                )
            )
    return rows


def draft_prefill(draft: Postmortem, incident: Incident) -> Postmortem:
    """Return the draft with the incident's facts, alert timeline and links filled in."""
    events = alert_events(incident)
    detected = incident.detected_at
    if detected is None:
        # The alert that fired is when the organisation knew (DEP107 asks for it).
        triggered = [e.occurred_at for e in events if e.type is EventType.TRIGGER]
        detected = min(triggered) if triggered else None
    rows = [_row(e) for e in events] or _incident_rows(incident)
    links: list[Link] = []
    for event in events:
        if event.link and all(link.url != event.link for link in links):
            links.append(
                Link(title=f"Alert: {event.title or event.dedup_key}"[:200], url=event.link)
            )
    sections = []
    for section in draft.sections:
        if isinstance(section, TimelineSection) and rows:
            section = section.model_copy(update={"events": rows, "style": "table"})
        elif isinstance(section, LinksSection) and links:
            section = section.model_copy(update={"links": links})
        sections.append(section)
    return draft.model_copy(
        update={
            "services": list(incident.services),
            "responders": [Responder(**r) for r in incident.responders],
            "started_at": incident.started_at,
            "detected_at": detected,
            "mitigated_at": incident.mitigated_at,
            "resolved_at": incident.resolved_at,
            "sections": sections,
        }
    )
