"""The integrations app: webhooks in, trackers and reminders out."""

from __future__ import annotations

from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    """Alerting-tool webhooks, tracker sync and reminders."""

    name = "nofault.web.integrations"
    label = "integrations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Forget the kept webhooks' account whenever it may have changed."""
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_delete, post_migrate, post_save

        from nofault.web.integrations.services import system_actor_forget

        user_model = get_user_model()
        post_save.connect(
            system_actor_forget, sender=user_model, dispatch_uid="integrations-actor-saved"
        )
        post_delete.connect(
            system_actor_forget, sender=user_model, dispatch_uid="integrations-actor-deleted"
        )
        post_migrate.connect(system_actor_forget, dispatch_uid="integrations-actor-flushed")
