"""Grafana alerting (webhook contact point) as an incident source."""

from nofault.web.integrations.sources.grafana.source import GrafanaSource

SOURCE = GrafanaSource()
