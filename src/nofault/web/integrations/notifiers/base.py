"""What every notifier plugin provides: send one message to one recipient, or say why not."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict


class NotificationFailed(Exception):
    """A message could not be delivered; `retryable` tells whether a later try may succeed."""

    def __init__(self, message: str, *, retryable: bool = False) -> None:
        super().__init__(message)
        self.retryable = retryable


@dataclass(frozen=True, slots=True)
class Notification:
    """A message for one person or channel: a reminder, an escalation or a digest."""

    recipient: str
    subject: str
    text: str
    link: str | None = None
    # Lines shown as a list under the text (a digest's items); plain text everywhere.
    items: tuple[str, ...] = ()
    kind: str = "reminder"


@dataclass(frozen=True, slots=True)
class Delivered:
    """Proof a message left: where to, and the vendor's reference for it."""

    notifier: str
    recipient: str
    ref: str | None = None
    detail: dict[str, Any] = field(default_factory=dict, compare=False)


class NotifierSettings(BaseModel):
    """Settings every notifier shares."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = True


@runtime_checkable
class NotifierClient(Protocol):
    """A configured way to send messages."""

    def send(self, notification: Notification) -> Delivered:
        """Deliver the message or raise `NotificationFailed`."""
        ...


@runtime_checkable
class Notifier(Protocol):
    """A plugin for one messaging channel."""

    name: str
    label: str
    settings_model: type[NotifierSettings]

    def connect(self, settings: NotifierSettings, **options: Any) -> NotifierClient:
        """Return a client that sends with these settings."""
        ...


def plain_text(notification: Notification) -> str:
    """Return the message as plain text: text, items as a list, then the link."""
    lines = [notification.text.rstrip()]
    if notification.items:
        lines.append("")
        lines.extend(f"- {item}" for item in notification.items)
    if notification.link:
        lines += ["", notification.link]
    return "\n".join(lines)
