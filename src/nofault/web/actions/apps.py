"""The actions app."""

from django.apps import AppConfig


class ActionsConfig(AppConfig):
    """Action items."""

    name = "nofault.web.actions"
    label = "actions"
    default_auto_field = "django.db.models.BigAutoField"
