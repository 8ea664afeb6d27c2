"""Opsgenie (Webhook integration) as an incident source."""

from nofault.web.integrations.sources.opsgenie.source import OpsgenieSource

SOURCE = OpsgenieSource()
