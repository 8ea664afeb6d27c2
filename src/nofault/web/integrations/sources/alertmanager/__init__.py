"""Prometheus Alertmanager (webhook_config, version 4) as an incident source."""

from nofault.web.integrations.sources.alertmanager.source import AlertmanagerSource

SOURCE = AlertmanagerSource()
