"""The insights app: metrics, themes, similar incidents, the learning report and the pulse."""

from django.apps import AppConfig


class InsightsConfig(AppConfig):
    """Insights."""

    name = "nofault.web.insights"
    label = "insights"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Keep digests and the data version in step with every save."""
        from nofault.web.insights import signals  # noqa: F401
