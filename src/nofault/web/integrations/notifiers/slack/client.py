"""Sending to Slack with slack-sdk (the vendor's own, well-kept client), with its retry handlers."""

from __future__ import annotations

from typing import Any

from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.web import WebClient
from slack_sdk.webhook import WebhookClient

from nofault.web.integrations.notifiers.base import Delivered, Notification, NotificationFailed
from nofault.web.integrations.notifiers.slack.settings import SlackSettings


def blocks(notification: Notification) -> list[dict[str, Any]]:
    """Return Block Kit blocks: the text, the items as a list, and the link as a button."""
    body = notification.text
    if notification.items:
        body += "\n" + "\n".join(f"• {item}" for item in notification.items)
    result: list[dict[str, Any]] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": f"*{notification.subject}*"}},
        {"type": "section", "text": {"type": "mrkdwn", "text": body[:3000]}},
    ]
    if notification.link:
        result.append(
            {
                "type": "actions",
                "elements": [
                    {
                        "type": "button",
                        "text": {"type": "plain_text", "text": "Open in nofault"},
                        "url": notification.link,
                    }
                ],
            }
        )
    return result


def _handlers(retries: int) -> list[Any]:
    return [
        ConnectionErrorRetryHandler(max_retry_count=retries),
        RateLimitErrorRetryHandler(max_retry_count=retries),
        ServerErrorRetryHandler(max_retry_count=retries),
    ]


class SlackClient:
    """Posts notifications by incoming webhook or chat.postMessage."""

    def __init__(self, settings: SlackSettings) -> None:
        self.settings = settings
        handlers = _handlers(settings.retries)
        self._webhook = (
            WebhookClient(
                settings.webhook_url.get_secret_value(),
                timeout=settings.timeout_seconds,
                retry_handlers=handlers,
            )
            if settings.webhook_url
            else None
        )
        self._web = (
            WebClient(
                token=settings.bot_token.get_secret_value(),
                base_url=settings.api_url,
                timeout=settings.timeout_seconds,
                retry_handlers=handlers,
            )
            if settings.bot_token
            else None
        )

    def send(self, notification: Notification) -> Delivered:
        """Post the message: to its recipient with the bot token, else to the webhook's channel."""
        fallback = f"{notification.subject}: {notification.text}"[:3000]
        channel = notification.recipient or self.settings.default_channel
        if self._web is not None and channel:
            try:
                response = self._web.chat_postMessage(
                    channel=channel, text=fallback, blocks=blocks(notification)
                )
            except SlackApiError as exc:
                error = exc.response.get("error") if exc.response is not None else None
                status = exc.response.status_code if exc.response is not None else None
                raise NotificationFailed(
                    f"Slack chat.postMessage failed: {error or exc}",
                    retryable=status == 429 or (status or 0) >= 500,
                ) from exc
            except SlackClientError as exc:
                raise NotificationFailed(f"Slack unreachable: {exc}", retryable=True) from exc
            return Delivered(
                notifier="slack",
                recipient=str(response.get("channel") or channel),
                ref=response.get("ts"),
            )
        if self._webhook is None:
            raise NotificationFailed("no Slack channel: the bot token needs a recipient")
        try:
            answer = self._webhook.send(text=fallback, blocks=blocks(notification))
        except SlackClientError as exc:
            raise NotificationFailed(f"Slack unreachable: {exc}", retryable=True) from exc
        if answer.status_code != 200 or answer.body.strip() != "ok":
            raise NotificationFailed(
                f"Slack incoming webhook answered {answer.status_code}: {answer.body[:200]}",
                retryable=answer.status_code == 429 or answer.status_code >= 500,
            )
        return Delivered(notifier="slack", recipient="incoming-webhook")
