"""Grafana alerting's webhook contact point: unified alerting's groups, and legacy rule alerts."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from nofault.web.integrations.sources import _alertgroup
from nofault.web.integrations.sources.base import (
    LABEL_SEVERITIES,
    IncidentEvent,
    SourceSettings,
    check_token,
    load_json_object,
)
from nofault.web.integrations.sources.grafana import legacy
from nofault.web.integrations.sources.grafana.settings import GrafanaSettings


class GrafanaSource:
    """Incidents from Grafana alerting; one notification group is one incident.

    Grafana's `groupKey` holds only the group labels (`{}:{}` when grouping by nothing), so
    two contact points can send the same one: the receiver is part of the key.
    """

    name = "grafana"
    label = "Grafana alerting"
    settings_model = GrafanaSettings
    default_severity_map = LABEL_SEVERITIES

    def verify(self, headers: Mapping[str, str], body: bytes, settings: SourceSettings) -> None:
        """Accept the delivery when it carries the configured credential."""
        assert isinstance(settings, GrafanaSettings)
        check_token(headers, settings)

    def delivery_id(self, headers: Mapping[str, str], body: bytes) -> str:
        """Return the body's digest: a resend of the same notification has the same one."""
        return _alertgroup.delivery_id(body)

    def parse(
        self,
        body: bytes,
        settings: SourceSettings | None = None,
        *,
        received_at: datetime | None = None,
    ) -> list[IncidentEvent]:
        """Return the group's (or legacy rule's) trigger or resolve event."""
        data = load_json_object(body)
        if legacy.is_legacy(data):
            return legacy.to_events(
                data, source=self.name, settings=settings, received_at=received_at
            )
        group = _alertgroup.GroupNotification.model_validate(data)
        key = f"{group.receiver}|{_alertgroup.group_key(group)}"
        return [
            _alertgroup.to_event(
                group, source=self.name, dedup_key=key, settings=settings, received_at=received_at
            )
        ]
