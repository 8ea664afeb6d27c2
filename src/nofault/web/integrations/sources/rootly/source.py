"""Rootly's outgoing webhooks (signed `t=…,v1=…`): incidents created, updated and resolved."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from datetime import datetime

from nofault.web.integrations.sources.base import (
    PRIORITY_SEVERITIES,
    DeliveryRejected,
    EventType,
    IncidentEvent,
    MalformedHeader,
    SourceDisabled,
    SourceSettings,
    Unauthenticated,
    body_digest,
    header,
    load_json_object,
    map_severity,
    needed,
)
from nofault.web.integrations.sources.reading import as_mapping, as_text
from nofault.web.integrations.sources.rootly.payload import Delivery, Event, Incident
from nofault.web.integrations.sources.rootly.settings import RootlySettings

SIGNATURE_HEADER = "X-Rootly-Signature"

_TYPES: Mapping[str, EventType] = {
    "incident.created": EventType.TRIGGER,
    "incident.updated": EventType.ANNOTATE,
    "incident.mitigated": EventType.ANNOTATE,
    "incident.resolved": EventType.RESOLVE,
    "incident.cancelled": EventType.RESOLVE,
}
# An update says where the incident stands in its own `status`.
_ENDED = frozenset({"resolved", "cancelled", "closed"})


def signature_parts(value: str) -> tuple[str, list[str]]:
    """Return the header's timestamp and its `v1` digests; raise `MalformedHeader` otherwise."""
    timestamp, digests = "", []
    for entry in value.split(","):
        name, sep, part = entry.strip().partition("=")
        if name == "t" and sep:
            timestamp = part.strip()
        elif name == "v1" and sep and part.strip():
            digests.append(part.strip().lower())
    if not timestamp or not digests:
        raise MalformedHeader(f"{SIGNATURE_HEADER} must be 't=<timestamp>,v1=<hex>'")
    return timestamp, digests


class RootlySource:
    """Incidents from Rootly; a Rootly incident is one incident."""

    name = "rootly"
    label = "Rootly"
    settings_model = RootlySettings
    default_severity_map = PRIORITY_SEVERITIES

    def verify(self, headers: Mapping[str, str], body: bytes, settings: SourceSettings) -> None:
        """Accept the delivery if a `v1` digest is the HMAC of timestamp + body under a secret."""
        assert isinstance(settings, RootlySettings)
        if not settings.enabled or not settings.secrets:
            raise SourceDisabled("Rootly has no signing secret configured")
        value = header(headers, SIGNATURE_HEADER)
        if not value or not value.strip():
            raise MalformedHeader(f"missing {SIGNATURE_HEADER} header")
        timestamp, offered = signature_parts(value)
        signed = timestamp.encode() + body
        for secret in settings.secrets:
            expected = hmac.new(secret.get_secret_value().encode(), signed, hashlib.sha256)
            if any([hmac.compare_digest(expected.hexdigest(), d) for d in offered]):
                return
        raise Unauthenticated("no signature matches the body under the configured secrets")

    def delivery_id(self, headers: Mapping[str, str], body: bytes) -> str:
        """Return the event's id, the same on a redelivery."""
        try:
            event_id = as_text(as_mapping(load_json_object(body).get("event")).get("id"))
        except DeliveryRejected:
            event_id = None
        return event_id or body_digest(body)

    def parse(
        self,
        body: bytes,
        settings: SourceSettings | None = None,
        *,
        received_at: datetime | None = None,
    ) -> list[IncidentEvent]:
        """Return the incident events; alerts, pulses and other resources give none."""
        delivery = Delivery.model_validate(load_json_object(body))
        pairs: list[tuple[Event, Incident]]
        if delivery.events:
            pairs = [(e, e.data) for e in delivery.events]
        else:
            pairs = [(delivery.event, delivery.data)]
        events = []
        for event, incident in pairs:
            read = self._event(event, incident, body, settings, received_at)
            if read is not None:
                events.append(read)
        return events

    def _event(
        self,
        event: Event,
        data: Incident,
        body: bytes,
        settings: SourceSettings | None,
        received_at: datetime | None,
    ) -> IncidentEvent | None:
        event_type = needed(event.type or event.event_type, "event.type")
        kind = _TYPES.get(event_type)
        if kind is None:
            return None
        if kind is EventType.ANNOTATE and (data.status or "").strip().lower() in _ENDED:
            kind = EventType.RESOLVE
        ended = data.resolved_at or data.cancelled_at if kind is EventType.RESOLVE else None
        occurred_at = event.issued_at or event.timestamp or ended or data.updated_at or received_at
        severity, raw_severity = map_severity(
            [data.severity.slug, data.severity.name],
            vendor_table=PRIORITY_SEVERITIES,
            settings=settings,
        )
        return IncidentEvent(
            source=self.name,
            dedup_key=needed(data.id, "data.id"),
            event_id=event.event_id or event.id or body_digest(body),
            type=kind,
            occurred_at=needed(occurred_at, "event.issued_at"),
            title=data.title or "",
            severity=severity,
            raw_severity=raw_severity,
            started_at=data.started_at or data.detected_at or data.created_at,
            services=tuple(s.name for s in data.services if s.name),
            teams=tuple(g.name for g in data.groups if g.name),
            link=data.url,
        )
