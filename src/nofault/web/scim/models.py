"""A SCIM client's token (kept as a hash), and the identity provider's own ids for the people
and teams it provisions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class ScimToken(models.Model):
    """A bearer token one identity provider's SCIM client presents; only its SHA-256 is kept."""

    name = models.CharField(max_length=100, unique=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ScimPerson(models.Model):
    """The identity provider's `externalId` for a person it provisioned."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="scim_person"
    )
    external_id = models.CharField(max_length=254, blank=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.user} ({self.external_id})"


class ScimTeam(models.Model):
    """The identity provider's `externalId` for a group it provisioned as a team."""

    team = models.OneToOneField("accounts.Team", on_delete=models.CASCADE, related_name="scim_team")
    external_id = models.CharField(max_length=254, blank=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.team} ({self.external_id})"
