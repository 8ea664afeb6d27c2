"""Slack as a notifier."""

from __future__ import annotations

from typing import Any

from nofault.web.integrations.notifiers.base import NotifierSettings
from nofault.web.integrations.notifiers.slack.client import SlackClient
from nofault.web.integrations.notifiers.slack.settings import SlackSettings


class SlackNotifier:
    """Reminders and digests in Slack."""

    name = "slack"
    label = "Slack"
    settings_model = SlackSettings

    def connect(self, settings: NotifierSettings, **options: Any) -> SlackClient:
        """Return a client for the configured webhook or bot."""
        assert isinstance(settings, SlackSettings)
        return SlackClient(settings)
