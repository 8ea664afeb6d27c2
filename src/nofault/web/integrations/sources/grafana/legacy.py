"""Grafana's legacy (dashboard) alerting webhook, from before unified alerting (Grafana <= 10).

One body is one alert rule's state: `alerting` or `no_data` fires it, `ok` ends it, `paused`
and `pending` say nothing of an incident. It carries no time, so its event takes the time
nofault received it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from pydantic import Field

from nofault.web.integrations.sources._alertgroup import AlertGroupSettings
from nofault.web.integrations.sources.base import (
    LABEL_SEVERITIES,
    EventType,
    IncidentEvent,
    SourceSettings,
    map_severity,
    needed,
)
from nofault.web.integrations.sources.reading import Labels, Lenient, Text

_STATES: Mapping[str, EventType] = {
    "alerting": EventType.TRIGGER,
    "no_data": EventType.TRIGGER,
    "ok": EventType.RESOLVE,
}


class RuleAlert(Lenient):
    """The legacy body, as far as nofault reads it."""

    orgId: Text = None
    dashboardId: Text = None
    panelId: Text = None
    ruleId: Text = None
    ruleName: Text = None
    ruleUrl: Text = None
    state: Text = None
    title: Text = None
    tags: Labels = Field(default_factory=dict)


def is_legacy(data: Mapping[str, Any]) -> bool:
    """Tell whether a body is a legacy rule alert rather than a notification group."""
    return "alerts" not in data and "state" in data and ("ruleId" in data or "ruleName" in data)


def to_events(
    data: Mapping[str, Any],
    *,
    source: str,
    settings: SourceSettings | None,
    received_at: datetime | None,
) -> list[IncidentEvent]:
    """Return the rule's trigger or resolve; a paused or pending rule gives none."""
    alert = RuleAlert.model_validate(data)
    kind = _STATES.get(needed(alert.state, "state").strip().lower())
    if kind is None:
        return []
    rule = needed(alert.ruleId or alert.ruleName, "ruleId or ruleName")
    config = settings if isinstance(settings, AlertGroupSettings) else AlertGroupSettings()
    severity, raw = map_severity(
        [alert.tags.get(n) for n in config.severity_labels],
        vendor_table=LABEL_SEVERITIES,
        settings=settings,
    )
    occurred_at = needed(received_at, "a time (the body carries none)")
    return [
        IncidentEvent(
            source=source,
            dedup_key=f"legacy:{alert.orgId or ''}:{alert.dashboardId or ''}:"
            f"{alert.panelId or ''}:{rule}",
            event_id=f"{rule}:{alert.state}:{occurred_at.isoformat()}",
            type=kind,
            occurred_at=occurred_at,
            title=alert.ruleName or alert.title or "",
            severity=severity,
            raw_severity=raw,
            services=tuple(alert.tags[n] for n in config.service_labels if alert.tags.get(n))[:1],
            teams=tuple(alert.tags[n] for n in config.team_labels if alert.tags.get(n))[:1],
            link=alert.ruleUrl,
        )
    ]
