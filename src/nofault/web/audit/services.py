"""Audit services: record an event, and prune the events past the retention."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from nofault.web.accounts.forms import client_ip
from nofault.web.audit.middleware import current_address
from nofault.web.audit.models import AuditEvent, pruning

Target = Any  # a model instance, a (type, id, label) tuple, or None


def _target(target: Target) -> tuple[str, str, str]:
    if target is None:
        return "", "", ""
    if isinstance(target, tuple):
        kind, ident, label = (*target, "")[:3]
        return str(kind)[:40], str(ident)[:150], str(label)[:200]
    meta = target._meta
    return meta.model_name[:40], str(target.pk)[:150], str(target)[:200]


def record(
    actor: Any,
    action: str,
    target: Target = None,
    *,
    request: Any = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event: who (`actor`, or None), what, to which target, from which address.

    The address is the request's when one is given, else that of the request being answered
    (empty from the shell or the worker).
    """
    kind, ident, label = _target(target)
    known = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent.objects.create(
        actor_id=actor.pk if known and actor.pk else None,
        actor_name=str(getattr(actor, "username", ""))[:150] if known else "",
        action=action,
        target_type=kind,
        target_id=ident,
        target_label=label,
        address=(client_ip(request) if request is not None else current_address())[:64],
        detail=detail or {},
    )


def audit_prune(*, days: int | None = None) -> int:
    """Delete the events older than the retention (NOFAULT_AUDIT_RETENTION_DAYS); return how many.

    This is the one deletion the log allows: the queryset's delete is let through inside
    `pruning()`, and on PostgreSQL the trigger is told so for this transaction only.
    """
    keep = days if days is not None else settings.NOFAULT_AUDIT_RETENTION_DAYS
    cutoff = timezone.now() - timedelta(days=keep)
    with transaction.atomic(), pruning():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('nofault.audit_prune', 'on', true)")
        deleted, _ = AuditEvent.objects.filter(at__lt=cutoff).delete()
    return deleted
