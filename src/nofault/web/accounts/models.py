"""A person with a role, and the login attempts the throttle counts."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models

from nofault.web.choices import Role


class User(AbstractUser):
    """A local account; its role says what it may do everywhere."""

    role = models.CharField(max_length=20, choices=Role.choices(), default=Role.VIEWER)

    def has_role(self, role: str) -> bool:
        """Tell whether the person holds this role or a higher one."""
        if self.is_superuser:
            return True
        return Role.RANK.get(self.role, -1) >= Role.RANK[role]

    @property
    def is_org_admin(self) -> bool:
        """Admins see every incident, restricted ones included."""
        return self.is_superuser or self.role == Role.ADMIN

    @property
    def display_name(self) -> str:
        """The full name when known, else the username."""
        return self.get_full_name() or self.username


class LoginAttempt(models.Model):
    """One attempt to log in, kept for throttling."""

    username = models.CharField(max_length=150, db_index=True)
    ip = models.CharField(max_length=64, db_index=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    succeeded = models.BooleanField(default=False)


class Team(models.Model):
    """A team: its people, and (through the service → team map) its incidents."""

    name = models.CharField(max_length=200, unique=True)
    members = models.ManyToManyField(User, blank=True, related_name="teams")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ExternalIdentity(models.Model):
    """A person's account at the identity provider they sign in with: the provider's
    issuer and its stable subject id (`sub`), which outlive a changed name or address."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="identities")
    issuer = models.CharField(max_length=300)
    subject = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="unique_external_identity")
        ]

    def __str__(self) -> str:
        return f"{self.user} at {self.issuer}"


class TokenExpiry(models.Model):
    """When a person's API token stops working, if they gave it an expiry (none: it lasts)."""

    token = models.OneToOneField(
        "authtoken.Token", on_delete=models.CASCADE, primary_key=True, related_name="expiry"
    )
    expires_at = models.DateTimeField()
