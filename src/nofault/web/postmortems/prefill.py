"""A new postmortem's draft filled from what nofault knows about its incident.

The incident gives the times (UTC, written with their zone), services and responders; the
alerting tool's deliveries for its alert group give the timeline rows (triggered,
acknowledged, resolved, with who and when) and the links to the alerts. Every row written
here says so in its source cell (`prefilled: <source>`), until a person confirms or edits
it: in the rows editor, or in the text by any door (the Markdown editor, the API's `source`
or `document`), where `clear_marks_of_edited_rows` takes the mark off a row that changed. An
incident created by hand has no deliveries and gets the fields it has.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from typing import Any

from django.conf import settings
from django.urls import reverse

from nofault.core.document import (
    ActionItemsSection,
    EventKind,
    Link,
    LinksSection,
    Postmortem,
    Responder,
    TimelineEvent,
    TimelineSection,
)
from nofault.core.insights.similar import LIKELY_SCORE, SimilarPostmortem
from nofault.core.markdown import parse_text, render
from nofault.web.incidents.models import Incident
from nofault.web.insights.records import postmortem_pk
from nofault.web.insights.selectors import similar_for_text
from nofault.web.integrations.config import source_settings
from nofault.web.integrations.models import AlertGroup, DeliveryStatus, WebhookDelivery
from nofault.web.integrations.sources import get_source
from nofault.web.integrations.sources.base import DeliveryRejected, EventType, IncidentEvent
from nofault.web.postmortems.practice import organisation_practice
from nofault.web.postmortems.selectors import postmortem_list_visible

PREFILLED = "prefilled"
# Deliveries read for one alert group: an incident's alerts arrive within days of it, and a
# storm of thousands adds no row a reader needs.
MAX_DELIVERIES = 500
MAX_ROWS = 50
# Similar earlier postmortems listed in a new draft: a few, each with its open action items.
MAX_SIMILAR = 3
MAX_OPEN_ITEMS = 5
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


def is_prefilled(event: TimelineEvent) -> bool:
    """Tell whether a timeline row still carries the prefilled mark in its source cell."""
    return (event.source or "").startswith(f"{PREFILLED}:")


def row_confirmed(event: TimelineEvent) -> TimelineEvent:
    """The row as a person vouches for it: its source cell without the prefilled mark."""
    if not is_prefilled(event):
        return event
    rest = (event.source or "")[len(PREFILLED) + 1 :].strip()
    return event.model_copy(update={"source": rest or None})


# Where a row's mark is written: a table cell that starts with it, or a list item's "(via …)".
_PIPE = re.compile(r"(?<!\\)\|")
_MARKED_CELL = re.compile(rf"^(\s*){PREFILLED}:\s*(.*)$", re.DOTALL)
_MARKED_VIA = re.compile(rf"\(via {PREFILLED}:\s*([^()]*)\)")
_EMPTY_VIA = re.compile(rf"\s*\(via {PREFILLED}:\s*\)")


def _unmarked_line(line: str) -> str | None:
    """The line of a marked row with its mark taken off, or None when it holds no mark."""
    bounds = [*(m.start() for m in _PIPE.finditer(line)), len(line)]
    for left, right in reversed(list(pairwise(bounds))):
        cell = _MARKED_CELL.match(line[left + 1 : right])
        if cell:
            rest = cell[2] if cell[2].strip() else " " + cell[2]
            return line[: left + 1] + cell[1] + rest + line[right:]
    if _EMPTY_VIA.search(line):
        return _EMPTY_VIA.sub("", line, count=1)
    if _MARKED_VIA.search(line):
        return _MARKED_VIA.sub(r"(via \1)", line, count=1)
    return None


def _row_key(event: TimelineEvent) -> tuple[str, str, str | None]:
    return (event.time, event.text, event.kind.value if event.kind else None)


def clear_marks_of_edited_rows(previous: str, new: str) -> str:
    """Return `new` with the prefilled mark taken off each timeline row a person edited.

    A row still marked whose time, text or kind differ from every marked row of `previous`
    was edited, so it loses its mark; a row as it was keeps it. Only the edited rows' source
    cells change, and the rest of `new` keeps its bytes. The result is read back before it is
    returned: when it would not hold exactly those rows unmarked and everything else as it was
    (a layout where the mark cannot be found on its row's line), `new` comes back as given.
    """
    if f"{PREFILLED}:" not in new:
        return new  # nothing marked: most saves stop here, with no extra parsing
    aliases = organisation_practice().lint.heading_aliases()
    before = parse_text(previous, aliases=aliases).postmortem.timeline
    kept = {_row_key(e) for e in before if is_prefilled(e)}
    parsed = parse_text(new, aliases=aliases)
    doc = parsed.postmortem
    edited = [_row_key(e) not in kept for e in doc.timeline if is_prefilled(e)]
    if not any(edited):
        return new
    lines = new.split("\n")
    # The k-th line holding a mark in the timeline sections is the k-th marked row's.
    holding = [
        number
        for index, (start, end, _heading) in enumerate(parsed.section_spans)
        if isinstance(doc.sections[index], TimelineSection)
        for number in range(start, min(end, len(lines)))
        if _unmarked_line(lines[number]) is not None
    ]
    if len(holding) != len(edited) or "\r" in new.replace("\r\n", ""):
        return new
    for number, clear in zip(holding, edited, strict=True):
        if clear:
            lines[number] = _unmarked_line(lines[number]) or lines[number]
    result = "\n".join(lines)
    expected = doc.model_copy(
        update={
            "sections": [
                s.model_copy(update={"events": [_confirmed_unless(e, kept) for e in s.events]})
                if isinstance(s, TimelineSection)
                else s
                for s in doc.sections
            ]
        }
    )
    return result if parse_text(result, aliases=aliases).postmortem == expected else new


def _confirmed_unless(
    event: TimelineEvent, kept: set[tuple[str, str, str | None]]
) -> TimelineEvent:
    """The row unmarked, unless it is marked and as it was in `kept`."""
    return event if _row_key(event) in kept else row_confirmed(event)


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


def similar_earlier(draft: Postmortem, reader: Any) -> list[SimilarPostmortem]:
    """The earlier postmortems the reader may see that the draft likely repeats, best first.

    Only matches at or above the similarity index's measured `likely` score are kept: a draft
    lists what looks like the same failure, not everything that shares a few words.
    """
    indexed = postmortem_list_visible(user=reader).filter(status__in=("in_review", "published"))
    if not indexed.exists():
        return []
    found = similar_for_text(
        user=reader, source=render(draft), top=MAX_SIMILAR, min_score=LIKELY_SCORE
    )
    return [m for m in found if m.likely]


def _comment_safe(text: str) -> str:
    # An HTML comment ends at the first "-->" and may not hold "--": neither may cut it short.
    return " ".join(text.replace("--", "–").split())


def similar_block(matches: list[SimilarPostmortem]) -> str:
    """The similar postmortems as an HTML comment the author keeps, edits or deletes.

    A comment is left out of the rendered page and of every lint check, so the draft's
    findings and depth score are what they were without it.
    """
    root = settings.NOFAULT_BASE_URL.rstrip("/")
    lines = [
        "<!-- Similar earlier postmortems (found by nofault; keep what helps, delete the rest):"
    ]
    for match in matches:
        record = match.record
        pk = postmortem_pk(record.key)
        url = root + reverse("postmortems:detail", args=[pk]) if pk is not None else ""
        title = _comment_safe(f"{record.label}: {record.title}")
        lines.append(f"- [{title}]({url})" if url else f"- {title}")
        items = match.open_actions
        for item in items[:MAX_OPEN_ITEMS]:
            who = f"owner: {_comment_safe(item.owner)}" if item.owner else "no owner"
            due = f"due {item.due.isoformat()}" if item.due else "no due date"
            lines.append(f"  - open: {_comment_safe(f'{item.id} {item.text}')} ({who}; {due})")
        if len(items) > MAX_OPEN_ITEMS:
            lines.append(f"  - and {len(items) - MAX_OPEN_ITEMS} more open items")
        if not items:
            lines.append("  - no open action items")
    lines.append("-->")
    return "\n".join(lines)


def _with_similar(draft: Postmortem, block: str) -> Postmortem:
    """Put the block in the links section (the template's place for related postmortems), or
    before the action items of a template without one (the light review's)."""
    places: list[LinksSection | ActionItemsSection] = [
        s for s in draft.sections if isinstance(s, LinksSection)
    ] or [s for s in draft.sections if isinstance(s, ActionItemsSection)]
    if not places:
        return draft
    target = places[0]
    sections = [
        s.model_copy(update={"body": f"{s.body}\n\n{block}" if s.body else block})
        if s is target
        else s
        for s in draft.sections
    ]
    return draft.model_copy(update={"sections": sections})


def draft_prefill(draft: Postmortem, incident: Incident, reader: Any = None) -> Postmortem:
    """Return the draft with the incident's facts, alert timeline and links filled in, and,
    for a reader, the similar earlier postmortems they may see with their open items."""
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
    filled = draft.model_copy(
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
    matches = similar_earlier(filled, reader) if reader is not None else []
    return _with_similar(filled, similar_block(matches)) if matches else filled
