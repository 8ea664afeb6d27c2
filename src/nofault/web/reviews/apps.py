"""The reviews app: review policy, waivers, the coverage ledger, reminders and recurrence."""

from __future__ import annotations

from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    """Every incident gets its review, and nothing agreed is forgotten."""

    name = "nofault.web.reviews"
    label = "reviews"
    default_auto_field = "django.db.models.BigAutoField"
