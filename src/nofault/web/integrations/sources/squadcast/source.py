"""Squadcast outgoing webhooks (v2): incident triggered, acknowledged, resolved."""

from __future__ import annotations

from collections.abc import Mapping

from nofault.web.integrations.sources.base import (
    EventType,
    IncidentEvent,
    SourceSettings,
    WrongShape,
    body_digest,
    check_token,
    load_json_object,
    parse_time,
    validate_shape,
)
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
            return str(load_json_object(body)["event"]["id"])
        except (KeyError, TypeError, WrongShape):
            return body_digest(body)

    def parse(self, body: bytes, settings: SourceSettings | None = None) -> list[IncidentEvent]:
        """Return the incident event; other resources give none."""
        delivery = validate_shape(Delivery, load_json_object(body), "Squadcast v2 webhook")
        kind = _TYPES.get(delivery.event.type)
        if delivery.data.resource_type != "incident" or kind is None:
            return []
        occurred_at = parse_time(delivery.event.timestamp)
        if occurred_at is None:
            raise WrongShape("event.timestamp is empty")
        data = delivery.data.resource_data
        team = delivery.data.team
        responders = [data.assigned_to.name] if data.assigned_to and data.assigned_to.name else []
        return [
            IncidentEvent(
                source=self.name,
                dedup_key=data.id,
                event_id=delivery.event.id,
                type=kind,
                occurred_at=occurred_at,
                title=data.message,
                severity=settings.default_severity if settings else "SEV3",
                started_at=parse_time(data.created_at),
                services=(data.service.name,) if data.service and data.service.name else (),
                teams=(team.name,) if team and team.name else (),
                responders=tuple(responders),
                link=data.url,
                raw=delivery.model_dump(mode="json"),
            )
        ]
