"""Email as a notifier: the message is built here, sent by whatever mailer the app passes.

The web app passes `django.core.mail.send_mail`; anything with its signature works, so this
module stays free of Django.
"""

from __future__ import annotations

from typing import Any, Protocol

from nofault.web.integrations.notifiers.base import (
    Delivered,
    Notification,
    NotificationFailed,
    NotifierSettings,
    plain_text,
)
from nofault.web.integrations.notifiers.email.settings import EmailSettings


class Mailer(Protocol):
    """`send_mail(subject, message, from_email, recipient_list)` → number sent, as Django's."""

    def __call__(
        self, subject: str, message: str, from_email: str | None, recipient_list: list[str]
    ) -> int: ...


class EmailClient:
    """Sends one plain-text email per notification."""

    def __init__(self, settings: EmailSettings, mailer: Mailer) -> None:
        self.settings = settings
        self.mailer = mailer

    def send(self, notification: Notification) -> Delivered:
        """Send the notification to its recipient's address."""
        if "@" not in notification.recipient:
            raise NotificationFailed(f"not an email address: {notification.recipient!r}")
        subject = f"{self.settings.subject_prefix}{notification.subject}"
        try:
            sent = self.mailer(
                subject,
                plain_text(notification),
                self.settings.from_address,
                [notification.recipient],
            )
        except OSError as exc:  # SMTP errors are OSErrors
            raise NotificationFailed(f"mail server: {exc}", retryable=True) from exc
        if sent < 1:
            raise NotificationFailed("the mailer sent nothing", retryable=True)
        return Delivered(notifier="email", recipient=notification.recipient)


class EmailNotifier:
    """Reminders and digests by email."""

    name = "email"
    label = "Email"
    settings_model = EmailSettings

    def connect(self, settings: NotifierSettings, **options: Any) -> EmailClient:
        """Return a client; pass `mailer=` (the web app passes Django's `send_mail`)."""
        assert isinstance(settings, EmailSettings)
        mailer = options.get("mailer")
        if mailer is None:
            raise NotificationFailed("email needs a mailer (Django's send_mail in the web app)")
        return EmailClient(settings, mailer)
