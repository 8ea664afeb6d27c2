"""Squadcast's settings: the custom header its outgoing webhook is set up to send."""

from __future__ import annotations

from nofault.web.integrations.sources.base import TokenSettings


class SquadcastSettings(TokenSettings):
    """Squadcast's outgoing webhooks carry customer-configured headers, no signature."""
