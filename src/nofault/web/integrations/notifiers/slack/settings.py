"""Slack's settings: an incoming webhook, or a bot token for chat.postMessage."""

from __future__ import annotations

from pydantic import SecretStr, model_validator

from nofault.web.integrations.notifiers.base import NotifierSettings


class SlackSettings(NotifierSettings):
    """Either `webhook_url` (one channel) or `bot_token` (any channel or user id, by recipient)."""

    webhook_url: SecretStr | None = None
    bot_token: SecretStr | None = None
    # Where chat.postMessage goes when a notification names no channel.
    default_channel: str | None = None
    # Tests and Slack-compatible servers point here; Slack itself is the default.
    api_url: str = "https://slack.com/api/"
    timeout_seconds: int = 10
    retries: int = 3

    @model_validator(mode="after")
    def _one_way(self) -> SlackSettings:
        if self.enabled and self.webhook_url is None and self.bot_token is None:
            raise ValueError("Slack needs webhook_url or bot_token")
        return self
