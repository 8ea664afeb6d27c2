"""The organisation's guide inputs: values, principles and settings, as their files' text."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class GuideInputs(models.Model):
    """The texts `nofault guide build` reads, kept as written (one row per organisation)."""

    values = models.TextField(blank=True, default="")
    principles = models.TextField(blank=True, default="")
    config = models.TextField(blank=True, default="")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(default=timezone.now)
