"""Review services: change the policy (admins), map services to teams, waive a review."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from nofault.core.document import ReviewLevel
from nofault.core.policy import PolicyError
from nofault.web.api_errors import NotAllowedError, ServiceError
from nofault.web.choices import Role, Severity
from nofault.web.incidents.models import Incident
from nofault.web.reviews.models import PolicySettings, ServiceTeam, Waiver
from nofault.web.reviews.selectors import policy_settings, review_policy


def review_due_date(
    *, severity: str, since: datetime, stamp: tuple[Any, ...] | None = None
) -> date:
    """Return the day an incident of this severity, recorded at `since`, owes its review by.

    `stamp`: the policy's stamp, when the caller read it already (`policy_stamp_sql`).
    """
    return review_policy(stamp=stamp).requirement(severity, since).due_at.date()


def _require_admin(actor: Any) -> None:
    if not actor.has_role(Role.ADMIN):
        raise NotAllowedError("only admins can change the review policy")


@transaction.atomic
def review_policy_update(
    *,
    actor: Any,
    severities: dict[str, dict[str, Any]] | None = None,
    **escalation: Any,
) -> PolicySettings:
    """Store the admins' per-severity changes (only what differs from the guide) and delays."""
    _require_admin(actor)
    settings = policy_settings()
    if severities is not None:
        guide = review_policy(PolicySettings())
        overrides: dict[str, dict[str, Any]] = {}
        for name, change in severities.items():
            if name not in Severity.values():
                raise ServiceError(f"unknown severity {name!r}", reason="invalid_severity")
            level, due = str(change.get("level", "")), change.get("due_days")
            if level not in {lvl.value for lvl in ReviewLevel}:
                raise ServiceError(f"{name}: level is full or light", reason="invalid_level")
            if not isinstance(due, int) or not 1 <= due <= 365:
                raise ServiceError(f"{name}: due days are 1 to 365", reason="invalid_due_days")
            wanted = {"level": level, "due_days": due, "waivable": bool(change.get("waivable"))}
            base = guide.rule(name)
            current = {"level": base.level.value, "due_days": base.due_days,
                       "waivable": base.waivable}  # fmt: skip
            if wanted != current:
                overrides[name] = wanted
        settings.overrides = overrides
    allowed = {"facilitator_after_days", "sponsor_after_days", "repeat_every_hours",
               "digest_weekday", "recurrence_window_days", "sponsor"}  # fmt: skip
    unknown = set(escalation) - allowed
    if unknown:
        raise ServiceError(f"cannot change {sorted(unknown)[0]}", reason="invalid_field")
    for name, value in escalation.items():
        setattr(settings, name, value)
    if settings.sponsor_after_days < settings.facilitator_after_days:
        raise ServiceError(
            "the sponsor is reminded after the facilitator, not before", reason="invalid_delays"
        )
    if not 0 <= settings.digest_weekday <= 6:
        raise ServiceError("the digest weekday is 0 (Monday) to 6", reason="invalid_weekday")
    settings.updated_by, settings.updated_at = actor, timezone.now()
    settings.save()
    return settings


@transaction.atomic
def service_teams_set(*, actor: Any, mapping: dict[str, str]) -> None:
    """Replace the service → team map coverage is read by team with."""
    _require_admin(actor)
    ServiceTeam.objects.all().delete()
    ServiceTeam.objects.bulk_create(
        ServiceTeam(service=s.strip().lower()[:200], team=t.strip()[:200])
        for s, t in mapping.items()
        if s.strip() and t.strip()
    )


def review_waive(*, incident: Incident, actor: Any, role: str, reason: str) -> Waiver:
    """Waive an incident's review: a facilitator records who decided, in which role, and why."""
    if not actor.has_role(Role.FACILITATOR):
        raise NotAllowedError("only facilitators and admins record waivers")
    pm = getattr(incident, "postmortem", None)
    if pm is not None and pm.status == "published":
        raise ServiceError("the review is already published", reason="already_published")
    try:
        review_policy().check_waiver(
            severity=incident.severity, reason=reason, role=role, person=actor.username
        )
    except PolicyError as exc:
        raise ServiceError(str(exc), reason="waiver_refused") from None
    try:
        return Waiver.objects.create(
            incident=incident,
            reason=reason.strip(),
            role=role,
            decided_by=actor,
            decided_by_name=actor.display_name[:150],
        )
    except IntegrityError:
        raise ServiceError(
            f"{incident.key}'s review is already waived", reason="already_waived", status_code=409
        ) from None


def review_waiver_withdraw(*, incident: Incident, actor: Any) -> None:
    """Withdraw a waiver: the incident owes its review again."""
    if not actor.has_role(Role.FACILITATOR):
        raise NotAllowedError("only facilitators and admins withdraw waivers")
    Waiver.objects.filter(incident=incident).delete()
