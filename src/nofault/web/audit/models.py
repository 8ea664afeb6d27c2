"""One audit event: who did what to which target, when and from which address.

The log is append-only inside the app: a saved event refuses to be saved again or deleted,
and the manager's queryset refuses `update` and `delete`. Retention pruning is the one
deletion, and it goes through `pruning()` (see services.audit_prune). On PostgreSQL a trigger
refuses UPDATE outright and DELETE outside a pruning transaction, so a raw SQL edit from the
app's own connection fails too.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from nofault.web.choices import AuditAction

_pruning: ContextVar[bool] = ContextVar("audit_pruning", default=False)


class AppendOnlyError(RuntimeError):
    """An audit event was to be changed or deleted."""


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    """Events; `update` and `delete` are refused (pruning aside)."""

    def update(self, **kwargs: Any) -> int:
        """Refuse: the log is append-only."""
        raise AppendOnlyError("audit events cannot be changed")

    def delete(self) -> tuple[int, dict[str, int]]:
        """Refuse, except inside `pruning()`."""
        if not _pruning.get():
            raise AppendOnlyError("audit events are deleted only by retention pruning")
        return super().delete()

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> int:
        """Refuse: the log is append-only."""
        raise AppendOnlyError("audit events cannot be changed")


@contextmanager
def pruning() -> Iterator[None]:
    """Allow the queryset's `delete` for the retention pruning inside this block."""
    token = _pruning.set(True)
    try:
        yield
    finally:
        _pruning.reset(token)


# What an event can be about: a model's name, or one of the tuples the record calls pass.
TARGET_TYPES = ("user", "team", "incident", "postmortem", "policy", "guide", "delivery", "export")


class AuditEvent(models.Model):
    """Who did what to which target, when and from which address; never changed."""

    # Indexed with the id (Meta.indexes), in the order the page and the API read the log.
    at = models.DateTimeField(default=timezone.now)
    # No database constraint and nothing done on delete: an event outlives the account and
    # deleting an account never touches the log.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_name = models.CharField(max_length=150, blank=True, db_index=True)
    action = models.CharField(max_length=40, choices=AuditAction.choices(), db_index=True)
    target_type = models.CharField(max_length=40, blank=True, db_index=True)
    target_id = models.CharField(max_length=150, blank=True)
    target_label = models.CharField(max_length=200, blank=True)
    address = models.CharField(max_length=64, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["target_type", "target_id"], name="audit_target_idx"),
            # Newest first is an index walk, not a sort of every row the filters choose.
            models.Index(fields=["at", "id"], name="audit_at_id_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name or '-'} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Store a new event; refuse to save one already stored."""
        if not self._state.adding:
            raise AppendOnlyError("audit events cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        """Refuse: events go only by retention pruning."""
        raise AppendOnlyError("audit events are deleted only by retention pruning")
