"""The integrations app: webhooks in, trackers and reminders out."""

from __future__ import annotations

from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    """Alerting-tool webhooks, tracker sync and reminders."""

    name = "nofault.web.integrations"
    label = "integrations"
    default_auto_field = "django.db.models.BigAutoField"
