"""The worker app's configuration."""

from django.apps import AppConfig


class WorkerConfig(AppConfig):
    """Tasks queued in the database and the heartbeats of the workers that run them."""

    name = "nofault.web.worker"
    label = "worker"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Register every app's tasks (each app's `tasks.py`), so any process can queue them."""
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("tasks")
