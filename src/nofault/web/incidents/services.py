"""Incident services: create, update, and manage who may see a restricted incident."""

from __future__ import annotations

import random
import time
from datetime import datetime
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Max
from django.utils import timezone

from nofault.web.api_errors import NotAllowedError, ServiceError
from nofault.web.audit.services import record
from nofault.web.choices import AuditAction, IncidentStatusChoices, Role, Severity
from nofault.web.incidents.keys import incident_key_normalise, incident_key_problem
from nofault.web.incidents.models import Incident
from nofault.web.reviews.services import review_due_date


def _require_author(actor: Any) -> None:
    if not actor.has_role(Role.AUTHOR):
        raise NotAllowedError("only authors, facilitators and admins may change incidents")


def _services_index(services: list[str]) -> str:
    return (
        "," + ",".join(s.strip().lower() for s in services if s.strip()) + "," if services else ""
    )


KEY_SEQUENCE = "incidents_incident_key_seq"  # made by migration 0002, PostgreSQL only


def _next_key() -> str:
    """Return a free generated key."""
    if connection.vendor == "postgresql":
        # Each caller gets its own number (a sequence takes no lock), so 20 webhook senders
        # creating incidents at once never race for one key; numbers a person gave as a key by
        # hand are skipped in the same statement.
        table = connection.ops.quote_name(Incident._meta.db_table)
        with connection.cursor() as cursor:
            for _ in range(1000):
                cursor.execute(
                    f"SELECT n FROM (SELECT nextval('{KEY_SEQUENCE}') AS n) s"
                    f" WHERE NOT EXISTS (SELECT 1 FROM {table} WHERE key = 'INC-' || s.n)"
                )
                row = cursor.fetchone()
                if row is not None:
                    return f"INC-{row[0]}"
        raise ServiceError("no free incident key", reason="duplicate_key", status_code=409)
    numbers = [
        int(k.split("-", 1)[1])
        for k in Incident.objects.filter(key__regex=r"^INC-[0-9]+$")
        .values_list("key", flat=True)
        .order_by("-id")[:200]
    ]
    top = max(numbers, default=1000)
    latest = Incident.objects.aggregate(Max("id"))["id__max"] or 0
    return f"INC-{max(top, 1000 + latest) + 1}"


def _check(*, title: str, severity: str, status: str) -> None:
    if not title.strip():
        raise ServiceError("an incident needs a title", reason="invalid_title")
    if "\x00" in title:
        raise ServiceError("the title holds a NUL character", reason="invalid_title")
    if len(title) > 300:
        raise ServiceError("the title is longer than 300 characters", reason="invalid_title")
    if severity not in Severity.values():
        raise ServiceError(f"unknown severity {severity!r}", reason="invalid_severity")
    if status not in IncidentStatusChoices.values():
        raise ServiceError(f"unknown status {status!r}", reason="invalid_status")


def incident_create(
    *,
    actor: Any,
    title: str,
    severity: str = "SEV3",
    status: str = "triggered",
    services: list[str] | None = None,
    key: str | None = None,
    started_at: datetime | None = None,
    detected_at: datetime | None = None,
    mitigated_at: datetime | None = None,
    resolved_at: datetime | None = None,
    source: str = "manual",
    external_id: str | None = None,
    responders: list[dict[str, str]] | None = None,
    restricted: bool = False,
    members: list[Any] | None = None,
    created_at: datetime | None = None,
) -> Incident:
    """Record a new incident; its creator becomes a member so a restricted one stays theirs.

    A given key follows the one rule of `keys.py`: people's keys (the form, the API, an
    import) are refused when they break it, an alerting source's are normalised.
    """
    _require_author(actor)
    _check(title=title, severity=severity, status=status)
    services = [s.strip() for s in (services or []) if s.strip()]
    created = created_at or timezone.now()
    given = (key or "").strip()
    if given and source != "manual":
        # A key an alerting source derived is the source's, not a person's to correct.
        given = incident_key_normalise(given)
    if given and (problem := incident_key_problem(given)):
        raise ServiceError(problem, reason="invalid_key")
    # A key from the PostgreSQL sequence is free and nobody else's: nothing here is expected
    # to fail, so no savepoint is taken inside a caller's transaction (a failure is the
    # caller's to roll back). A given key, or max + 1 on SQLite, may be taken: a savepoint
    # lets a caller go on after the "already exists" refusal.
    sequenced = not given and connection.vendor == "postgresql"
    with transaction.atomic(savepoint=not sequenced):
        incident = _incident_insert(
            given=given,
            sequenced=sequenced,
            title=title.strip(),
            severity=severity,
            status=status,
            services=services,
            services_index=_services_index(services),
            started_at=started_at,
            detected_at=detected_at,
            mitigated_at=mitigated_at,
            resolved_at=resolved_at,
            source=source,
            external_id=external_id,
            responders=responders or [],
            restricted=restricted,
            created_by=actor,
            created_at=created,
        )
        incident.members.add(actor, *(members or []))
        if restricted:
            people = sorted({str(getattr(m, "username", m)) for m in (actor, *(members or []))})
            record(actor, AuditAction.MEMBER_ADD, incident, detail={"people": people})
    return incident


