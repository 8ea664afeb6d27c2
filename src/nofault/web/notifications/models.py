"""Each person's notification preferences."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class NotificationPreference(models.Model):
    """How one person hears about review events: by email, by Slack, or not at all."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email = models.BooleanField(default=True)
    slack = models.BooleanField(default=False)
    # The Slack member id (U0123ABCD) a bot token posts to.
    slack_id = models.CharField(max_length=40, blank=True, default="")
    # A facilitator also hears when an action item of a postmortem they facilitate is overdue.
    overdue_as_facilitator = models.BooleanField(default=True)
