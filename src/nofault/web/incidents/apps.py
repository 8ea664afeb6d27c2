"""The incidents app."""

from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    """Incidents."""

    name = "nofault.web.incidents"
    label = "incidents"
    default_auto_field = "django.db.models.BigAutoField"
