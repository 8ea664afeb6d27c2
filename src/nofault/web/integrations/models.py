"""What the integrations app stores: deliveries, alert groups, tracker links, saved settings."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class DeliveryStatus(models.TextChoices):
    """Where a webhook delivery stands."""

    RECEIVED = "received", "Received"  # stored and acknowledged, not yet applied
    PROCESSED = "processed", "Processed"
    DUPLICATE = "duplicate", "Duplicate"
    IGNORED = "ignored", "Ignored"  # authentic, but about nothing nofault records (a ping)
    # Answered 4xx before authentication: now only counted (RejectedDeliveryCount); rows
    # stored by earlier releases keep it.
    REJECTED = "rejected", "Rejected"
    FAILED = "failed", "Failed"  # acknowledged, but applying it raised: retried later
    # Authentic and acknowledged, but a field it needs is unreadable: kept with the reason
    # until an admin replays it (after an upgrade that reads it).
    UNAPPLIED = "unapplied", "Unapplied"


# Deliveries an admin may replay: authentic, acknowledged, and not applied.
NOT_APPLIED = (DeliveryStatus.UNAPPLIED, DeliveryStatus.FAILED)


class WebhookDelivery(models.Model):
    """One request an alerting tool sent, stored before it is acknowledged."""

    source = models.CharField(max_length=50, db_index=True)
    delivery_id = models.CharField(max_length=200, blank=True, default="")
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    headers = models.JSONField(default=dict, blank=True)
    body = models.BinaryField()
    status = models.CharField(
        max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.RECEIVED
    )
    http_status = models.PositiveSmallIntegerField(default=202)
    reason = models.CharField(max_length=500, blank=True, default="")
    processed_at = models.DateTimeField(null=True, blank=True)
    incident_keys = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["source", "delivery_id"]),
            models.Index(fields=["status", "received_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.source} delivery {self.delivery_id or self.pk} ({self.status})"


class RejectedDeliveryCount(models.Model):
    """How many deliveries a webhook refused before authenticating them, per source, reason and day.

    Their bodies are not kept: anyone can send them, so only a count and the latest sender,
    time and detail are, and a sender over the rate limit is not even counted.
    """

    source = models.CharField(max_length=50)
    reason = models.CharField(max_length=50)
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)
    last_at = models.DateTimeField(default=timezone.now)
    last_client = models.CharField(max_length=64, blank=True, default="")
    last_detail = models.CharField(max_length=200, blank=True, default="")

    class Meta:
        ordering = ["-day", "source", "reason"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "reason", "day"], name="unique_rejected_delivery_count"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.reason} on {self.day}: {self.count}"


class AlertGroup(models.Model):
    """One episode of one alert group at a source, and the incident it is."""

    source = models.CharField(max_length=50)
    dedup_key = models.CharField(max_length=300)
    episode = models.PositiveIntegerField(default=0)
    incident = models.OneToOneField(
        "incidents.Incident", on_delete=models.CASCADE, related_name="alert_group"
    )
    state = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "dedup_key", "episode"], name="unique_alert_group_episode"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.dedup_key}#{self.episode}"


class TrackerLinkStatus(models.TextChoices):
    """Where sending an action item to its tracker stands."""

    PENDING = "pending", "Pending"  # asked for; not reached the tracker yet (retried)
    LINKED = "linked", "Linked"
    FAILED = "failed", "Failed"  # refused for good (a 4xx): needs a person


class TrackerLink(models.Model):
    """The tracker issue an action item was sent to; the issue carries `key` to stay single."""

    action_item = models.OneToOneField(
        "actions.ActionItem", on_delete=models.CASCADE, related_name="tracker_link"
    )
    tracker = models.CharField(max_length=50)
    key = models.CharField(max_length=120, unique=True)
    status = models.CharField(
        max_length=20, choices=TrackerLinkStatus.choices, default=TrackerLinkStatus.PENDING
    )
    ref = models.CharField(max_length=200, blank=True, default="", db_index=True)
    url = models.URLField(max_length=500, blank=True, default="")
    issue_state = models.CharField(max_length=20, blank=True, default="")
    # The tracker's time of the last state applied, so an older webhook cannot undo a newer one.
    issue_state_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True, default="")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["tracker", "ref"])]

    def __str__(self) -> str:
        return f"{self.tracker} {self.ref or self.key} ({self.status})"


class IntegrationKind(models.TextChoices):
    """What an integration does: bring incidents in, track action items, or send messages."""

    SOURCE = "source", "Incident source"
    TRACKER = "tracker", "Tracker"
    NOTIFIER = "notifier", "Notifier"


class IntegrationSetting(models.Model):
    """One integration an admin switched on in the app: its settings, encrypted at rest.

    `data` is a Fernet token of the settings' JSON (see `integrations.saved`); nothing else
    in the row says what a secret is.
    """

    kind = models.CharField(max_length=20, choices=IntegrationKind.choices)
    name = models.CharField(max_length=50)
    data = models.TextField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "name"], name="unique_integration_setting")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.name}"
