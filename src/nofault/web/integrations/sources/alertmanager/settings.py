"""Alertmanager's settings: the credential its `http_config` sends, and label names."""

from __future__ import annotations

from nofault.web.integrations.sources._alertgroup import AlertGroupSettings


class AlertmanagerSettings(AlertGroupSettings):
    """Bearer token (`http_config.authorization`) or basic auth (`username` + `token`)."""
