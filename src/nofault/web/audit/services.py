"""Audit services: record an event, and prune the events past the retention."""

from __future__ import annotations

import getpass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from nofault.web.audit.middleware import address_of, current_address
from nofault.web.audit.models import AuditEvent, pruning
from nofault.web.choices import AuditAction

Target = Any  # a model instance, a (type, id, label) tuple, or None
SHELL = "nofault-cli"  # the actor's name for commands run on the server


def _text(value: object, limit: int) -> str:
    # A name typed at the login page reaches here unchecked; PostgreSQL refuses NUL in text.
    return str(value).replace("\x00", "")[:limit]


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name in the environment and no passwd entry
        return ""


def _target(target: Target) -> tuple[str, str, str]:
    if target is None:
        return "", "", ""
    if isinstance(target, tuple):
        kind, ident, label = (*target, "")[:3]
        return _text(kind, 40), _text(ident, 150), _text(label, 200)
    meta = target._meta
    return meta.model_name[:40], str(target.pk), _text(target, 200)


def record(
    actor: Any,
    action: str,
    target: Target = None,
    *,
    request: Any = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event: who (`actor`: a person, a name such as the shell's, or None), what,
    to which target, from which address.

    The address is the request's when one is given, else that of the request being answered
    (empty from the shell or the worker). An event from the shell also names the operating
    system's user who ran the command (`os_user` in its details).
    """
    kind, ident, label = _target(target)
    known = actor is not None and getattr(actor, "is_authenticated", False)
    name = actor if isinstance(actor, str) else getattr(actor, "username", "") if known else ""
    actor_id = actor.pk if known and actor.pk else None
    detail = dict(detail or {})
    if name == SHELL and actor_id is None:
        detail.setdefault("os_user", _os_user())
    return AuditEvent.objects.create(
        actor_id=actor_id,
        actor_name=_text(name, 150),
        action=action,
        target_type=kind,
        target_id=ident,
        target_label=label,
        address=address_of(request) if request is not None else current_address(),
        detail=detail,
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


def export_record(*, actor: Any, postmortem: Any, fmt: str) -> None:
    """Record a download of a restricted postmortem (other downloads are not logged)."""
    if postmortem.incident.restricted:
        record(actor, AuditAction.EXPORT, postmortem, detail={"format": fmt})


def archive_export_record(*, output: str) -> None:
    """Record a whole-database export from the shell when it holds restricted postmortems."""
    from nofault.web.postmortems.models import Postmortem

    restricted = Postmortem.objects.filter(incident__restricted=True).count()
    if restricted:
        detail = {"format": "zip" if output.lower().endswith(".zip") else "folder",
                  "restricted_postmortems": restricted}  # fmt: skip
        record(SHELL, AuditAction.EXPORT, ("export", output, output), detail=detail)


def replay_record(*, actor: Any, replayed: list[Any]) -> None:
    """Record an admin's replay of unapplied deliveries (from the page or the shell)."""
    if replayed:
        ids = [d.pk for d in replayed]
        target = ("delivery", ids[0], replayed[0].source) if len(ids) == 1 else None
        record(actor, AuditAction.REPLAY, target, detail={"deliveries": ids[:200]})
