"""Opsgenie's webhook integration: alert Create, Acknowledge, Close (and notes)."""

from __future__ import annotations

from collections.abc import Mapping

from nofault.web.integrations.sources.base import (
    PRIORITY_SEVERITIES,
    EventType,
    IncidentEvent,
    SourceSettings,
    WrongShape,
    body_digest,
    check_token,
    epoch_time,
    load_json_object,
    map_severity,
    validate_shape,
)
from nofault.web.integrations.sources.opsgenie.payload import Delivery
from nofault.web.integrations.sources.opsgenie.settings import OpsgenieSettings

_TYPES: Mapping[str, EventType] = {
    "create": EventType.TRIGGER,
    "unacknowledge": EventType.TRIGGER,
    "acknowledge": EventType.ACKNOWLEDGE,
    "close": EventType.RESOLVE,
    "addnote": EventType.ANNOTATE,
}


class OpsgenieSource:
    """Incidents from an Opsgenie Webhook integration; one Opsgenie alert is one incident."""

    name = "opsgenie"
    label = "Opsgenie"
    settings_model = OpsgenieSettings
    default_severity_map = PRIORITY_SEVERITIES

    def verify(self, headers: Mapping[str, str], body: bytes, settings: SourceSettings) -> None:
        """Accept the delivery when it carries the configured token in the configured header."""
        assert isinstance(settings, OpsgenieSettings)
        check_token(headers, settings)

    def delivery_id(self, headers: Mapping[str, str], body: bytes) -> str:
        """Return alert id, action and update time: the same on a redelivery."""
        try:
            data = load_json_object(body)
            alert = data["alert"]
            return f"{alert['alertId']}:{data['action']}:{alert.get('updatedAt', '')}"
        except (KeyError, TypeError, WrongShape, ValueError):
            return body_digest(body)

    def parse(self, body: bytes, settings: SourceSettings | None = None) -> list[IncidentEvent]:
        """Return the event of Create, (Un)Acknowledge, Close or AddNote; others give none."""
        delivery = validate_shape(Delivery, load_json_object(body), "Opsgenie webhook")
        kind = _TYPES.get(delivery.action.lower())
        if kind is None:
            return []
        alert = delivery.alert
        config = settings if isinstance(settings, OpsgenieSettings) else OpsgenieSettings()
        if kind is EventType.TRIGGER and alert.createdAt and delivery.action.lower() == "create":
            occurred_at = epoch_time(alert.createdAt)
        elif alert.updatedAt or alert.createdAt:
            occurred_at = epoch_time(alert.updatedAt or alert.createdAt or 0)
        else:
            raise WrongShape("alert has neither createdAt nor updatedAt")
        severity, raw_severity = map_severity(
            [alert.priority], vendor_table=PRIORITY_SEVERITIES, settings=settings
        )
        services = [
            t[len(config.service_tag_prefix) :]
            for t in alert.tags
            if t.startswith(config.service_tag_prefix)
        ]
        if alert.entity and alert.entity.strip():
            services.insert(0, alert.entity.strip())
        link = None
        if config.app_url:
            link = f"{config.app_url.rstrip('/')}/alert/detail/{alert.alertId}/details"
        acting = delivery.action.lower() != "create"
        return [
            IncidentEvent(
                source=self.name,
                dedup_key=alert.alertId,
                event_id=f"{alert.alertId}:{delivery.action}:{alert.updatedAt or alert.createdAt}",
                type=kind,
                occurred_at=occurred_at,
                title=alert.message.strip(),
                severity=severity,
                raw_severity=raw_severity,
                started_at=epoch_time(alert.createdAt) if alert.createdAt else None,
                services=tuple(dict.fromkeys(services)),
                teams=tuple(alert.teams),
                responders=(alert.username,) if acting and alert.username else (),
                link=link,
                note=alert.note if kind is EventType.ANNOTATE else None,
                raw=delivery.model_dump(mode="json"),
            )
        ]
