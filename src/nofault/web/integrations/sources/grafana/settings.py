"""Grafana's settings: the credential its webhook contact point sends, and label names."""

from __future__ import annotations

from nofault.web.integrations.sources._alertgroup import AlertGroupSettings


class GrafanaSettings(AlertGroupSettings):
    """Authorization header (scheme Bearer) or basic auth (`username` + `token`)."""
