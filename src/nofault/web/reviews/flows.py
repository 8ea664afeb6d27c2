"""Follow-through: chase overdue reviews and action items, send the weekly digest, find
recurrences. `nofault remind` runs `remind` from cron; every run is safe to repeat.

Who is chased and when is `core.policy`'s decision (owner, then facilitator, then sponsor,
after the admins' delays); what was sent is kept in `ReminderSent`, so a second run right
after the first sends nothing new. A reminder that no channel delivered is not logged, so
the next run tries it again.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.mail import send_mail
from django.db.models import Max
from django.utils import timezone

from nofault.core.markdown import parse_text
from nofault.core.policy import (
    COVERED,
    Chaseable,
    ChaseKind,
    CoverageState,
    Digest,
    PriorAction,
    Reminder,
    digest_due,
    find_recurrences,
    reminders_due,
    weekly_digest,
)
from nofault.web.actions.models import ActionItem
from nofault.web.incidents.models import Incident
from nofault.web.integrations.config import base_url, notifier_settings
from nofault.web.integrations.notifiers import all_notifiers
from nofault.web.integrations.notifiers.base import Notification, NotificationFailed
from nofault.web.postmortems.models import Postmortem
from nofault.web.reviews.models import PolicySettings, Recurrence, ReminderSent
from nofault.web.reviews.selectors import escalation_policy, policy_settings, with_coverage

log = logging.getLogger(__name__)
SYSTEM_USERS = frozenset({"nofault-integrations"})
DIGEST_REF, DIGEST_LEVEL = "digest", "weekly"


@dataclass
class RemindReport:
    """What one run of `remind` did (or, in a dry run, would do)."""

    reminders: list[Reminder] = field(default_factory=list)
    digests: list[Digest] = field(default_factory=list)
    sent: int = 0
    failed: list[str] = field(default_factory=list)
    channels: list[str] = field(default_factory=list)
    deliveries_processed: int = 0
    deliveries_pruned: int = 0
    tracker_links_retried: int = 0
    recurrences: list[Recurrence] = field(default_factory=list)


def _day_end(day: date) -> datetime:
    """Return the instant a due day is over (a review due today is overdue tomorrow)."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def _link(path: str) -> str | None:
    root = base_url()
    return f"{root}{path}" if root else None


def chaseables(*, now: datetime, settings: PolicySettings) -> list[Chaseable]:
    """Return every owed review and open action item with a due date, with who to remind."""
    sponsor = settings.sponsor or None
    items: list[Chaseable] = []
    incidents = (
        with_coverage(
            Incident.objects.filter(postmortem_due__isnull=False), timezone.localdate(now)
        )
        .select_related("postmortem__created_by", "created_by")
        .order_by("postmortem_due", "id")
    )
    for incident in incidents:
        if CoverageState(incident.coverage) in COVERED:
            continue
        pm = getattr(incident, "postmortem", None)
        owner = pm.created_by if pm is not None and pm.created_by else incident.created_by
        owner_name = owner.username if owner and owner.username not in SYSTEM_USERS else None
        if owner_name is None and incident.responders:
            owner_name = str(incident.responders[0].get("name") or "") or None
        items.append(
            Chaseable(
                kind=ChaseKind.REVIEW,
                ref=f"review:{incident.key}",
                title=f"{incident.key} {incident.title}: the {incident.severity} review",
                due_at=_day_end(incident.postmortem_due),
                owner=owner_name,
                facilitator=(pm.facilitator if pm is not None else "") or None,
                sponsor=sponsor,
                link=_link(f"/incidents/{incident.key}/"),
            )
        )
    open_items = ActionItem.objects.filter(
        status__in=["open", "in_progress"], due__isnull=False
    ).select_related("postmortem__incident")
    for item in open_items:
        incident = item.postmortem.incident
        items.append(
            Chaseable(
                kind=ChaseKind.ACTION_ITEM,
                ref=f"action:{item.pk}",
                title=f"{incident.key} {item.key}: {item.text}",
                due_at=_day_end(item.due),
                owner=item.person or item.owner or None,
                facilitator=item.postmortem.facilitator or None,
                sponsor=sponsor,
                link=_link(f"/integrations/action-items/{item.pk}/tracker/"),
            )
        )
    return items


