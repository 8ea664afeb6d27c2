"""The Prometheus-style group notification Alertmanager and Grafana both send.

One notification describes one alert group: its key names the incident, its `status` says
whether any alert still fires. The group is resolved only when every alert in it is.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from nofault.web.integrations.sources.base import (
    LABEL_SEVERITIES,
    EventType,
    IncidentEvent,
    SourceSettings,
    TokenSettings,
    WrongShape,
    body_digest,
    map_severity,
    parse_time,
)

_SEVERITY_ORDER = ("SEV1", "SEV2", "SEV3", "SEV4", "SEV5")


class _Wire(BaseModel):
    model_config = ConfigDict(extra="allow")


class Alert(_Wire):
    """One alert of the group."""

    status: str
    labels: dict[str, str] = Field(default_factory=dict)
    annotations: dict[str, str] = Field(default_factory=dict)
    startsAt: str
    endsAt: str | None = None
    generatorURL: str | None = None
    fingerprint: str | None = None


class GroupNotification(_Wire):
    """The webhook body; newer fields (truncatedAlerts, notification_reason…) are optional."""

    version: str
    groupKey: str
    status: str
    receiver: str = ""
    groupLabels: dict[str, str] = Field(default_factory=dict)
    commonLabels: dict[str, str] = Field(default_factory=dict)
    commonAnnotations: dict[str, str] = Field(default_factory=dict)
    externalURL: str | None = None
    truncatedAlerts: int = 0
    alerts: list[Alert] = Field(min_length=1)


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
) -> IncidentEvent:
    """Return the one incident event a group notification stands for."""
    config = settings if isinstance(settings, AlertGroupSettings) else AlertGroupSettings()
    status = group.status.lower()
    if status not in ("firing", "resolved"):
        raise WrongShape(f"status must be firing or resolved, not {group.status!r}")
    starts = [_time(a.startsAt, "startsAt") for a in group.alerts]
    started_at = min(starts)
    if status == "firing":
        kind = EventType.TRIGGER
        firing = [s for a, s in zip(group.alerts, starts, strict=True) if a.status == "firing"]
        occurred_at = min(firing or starts)
    else:
        kind = EventType.RESOLVE
        ends = [parse_time(a.endsAt) for a in group.alerts]
        occurred_at = max((e for e in ends if e is not None), default=max(starts))
    severity, raw = _severity(group, config, settings)
    first = group.alerts[0]
    title = group.commonAnnotations.get("summary") or group.commonLabels.get("alertname")
    if not title:
        names = list(dict.fromkeys(a.labels.get("alertname", "") for a in group.alerts))
        title = first.labels.get("alertname") or first.annotations.get("summary") or group.groupKey
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
        raw=group.model_dump(mode="json"),
    )


def _time(value: str, name: str) -> datetime:
    parsed = parse_time(value)
    if parsed is None:
        raise WrongShape(f"alert {name} is the zero time")
    return parsed


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
    parts: list[str] = [group.groupKey, group.status]
    for alert in sorted(group.alerts, key=lambda a: (a.fingerprint or "", a.startsAt)):
        parts += [
            alert.fingerprint or repr(sorted(alert.labels.items())),
            alert.status,
            alert.startsAt,
            alert.endsAt or "",
        ]
    return body_digest(*parts)


def delivery_id(body: bytes) -> str:
    """Return the body's digest: group notifications carry no delivery id of their own."""
    return body_digest(body)


def common_labels(group: GroupNotification) -> Mapping[str, str]:
    """Return the labels every alert of the group shares."""
    return group.commonLabels
