"""Action items falling overdue: their owner hears once per item and due date.

The worker's scheduler runs `action_items_overdue_notify` (task `actions.overdue_notify`)
every fifteen minutes. An item open or in progress whose due date has passed tells its person
(else its owner, when that names someone) and, if they keep the preference on, its
postmortem's facilitator, through the notification pipeline: one send task per item, due
date, recipient and channel, keyed by them. So a run retried, two runs side by side, or a run
after the item was marked as told send nothing twice; a new due date is a new overdue period
and is told again. The item keeps the due date it was told of (`overdue_told_for`), so a run
reads only the items not yet told. Items overdue for longer than `WINDOW` when first seen
(those of before this existed) are left to the reminders and the weekly digest.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import F, Q
from django.utils import timezone

from nofault.web.actions.models import ActionItem
from nofault.web.choices import ActionStatusChoices
from nofault.web.notifications import services as notify

WINDOW = timedelta(days=30)
BATCH = 500


def _note(item: ActionItem, today: date) -> str:
    days = (today - item.due).days if item.due else 0
    late = f"{days} day{'s' if days != 1 else ''} overdue"
    return f"Action item {item.key} was due {item.due}: {item.text[:300]} ({late})."


def _recipients(item: ActionItem) -> list[object]:
    names = [item.person or item.owner]
    people = {u.username: u for u in notify.users_named([n for n in names if n])}
    owner = people.get(names[0])
    chosen: list[object] = [owner] if owner is not None else []
    facilitator = item.postmortem.facilitator
    if facilitator:
        for user in notify.users_named([facilitator]):
            if notify.preference(user).overdue_as_facilitator:
                chosen.append(user)
    return chosen


def action_items_overdue_notify(*, today: date | None = None) -> int:
    """Tell the people of each item that fell overdue and was not told yet; return how many."""
    today = today or timezone.localdate()
    pending = (
        ActionItem.objects.filter(
            status__in=ActionStatusChoices.OPEN_VALUES, due__lt=today, due__gte=today - WINDOW
        )
        .filter(Q(overdue_told_for__isnull=True) | ~Q(overdue_told_for=F("due")))
        .select_related("postmortem")
        .order_by("due", "pk")
    )
    told = 0
    while batch := list(pending[:BATCH]):
        for item in batch:
            # Sends first, mark after: a run stopped in between queues the same keys again,
            # which adds nothing, where the other order could lose the message.
            notify.review_event_notify(
                event="overdue",
                event_key=f"overdue:{item.pk}:{item.due}",
                postmortem=item.postmortem,
                actor=None,
                recipients=_recipients(item),
                note=_note(item, today),
            )
            ActionItem.objects.filter(pk=item.pk).update(overdue_told_for=item.due)
            told += 1
    return told
