"""The actions app."""

from django.apps import AppConfig


class ActionsConfig(AppConfig):
    """Action items."""

    name = "nofault.web.actions"
    label = "actions"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Register the overdue task with the worker."""
        from nofault.web.actions import tasks  # noqa: F401
