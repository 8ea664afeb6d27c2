"""The worker's task that sends one notification on one channel."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail

from nofault.web.notifications.services import SEND_TASK
from nofault.web.worker.tasks import task


@task(SEND_TASK, max_attempts=5)
def notification_send(*, channel: str, address: str, subject: str, text: str, link: str) -> None:
    """Send one message by email or Slack; an error leaves the task to be retried."""
    if channel == "email":
        send_mail(subject, f"{text}\n\n{link}\n", settings.DEFAULT_FROM_EMAIL, [address])
        return
    from nofault.web.integrations.config import notifier_settings
    from nofault.web.integrations.notifiers import get_notifier
    from nofault.web.integrations.notifiers.base import Notification

    notifier = get_notifier("slack")
    chosen = notifier_settings("slack")
    if notifier is None or chosen is None:
        raise RuntimeError("Slack is not configured")
    message = Notification(
        recipient=address, subject=subject, text=text, link=link, kind="review_event"
    )
    notifier.connect(chosen).send(message)
