"""Squadcast outgoing webhooks (v2): incident triggered, acknowledged, resolved."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from nofault.web.integrations.sources.base import (
    DeliveryRejected,
    EventType,
    IncidentEvent,
    SourceSettings,
    body_digest,
    check_token,
    load_json_object,
    needed,
)
from nofault.web.integrations.sources.reading import as_mapping, as_text
from nofault.web.integrations.sources.squadcast.payload import Delivery
from nofault.web.integrations.sources.squadcast.settings import SquadcastSettings

_TYPES: Mapping[str, EventType] = {
    "incident.triggered": EventType.TRIGGER,
    "incident.reassigned": EventType.ANNOTATE,
    "incident.acknowledged": EventType.ACKNOWLEDGE,
    "incident.resolved": EventType.RESOLVE,
}


class SquadcastSource:
    """Incidents from Squadcast; a Squadcast incident is one incident."""

    name = "squadcast"
    label = "Squadcast"
    settings_model = SquadcastSettings
    default_severity_map: Mapping[str, str] = {}

    def verify(self, headers: Mapping[str, str], body: bytes, settings: SourceSettings) -> None:
        """Accept the delivery when it carries the configured token in the configured header."""
        assert isinstance(settings, SquadcastSettings)
        check_token(headers, settings)

    def delivery_id(self, headers: Mapping[str, str], body: bytes) -> str:
        """Return the event id Squadcast gives each event."""
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
        """Return the incident event; other resources give none."""
        delivery = Delivery.model_validate(load_json_object(body))
        kind = _TYPES.get(needed(delivery.event.type, "event.type"))
        if delivery.data.resource_type not in (None, "incident") or kind is None:
            return []
        occurred_at = needed(delivery.event.timestamp or received_at, "event.timestamp")
        data = delivery.data.resource_data
        team = delivery.data.team
        return [
            IncidentEvent(
                source=self.name,
                dedup_key=needed(data.id, "data.resource_data.id"),
                event_id=delivery.event.id or body_digest(body),
                type=kind,
                occurred_at=occurred_at,
                title=data.message,
                severity=settings.default_severity if settings else "SEV3",
                started_at=data.created_at,
                services=(data.service.name,) if data.service.name else (),
                teams=(team.name,) if team.name else (),
                responders=(data.assigned_to.name,) if data.assigned_to.name else (),
                link=data.url,
            )
        ]
