"""The notifications app: who hears about review events, and how."""

from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """Notifications."""

    name = "nofault.web.notifications"
    label = "notifications"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Register the sending task with the worker."""
        from nofault.web.notifications import tasks  # noqa: F401
