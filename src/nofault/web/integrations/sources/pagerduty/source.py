"""PagerDuty Webhooks V3: HMAC-SHA256 signatures, incident.* events."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping, Sequence
from datetime import datetime

from nofault.web.integrations.sources.base import (
    PRIORITY_SEVERITIES,
    DeliveryRejected,
    EventType,
    IncidentEvent,
    MalformedBody,
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
from nofault.web.integrations.sources.pagerduty.payload import Envelope, Reference
from nofault.web.integrations.sources.pagerduty.settings import PagerDutySettings
from nofault.web.integrations.sources.reading import as_mapping, as_text, as_time

SIGNATURE_HEADER = "X-PagerDuty-Signature"
WEBHOOK_ID_HEADER = "X-Webhook-Id"

# Event types that move the incident; every other incident.* type (priority_updated,
# reassigned, …) still refreshes what nofault knows, as an annotation.
_TYPES: Mapping[str, EventType] = {
    "incident.triggered": EventType.TRIGGER,
    "incident.reopened": EventType.TRIGGER,
    "incident.acknowledged": EventType.ACKNOWLEDGE,
    "incident.unacknowledged": EventType.TRIGGER,
    "incident.resolved": EventType.RESOLVE,
}

_SEVERITIES: Mapping[str, str] = dict(PRIORITY_SEVERITIES) | {"high": "SEV2", "low": "SEV4"}


def signatures(value: str) -> list[str]:
    """Return the hex digests of a signature header's `v1=` entries; other versions are skipped."""
    found = []
    for entry in value.split(","):
        version, sep, digest = entry.strip().partition("=")
        if not sep or not digest:
            raise MalformedHeader(
                f"{SIGNATURE_HEADER} entry {entry.strip()!r} is not '<version>=<hex>'"
            )
        if version == "v1":
            found.append(digest.lower())
    return found


class PagerDutySource:
    """Incidents from PagerDuty's V3 webhook subscriptions."""

    name = "pagerduty"
    label = "PagerDuty"
    settings_model = PagerDutySettings
    default_severity_map = _SEVERITIES

    def verify(self, headers: Mapping[str, str], body: bytes, settings: SourceSettings) -> None:
        """Accept the delivery if any `v1=` entry is the body's HMAC under any secret."""
        assert isinstance(settings, PagerDutySettings)
        if not settings.enabled or not settings.secrets:
            raise SourceDisabled("PagerDuty has no signing secret configured")
        value = header(headers, SIGNATURE_HEADER)
        if not value or not value.strip():
            raise MalformedHeader(f"missing {SIGNATURE_HEADER} header")
        offered = signatures(value)
        if not offered:
            raise MalformedHeader(f"{SIGNATURE_HEADER} has no v1 signature")
        if not body:
            raise MalformedBody("the body is empty")
        for secret in settings.secrets:
            key = secret.get_secret_value().encode()
            expected = hmac.new(key, body, hashlib.sha256).hexdigest()
            # Compare against every entry, without stopping early, in constant time each.
            matched = [hmac.compare_digest(expected, digest) for digest in offered]
            if any(matched):
                return
        raise Unauthenticated("no signature matches the body under the configured secrets")

    def delivery_id(self, headers: Mapping[str, str], body: bytes) -> str:
        """Return the webhook id PagerDuty keeps across retries, else the event id."""
        webhook_id = header(headers, WEBHOOK_ID_HEADER)
        if webhook_id:
            return webhook_id
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
        """Return the incident event of an incident.* delivery; pings and others give none."""
        event = Envelope.model_validate(load_json_object(body)).event
        event_type = needed(event.event_type, "event.event_type")
        if event.resource_type not in (None, "incident") or not event_type.startswith("incident."):
            return []
        occurred_at = needed(as_time(event.occurred_at) or received_at, "event.occurred_at")
        data = event.data
        event_id = event.id or body_digest(body)
        if data.type not in (None, "incident") or (data.id is None and data.incident.id):
            # A note, a status update, a workflow run…: about the incident it references.
            if data.type != "incident_note" and not data.incident.id:
                return []
            return [
                IncidentEvent(
                    source=self.name,
                    dedup_key=needed(data.incident.id, "event.data.incident.id"),
                    event_id=event_id,
                    type=EventType.ANNOTATE,
                    occurred_at=occurred_at,
                    title=data.incident.summary or "",
                    link=data.incident.html_url,
                    note=data.content or data.message or None,
                    responders=_names([event.agent]),
                )
            ]
        severity, raw_severity = map_severity(
            [data.priority.summary, data.urgency], vendor_table=_SEVERITIES, settings=settings
        )
        return [
            IncidentEvent(
                source=self.name,
                dedup_key=needed(data.id, "event.data.id"),
                event_id=event_id,
                type=_TYPES.get(event_type, EventType.ANNOTATE),
                occurred_at=occurred_at,
                title=data.title or "",
                severity=severity,
                raw_severity=raw_severity,
                started_at=as_time(data.created_at),
                services=_names([data.service]),
                teams=_names(data.teams),
                responders=_names([*data.assignees, event.agent]),
                link=data.html_url,
            )
        ]


def _names(refs: Sequence[Reference]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(ref.summary for ref in refs if ref.summary))
