"""The Prometheus-style group notification Alertmanager and Grafana both send.

One notification describes one alert group: its key names the incident, its `status` says
whether any alert still fires. The group is resolved only when every alert in it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Annotated

from pydantic import Field

from nofault.web.integrations.sources.base import (
    LABEL_SEVERITIES,
    EventType,
    IncidentEvent,
    SourceSettings,
    TokenSettings,
    WrongShape,
    body_digest,
    map_severity,
    needed,
)
from nofault.web.integrations.sources.reading import (
    Labels,
    Lenient,
    LenientList,
    Text,
    TextOrEmpty,
    Time,
)

_SEVERITY_ORDER = ("SEV1", "SEV2", "SEV3", "SEV4", "SEV5")


class Alert(Lenient):
    """One alert of the group."""

    status: Text = None
    labels: Labels = Field(default_factory=dict)
    annotations: Labels = Field(default_factory=dict)
    startsAt: Time = None
    endsAt: Time = None
    generatorURL: Text = None
    fingerprint: Text = None


class GroupNotification(Lenient):
    """The webhook body, as far as nofault reads it (Alertmanager's version 4, Grafana's 1)."""

    groupKey: Text = None
    status: Text = None
    receiver: TextOrEmpty = ""
    groupLabels: Labels = Field(default_factory=dict)
    commonLabels: Labels = Field(default_factory=dict)
    commonAnnotations: Labels = Field(default_factory=dict)
    externalURL: Text = None
    alerts: Annotated[tuple[Alert, ...], LenientList] = ()


class AlertGroupSettings(TokenSettings):
    """Settings shared by Prometheus-style sources: credentials, and which labels name what."""

    service_labels: tuple[str, ...] = ("service", "app", "job")
    team_labels: tuple[str, ...] = ("team",)
    severity_labels: tuple[str, ...] = ("severity", "priority")


def to_event(
    group: GroupNotification,
    *,
    source: str,
    dedup_key: str,
    settings: SourceSettings | None,
    received_at: datetime | None = None,
) -> IncidentEvent:
    """Return the one incident event a group notification stands for."""
    config = settings if isinstance(settings, AlertGroupSettings) else AlertGroupSettings()
    status = _status(group)
    starts = [a.startsAt for a in group.alerts if a.startsAt is not None]
    started_at = min(starts, default=None)
    if status == "firing":
        kind = EventType.TRIGGER
        firing = [a.startsAt for a in group.alerts if a.startsAt and _firing(a.status)]
        occurred_at = needed(min(firing or starts, default=received_at), "alerts[].startsAt")
    else:
        kind = EventType.RESOLVE
        ends = [a.endsAt for a in group.alerts if a.endsAt is not None]
        occurred_at = needed(
            max(ends or starts, default=received_at), "alerts[].endsAt or startsAt"
        )
    severity, raw = _severity(group, config, settings)
    first = group.alerts[0] if group.alerts else Alert()
    title = group.commonAnnotations.get("summary") or group.commonLabels.get("alertname")
    if not title:
        names = list(dict.fromkeys(a.labels.get("alertname", "") for a in group.alerts))
        title = first.labels.get("alertname") or first.annotations.get("summary") or dedup_key
        if len(names) > 1:
            title = f"{title} (+{len(names) - 1} more)"
    return IncidentEvent(
        source=source,
        dedup_key=dedup_key,
        event_id=_event_id(group),
        type=kind,
        occurred_at=occurred_at,
        title=title,
        severity=severity,
        raw_severity=raw,
        started_at=started_at,
        services=_label_values(group.alerts, config.service_labels),
        teams=_label_values(group.alerts, config.team_labels),
        link=group.externalURL or first.generatorURL,
    )


def group_key(group: GroupNotification) -> str:
    """Return the group's `groupKey`, or, when a sender leaves it out, one made of what it sent.

    Made of the group labels, else of the alerts' fingerprints (or labels), so each resend of
    the same group gives the same key.
    """
    if group.groupKey:
        return group.groupKey
    labels = group.groupLabels or group.commonLabels
    if labels:
        return "labels:" + body_digest(*(f"{k}={v}" for k, v in sorted(labels.items())))
    parts = sorted(a.fingerprint or repr(sorted(a.labels.items())) for a in group.alerts)
    return "alerts:" + body_digest(*needed(parts or None, "groupKey"))


def _firing(status: str | None) -> bool:
    return (status or "").strip().lower() == "firing"


def _status(group: GroupNotification) -> str:
    """Return firing or resolved: the group's own status, else what its alerts say."""
    status = (group.status or "").strip().lower()
    if status in ("firing", "resolved"):
        return status
    said = {(a.status or "").strip().lower() for a in group.alerts} - {""}
    if "firing" in said:
        return "firing"
    if said == {"resolved"}:
        return "resolved"
    raise WrongShape(f"status must be firing or resolved, not {group.status!r}")


def _severity(
    group: GroupNotification, config: AlertGroupSettings, settings: SourceSettings | None
) -> tuple[str, str | None]:
    """Return the worst severity any alert of the group carries."""
    best: tuple[str, str | None] | None = None
    for labels in [group.commonLabels, *(a.labels for a in group.alerts)]:
        candidates = [labels.get(name) for name in config.severity_labels]
        if not any(candidates):
            continue
        mapped = map_severity(candidates, vendor_table=LABEL_SEVERITIES, settings=settings)
        if best is None or _rank(mapped[0]) < _rank(best[0]):
            best = mapped
    return best or map_severity([], vendor_table=LABEL_SEVERITIES, settings=settings)


def _rank(severity: str) -> int:
    return _SEVERITY_ORDER.index(severity) if severity in _SEVERITY_ORDER else len(_SEVERITY_ORDER)


def _label_values(alerts: Sequence[Alert], names: Sequence[str]) -> tuple[str, ...]:
    values: dict[str, None] = {}
    for alert in alerts:
        for name in names:
            value = alert.labels.get(name)
            if value:
                values[value] = None
                break
    return tuple(values)


def _event_id(group: GroupNotification) -> str:
    """Identify the notification by what it says, so a repeat of the same state is one event."""
    parts: list[str] = [group.groupKey or "", group.status or ""]
    alerts = [
        (
            alert.fingerprint or repr(sorted(alert.labels.items())),
            alert.status or "",
            alert.startsAt.isoformat() if alert.startsAt else "",
            alert.endsAt.isoformat() if alert.endsAt else "",
        )
        for alert in group.alerts
    ]
    for alert_parts in sorted(alerts):
        parts += alert_parts
    return body_digest(*parts)


def delivery_id(body: bytes) -> str:
    """Return the body's digest: group notifications carry no delivery id of their own."""
    return body_digest(body)
