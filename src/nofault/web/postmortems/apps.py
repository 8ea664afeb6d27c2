"""The postmortems app."""

from django.apps import AppConfig


class PostmortemsConfig(AppConfig):
    """Postmortems."""

    name = "nofault.web.postmortems"
    label = "postmortems"
    default_auto_field = "django.db.models.BigAutoField"
