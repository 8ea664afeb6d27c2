"""An action item as stored: a row of a postmortem's table, plus who closed it and when."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone

from nofault.web.choices import ActionStatusChoices, ActionTypeChoices


class ActionItem(models.Model):
    """A change the team committed to; the postmortem's Markdown table is its source."""

    postmortem = models.ForeignKey(
        "postmortems.Postmortem", on_delete=models.CASCADE, related_name="action_items"
    )
    key = models.CharField(max_length=64)
    text = models.TextField()
    type = models.CharField(
        max_length=20, choices=ActionTypeChoices.choices(), blank=True, default=""
    )
    owner = models.CharField(max_length=200, blank=True, default="", db_index=True)
    person = models.CharField(max_length=200, blank=True, default="")
    due = models.DateField(null=True, blank=True, db_index=True)
    status = models.CharField(
        max_length=20, choices=ActionStatusChoices.choices(), default="open", db_index=True
    )
    reason = models.CharField(max_length=500, blank=True, default="")
    tracker = models.CharField(max_length=500, blank=True, default="")
    factors = models.JSONField(default=list, blank=True)
    position = models.PositiveIntegerField(default=0)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # The due date whose passing its owner was told of: a new due date is a new overdue period.
    overdue_told_for = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due", "id"]
        constraints = [
            models.UniqueConstraint(fields=["postmortem", "key"], name="unique_action_key")
        ]
        # A board column is one status in (due, id) order: read straight off this index.
        # A column's count leaves out the postmortems a person may not see: counted off
        # (status, postmortem) without reading the items.
        indexes = [
            models.Index(fields=["status", "due", "id"], name="action_status_due_id"),
            models.Index(fields=["status", "postmortem"], name="action_status_postmortem"),
            # The home page and its count in the navigation: a person's own open items, read
            # on every page they open (owner, the other way an item names them, has its own).
            models.Index(fields=["person", "status"], name="action_person_status"),
        ]

    def __str__(self) -> str:
        return f"{self.key}: {self.text[:60]}"

    @property
    def is_open(self) -> bool:
        """Tell whether work is still outstanding."""
        return self.status in ActionStatusChoices.OPEN_VALUES

    def is_overdue(self, today: date | None = None) -> bool:
        """Tell whether the item is open and past its due date."""
        return action_is_overdue(self.status, self.due, today or timezone.localdate())


def action_is_overdue(status: str, due: date | None, today: date) -> bool:
    """Tell whether an item in this status and due then is open and past its due date."""
    return status in ActionStatusChoices.OPEN_VALUES and due is not None and due < today
