"""A postmortem's review meeting: when, for how long, and the invitation's sequence."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


def _uid() -> str:
    return f"{uuid.uuid4()}@nofault"


class ReviewMeeting(models.Model):
    """The review meeting of one postmortem; each change raises `sequence` (iCalendar's)."""

    postmortem = models.OneToOneField(
        "postmortems.Postmortem", on_delete=models.CASCADE, related_name="meeting"
    )
    uid = models.CharField(max_length=100, unique=True, default=_uid)
    starts_at = models.DateTimeField()
    minutes = models.PositiveIntegerField(default=60)
    sequence = models.PositiveIntegerField(default=0)
    cancelled = models.BooleanField(default=False)
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"review meeting of {self.postmortem_id} at {self.starts_at:%Y-%m-%d %H:%M}"
