"""Opsgenie's settings: the custom header and token its outgoing webhook is set up to send."""

from __future__ import annotations

from nofault.web.integrations.sources.base import TokenSettings


class OpsgenieSettings(TokenSettings):
    """Opsgenie signs nothing: the integration sends a header the customer configures."""

    # Where an alert's page lives, e.g. https://acme.app.opsgenie.com; links are built from it.
    app_url: str | None = None
    service_tag_prefix: str = "service:"
