"""The guides app."""

from django.apps import AppConfig


class GuidesConfig(AppConfig):
    """The guide."""

    name = "nofault.web.guides"
    label = "guides"
    default_auto_field = "django.db.models.BigAutoField"