def _incident_insert(*, given: str, sequenced: bool, **values: Any) -> Incident:
    """Insert the incident under the given key or a generated one (taking the next if raced)."""
    for attempt in range(1 if given else 50):
        key = given or _next_key()
        due = review_due_date(severity=values["severity"], since=values["created_at"])
        if sequenced:
            return Incident.objects.create(key=key, postmortem_due=due, **values)
        if not Incident.objects.filter(key=key).exists():
            try:
                with transaction.atomic():
                    return Incident.objects.create(key=key, postmortem_due=due, **values)
            except IntegrityError:
                pass
        if given or attempt == 49:
            raise ServiceError(
                f"an incident {key} already exists", reason="duplicate_key", status_code=409
            )
        time.sleep(random.uniform(0, 0.005 * (attempt + 1)))
    raise AssertionError("unreachable")


def incident_update(*, incident: Incident, actor: Any, **changes: Any) -> Incident:
    """Change an incident's fields (title, severity, status, services, times, restricted).

    Only the fields named are written (with `updated_at`, and the services' index with the
    services): a concurrent change to another field is not overwritten with a stale value.
    """
    _require_author(actor)
    allowed = {
        "title",
        "severity",
        "status",
        "services",
        "started_at",
        "detected_at",
        "mitigated_at",
        "resolved_at",
        "restricted",
        "responders",
    }
    unknown = set(changes) - allowed
    if unknown:
        raise ServiceError(f"cannot change {sorted(unknown)[0]}", reason="invalid_field")
    # Lifting a restriction shows the incident to everyone: a facilitator's decision.
    lifting = incident.restricted and changes.get("restricted") is False
    if lifting and not actor.has_role(Role.FACILITATOR):
        raise NotAllowedError("only facilitators and admins can lift a restriction")
    was_restricted = incident.restricted
    for name, value in changes.items():
        setattr(incident, name, value)
    _check(title=incident.title, severity=incident.severity, status=incident.status)
    fields = {*changes, "updated_at"}
    if "services" in changes:
        incident.services = [s.strip() for s in incident.services if s.strip()]
        incident.services_index = _services_index(incident.services)
        fields.add("services_index")
    # One UPDATE (and what the save's receivers write): nothing to fall back to inside a
    # caller's transaction, so no savepoint; alone, it is its own transaction.
    with transaction.atomic(savepoint=False):
        incident.save(update_fields=sorted(fields))
        if bool(incident.restricted) != was_restricted:
            action = AuditAction.RESTRICT if incident.restricted else AuditAction.UNRESTRICT
            record(actor, action, incident)
    return incident


def incident_member_add(*, incident: Incident, actor: Any, user: Any) -> None:
    """Let one more person see a restricted incident."""
    _require_author(actor)
    incident.members.add(user)
    record(actor, AuditAction.MEMBER_ADD, incident, detail={"person": user.username})


def incident_member_remove(*, incident: Incident, actor: Any, user: Any) -> None:
    """Stop a person seeing a restricted incident (admins always see it)."""
    _require_author(actor)
    incident.members.remove(user)
    record(actor, AuditAction.MEMBER_REMOVE, incident, detail={"person": user.username})