def _last_sent() -> dict[tuple[str, str, str], datetime]:
    rows = ReminderSent.objects.values("ref", "level", "recipient").annotate(at=Max("sent_at"))
    return {(r["ref"], r["level"], r["recipient"]): r["at"] for r in rows}


def _clients() -> dict[str, Any]:
    clients: dict[str, Any] = {}
    for name, notifier in all_notifiers().items():
        settings = notifier_settings(name)
        if settings is not None:
            clients[name] = notifier.connect(settings, mailer=send_mail)
    return clients


def _email_of(person: str) -> str | None:
    if "@" in person:
        return person
    from django.contrib.auth import get_user_model

    email = get_user_model().objects.filter(username=person).values_list("email", flat=True).first()
    return email or None


def _send(clients: dict[str, Any], person: str, message: Notification) -> list[str]:
    """Send one message by every channel that can reach the person; return those that did."""
    done: list[str] = []
    for name, client in clients.items():
        if name == "email":
            address = _email_of(person)
            if address is None:
                continue
            outgoing = Notification(
                address, message.subject, message.text, message.link, message.items, message.kind
            )
        else:
            # Slack posts to the configured channel and names the person in the text.
            outgoing = Notification(
                "",
                message.subject,
                f"@{person}: {message.text}",
                message.link,
                message.items,
                message.kind,
            )
        try:
            client.send(outgoing)
            done.append(name)
        except NotificationFailed as exc:
            log.warning("%s reminder to %s failed: %s", name, person, exc)
    return done


def _reminder_message(reminder: Reminder) -> Notification:
    days = reminder.overdue_by.days
    what = "review" if reminder.kind is ChaseKind.REVIEW else "action item"
    late = f"{days} day(s) overdue" if days else "overdue since today"
    escalated = (
        "" if reminder.level.value == "owner" else f" (escalated to you as {reminder.level})"
    )
    return Notification(
        recipient=reminder.recipient,
        subject=f"Overdue {what}: {reminder.title}"[:200],
        text=f"{reminder.title} was due {reminder.due_at:%Y-%m-%d} and is {late}{escalated}.",
        link=reminder.link,
        kind="reminder" if reminder.level.value == "owner" else "escalation",
    )


def _digest_message(digest: Digest) -> Notification:
    lines = [f"overdue since {i.due_at:%Y-%m-%d}: {i.title}" for i in digest.overdue]
    lines += [f"due {i.due_at:%Y-%m-%d}: {i.title}" for i in digest.due_soon]
    return Notification(
        recipient=digest.recipient,
        subject=f"Weekly follow-through: {len(digest.overdue)} overdue, "
        f"{len(digest.due_soon)} due this week",
        text="Reviews and action items you own or oversee.",
        items=tuple(lines),
        link=_link("/reviews/"),
        kind="digest",
    )


def remind(*, now: datetime | None = None, dry_run: bool = False) -> RemindReport:
    """Chase what is overdue, send the digest, apply pending deliveries, find recurrences."""
    from nofault.web.integrations.flows import tracker_links_retry_pending
    from nofault.web.integrations.services import deliveries_prune, delivery_process_pending

    now = now or timezone.now()
    report = RemindReport()
    if not dry_run:
        report.deliveries_processed = delivery_process_pending()
        report.deliveries_pruned = sum(deliveries_prune())  # past the retention setting
        report.tracker_links_retried = tracker_links_retry_pending()
        report.recurrences = recurrences_find(now=now)
    settings = policy_settings()
    items = chaseables(now=now, settings=settings)
    sent_log = _last_sent()
    report.reminders = reminders_due(
        items, now=now, policy=escalation_policy(settings), last_sent=sent_log.get
    )
    report.digests = [
        d
        for d in weekly_digest(items, now=now)
        if digest_due(
            sent_log.get((DIGEST_REF, DIGEST_LEVEL, d.recipient)),
            now,
            weekday=settings.digest_weekday,
        )
    ]
    if dry_run:
        return report
    clients = _clients()
    report.channels = sorted(clients)
    outgoing = [
        (r.kind.value, r.ref, r.level.value, r.recipient, _reminder_message(r))
        for r in report.reminders
    ]
    outgoing += [
        ("digest", DIGEST_REF, DIGEST_LEVEL, d.recipient, _digest_message(d))
        for d in report.digests
    ]
    for kind, ref, level, recipient, message in outgoing:
        channels = _send(clients, recipient, message)
        if channels:
            ReminderSent.objects.create(
                kind=kind, ref=ref, level=level, recipient=recipient, channels=channels, sent_at=now
            )
            report.sent += 1
        else:
            report.failed.append(f"{ref} to {recipient}")
    return report


