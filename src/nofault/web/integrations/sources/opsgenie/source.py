"""Opsgenie's webhook integration: alert Create, Acknowledge, Close (and notes)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from nofault.web.integrations.sources.base import (
    PRIORITY_SEVERITIES,
    DeliveryRejected,
    EventType,
    IncidentEvent,
    SourceSettings,
    body_digest,
    check_token,
    load_json_object,
    map_severity,
    needed,
)
from nofault.web.integrations.sources.opsgenie.payload import Delivery
from nofault.web.integrations.sources.opsgenie.settings import OpsgenieSettings
from nofault.web.integrations.sources.reading import as_mapping, as_text

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
        except DeliveryRejected:
            return body_digest(body)
        alert = as_mapping(data.get("alert"))
        alert_id, action = as_text(alert.get("alertId")), as_text(data.get("action"))
        if not alert_id or not action:
            return body_digest(body)
        return f"{alert_id}:{action}:{as_text(alert.get('updatedAt')) or ''}"[:200]

    def parse(
        self,
        body: bytes,
        settings: SourceSettings | None = None,
        *,
        received_at: datetime | None = None,
    ) -> list[IncidentEvent]:
        """Return the event of Create, (Un)Acknowledge, Close or AddNote; others give none."""
        delivery = Delivery.model_validate(load_json_object(body))
        action = needed(delivery.action, "action").strip()
        kind = _TYPES.get(action.lower())
        if kind is None:
            return []
        alert = delivery.alert
        alert_id = needed(alert.alertId, "alert.alertId")
        config = settings if isinstance(settings, OpsgenieSettings) else OpsgenieSettings()
        if action.lower() == "create":
            occurred_at = alert.createdAt or alert.updatedAt
        else:
            occurred_at = alert.updatedAt or alert.createdAt
        occurred_at = needed(occurred_at or received_at, "alert.updatedAt or alert.createdAt")
        severity, raw_severity = map_severity(
            [alert.priority], vendor_table=PRIORITY_SEVERITIES, settings=settings
        )
        prefix = config.service_tag_prefix
        services = [t[len(prefix) :] for t in alert.tags if t.startswith(prefix)]
        if alert.entity and alert.entity.strip():
            services.insert(0, alert.entity.strip())
        link = None
        if config.app_url:
            link = f"{config.app_url.rstrip('/')}/alert/detail/{alert_id}/details"
        acting = action.lower() != "create"
        return [
            IncidentEvent(
                source=self.name,
                dedup_key=alert_id,
                event_id=f"{alert_id}:{action}:{occurred_at.isoformat()}",
                type=kind,
                occurred_at=occurred_at,
                title=alert.message.strip(),
                severity=severity,
                raw_severity=raw_severity,
                started_at=alert.createdAt,
                services=tuple(dict.fromkeys(s for s in services if s)),
                teams=alert.teams,
                responders=(alert.username,) if acting and alert.username else (),
                link=link,
                note=alert.note if kind is EventType.ANNOTATE else None,
            )
        ]
