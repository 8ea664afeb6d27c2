"""What the reviews app stores: the admins' policy changes, waivers, the sent-log, recurrences."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class PolicySettings(models.Model):
    """The admins' changes to the guide's review policy, and how reminders escalate (one row)."""

    # {"SEV3": {"level": "light", "due_days": 10, "waivable": true}}: only what differs.
    overrides = models.JSONField(default=dict, blank=True)
    facilitator_after_days = models.PositiveIntegerField(default=2)
    sponsor_after_days = models.PositiveIntegerField(default=5)
    repeat_every_hours = models.PositiveIntegerField(default=24)
    digest_weekday = models.PositiveSmallIntegerField(default=0)  # Monday
    recurrence_window_days = models.PositiveIntegerField(default=90)
    # Who the sponsor is: a username (for email) reminders escalate to last.
    sponsor = models.CharField(max_length=150, blank=True, default="")
    # A review needs at least one reviewer who is not an author of the postmortem.
    independent_reviewer = models.BooleanField(default=True)
    # Who reads a postmortem before it is published: only its participants (authors,
    # reviewers, facilitators and admins; the default, as a draft may still hold blameful
    # text), or everyone who may see the incident.
    EVERYONE, PARTICIPANTS = "everyone", "participants"
    draft_readers = models.CharField(
        max_length=20,
        default=PARTICIPANTS,
        choices=[(EVERYONE, "Everyone"), (PARTICIPANTS, "Authors, reviewers, facilitators")],
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return "review policy settings"


class ServiceTeam(models.Model):
    """Which team owns a service, so coverage can be read by team."""

    service = models.CharField(max_length=200, unique=True)
    team = models.CharField(max_length=200, db_index=True)

    class Meta:
        ordering = ["service"]

    def __str__(self) -> str:
        return f"{self.service} → {self.team}"


class Waiver(models.Model):
    """A decision that an incident needs no review: who, in which role, and why. Always shown."""

    incident = models.OneToOneField(
        "incidents.Incident", on_delete=models.CASCADE, related_name="review_waiver"
    )
    reason = models.TextField()
    role = models.CharField(max_length=50)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by_name = models.CharField(max_length=150)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"waiver of {self.incident_id} by {self.decided_by_name} ({self.role})"


class ReminderSent(models.Model):
    """One reminder or digest that left, so the next run of `nofault remind` does not repeat it."""

    kind = models.CharField(max_length=20)  # review, action_item, digest
    ref = models.CharField(max_length=200)
    level = models.CharField(max_length=20)
    recipient = models.CharField(max_length=200)
    channels = models.JSONField(default=list)
    sent_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-sent_at", "-id"]
        indexes = [models.Index(fields=["ref", "level", "recipient", "sent_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.ref} to {self.recipient} ({self.level})"


class Recurrence(models.Model):
    """A later postmortem hit what an earlier action item was meant to prevent: it recurred."""

    action_item = models.ForeignKey(
        "actions.ActionItem", on_delete=models.CASCADE, related_name="recurrences"
    )
    postmortem = models.ForeignKey(
        "postmortems.Postmortem", on_delete=models.CASCADE, related_name="recurs_on"
    )
    services = models.JSONField(default=list)
    categories = models.JSONField(default=list)
    action_was_open = models.BooleanField(default=True)
    found_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-found_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["action_item", "postmortem"], name="unique_recurrence")
        ]

    def __str__(self) -> str:
        return f"{self.action_item} recurred in {self.postmortem_id}"
