"""The meetings app: a postmortem's review meeting and its calendar invitation."""

from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    """Review meetings."""

    name = "nofault.web.meetings"
    label = "meetings"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Register the invitation task with the worker."""
        from nofault.web.meetings import tasks  # noqa: F401
