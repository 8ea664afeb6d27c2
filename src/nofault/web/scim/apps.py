"""The SCIM app."""

from django.apps import AppConfig


class ScimConfig(AppConfig):
    """Provisioning people and teams from the organisation's identity provider."""

    name = "nofault.web.scim"
    label = "scim"
    default_auto_field = "django.db.models.BigAutoField"
