"""The incident as stored: the core's Incident fields, plus access and the review due date."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from nofault.core import document
from nofault.web.choices import IncidentStatusChoices, Severity
from nofault.web.incidents.keys import incident_key_problem


class Incident(models.Model):
    """Something that went wrong in production; restricted ones are seen by members only."""

    key = models.CharField(max_length=64, unique=True)
    title = models.CharField(max_length=300)
    severity = models.CharField(max_length=16, choices=Severity.choices(), default="SEV3")
    status = models.CharField(
        max_length=20, choices=IncidentStatusChoices.choices(), default="triggered"
    )
    services = models.JSONField(default=list, blank=True)
    # ",api,checkout," so a service filter works the same on SQLite and PostgreSQL.
    services_index = models.CharField(max_length=1000, blank=True, default="", db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    detected_at = models.DateTimeField(null=True, blank=True)
    mitigated_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    source = models.CharField(max_length=50, default="manual")
    external_id = models.CharField(max_length=200, null=True, blank=True)
    responders = models.JSONField(default=list, blank=True)
    restricted = models.BooleanField(default=False, db_index=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="incident_memberships", blank=True
    )
    postmortem_due = models.DateField(null=True, blank=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["severity", "status"]),
            # The few restricted incidents, read without the table when counts leave them out.
            models.Index(
                fields=["id"], condition=models.Q(restricted=True), name="incident_restricted_id"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key}: {self.title}"

    @property
    def routable(self) -> bool:
        """Tell whether the key can stand in a page's address (a row stored before keys were
        checked may hold a `/`); pages link such a row by its id instead."""
        return incident_key_problem(self.key) is None

    def get_absolute_url(self) -> str:
        """The incident's page: by key, or by id when the key cannot be an address."""
        if self.routable:
            return reverse("incidents:detail", args=[self.key])
        return reverse("incidents:detail_by_id", args=[self.pk])

    def to_document(self) -> document.Incident:
        """Return the core's Incident value for this row."""
        return document.Incident(
            id=self.key,
            title=self.title,
            severity=self.severity,
            status=document.IncidentStatus(self.status),
            services=list(self.services),
            started_at=self.started_at,
            detected_at=self.detected_at,
            mitigated_at=self.mitigated_at,
            resolved_at=self.resolved_at,
            source=self.source,
            external_id=self.external_id,
            responders=[document.Responder(**r) for r in self.responders],
        )

    def is_overdue(self, today: date | None = None) -> bool:
        """Tell whether the postmortem is past its due date and not yet published."""
        today = today or timezone.localdate()
        if self.postmortem_due is None or self.postmortem_due >= today:
            return False
        pm = getattr(self, "postmortem", None)
        return incident_is_overdue(self.postmortem_due, pm.status if pm else None, today)


def incident_is_overdue(due: date | None, postmortem_status: str | None, today: date) -> bool:
    """Tell whether a postmortem due then, in this status (None: none yet), is overdue."""
    return due is not None and due < today and postmortem_status != "published"