# --- recurrence ------------------------------------------------------------------------


def _factor_categories(
    pm: Postmortem, cache: dict[tuple[int, int], dict[str, str]]
) -> dict[str, str]:
    """Return {factor id: category} of a postmortem's contributing factors (parsed once)."""
    key = (pm.pk, pm.revision)
    if key not in cache:
        doc = parse_text(pm.source).postmortem
        cache[key] = {
            f.id: str(f.category.value) for f in doc.contributing_factors if f.category is not None
        }
    return cache[key]


def _services(pm: Postmortem) -> frozenset[str]:
    return frozenset(s.lower() for s in [*(pm.services or []), *(pm.incident.services or [])])


def recurrences_find(*, now: datetime | None = None) -> list[Recurrence]:
    """Link each recent postmortem back to earlier action items its incident recurred on."""
    now = now or timezone.now()
    window = timedelta(days=policy_settings().recurrence_window_days)
    cache: dict[tuple[int, int], dict[str, str]] = {}
    recent = list(
        Postmortem.objects.filter(updated_at__gte=now - window).select_related("incident")
    )
    if not recent:
        return []
    horizon = now - window - timedelta(days=365)
    prior_items = list(
        ActionItem.objects.filter(postmortem__incident__created_at__gte=horizon)
        .select_related("postmortem__incident")
        .order_by("id")
    )
    found: list[Recurrence] = []
    for pm in recent:
        incident = pm.incident
        occurred = incident.started_at or incident.created_at
        categories = set(_factor_categories(pm, cache).values())
        if not categories:
            continue
        prior = list(_prior_actions(prior_items, pm, occurred, cache))
        for hit in find_recurrences(
            services=_services(pm),
            categories=categories,
            occurred_at=occurred,
            prior=prior,
            closed_within=window,
        ):
            link, created = Recurrence.objects.get_or_create(
                action_item_id=int(hit.action_ref),
                postmortem=pm,
                defaults={
                    "services": list(hit.services),
                    "categories": list(hit.categories),
                    "action_was_open": hit.action_was_open,
                },
            )
            if created:
                found.append(link)
    return found


def _prior_actions(
    items: Iterable[ActionItem],
    pm: Postmortem,
    occurred: datetime,
    cache: dict[tuple[int, int], dict[str, str]],
) -> Iterable[PriorAction]:
    from nofault.core.document import ActionStatus

    for item in items:
        earlier = item.postmortem.incident
        if item.postmortem_id == pm.pk or (earlier.started_at or earlier.created_at) >= occurred:
            continue
        factors = _factor_categories(item.postmortem, cache)
        linked = {factors[f] for f in item.factors if f in factors} or set(factors.values())
        if not linked:
            continue
        yield PriorAction(
            ref=str(item.pk),
            postmortem_ref=str(item.postmortem_id),
            services=_services(item.postmortem),
            categories=frozenset(linked),
            status=ActionStatus(item.status),
            closed_at=item.closed_at,
        )


def action_item_recurred(*, item: ActionItem) -> bool:
    """Tell whether a later incident hit what this action item was meant to prevent."""
    return Recurrence.objects.filter(action_item=item).exists()
