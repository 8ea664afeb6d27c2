"""Audit selectors: the events an admin's filters choose."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from nofault.web.accounts.models import User
from nofault.web.audit.models import AuditEvent


@dataclass(frozen=True)
class AuditFilter:
    """What to show: an actor's username, an action, a target type and a date range (inclusive)."""

    actor: str = ""
    action: str = ""
    target_type: str = ""
    since: date | None = None
    until: date | None = None


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_events(*, chosen: AuditFilter) -> QuerySet[AuditEvent]:
    """The events matching the filter, newest first."""
    events = AuditEvent.objects.all()
    if chosen.actor:
        # Usernames are unique whatever their case: the account's own spelling lets the
        # actor_name index answer (a case-blind match read every row: 300 ms at 200,000).
        known = User.objects.filter(username__iexact=chosen.actor)
        name = known.values_list("username", flat=True).first()
        events = events.filter(actor_name=name or chosen.actor)
    if chosen.action:
        events = events.filter(action=chosen.action)
    if chosen.target_type:
        events = events.filter(target_type=chosen.target_type)
    if chosen.since:
        events = events.filter(at__gte=_start_of(chosen.since))
    if chosen.until:
        events = events.filter(at__lt=_start_of(chosen.until + timedelta(days=1)))
    return events.order_by("-at", "-id")
