"""The accounts app."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """People and their roles."""

    name = "nofault.web.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"
