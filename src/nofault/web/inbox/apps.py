"""The inbox app: the home page of what waits for the signed-in person, and its counts."""

from __future__ import annotations

from django.apps import AppConfig


class InboxConfig(AppConfig):
    """What waits for me: reviews to give, action items I own, drafts I write."""

    name = "nofault.web.inbox"
    label = "inbox"
    default_auto_field = "django.db.models.BigAutoField"
