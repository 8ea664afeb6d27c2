"""The audit app."""

from django.apps import AppConfig


class AuditConfig(AppConfig):
    """Who did what, when and from where; kept append-only."""

    name = "nofault.web.audit"
    label = "audit"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Record logins and failed logins from Django's auth signals."""
        from nofault.web.audit import signals  # noqa: F401
