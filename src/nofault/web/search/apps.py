"""The search app: full-text search across incidents, postmortems and action items."""

from django.apps import AppConfig


class SearchConfig(AppConfig):
    """Search."""

    name = "nofault.web.search"
    label = "search"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Keep the index in step with every save."""
        from nofault.web.search import signals  # noqa: F401
