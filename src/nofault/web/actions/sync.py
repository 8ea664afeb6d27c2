"""The stored action items follow the table of their postmortem's Markdown.

Postmortem saves call this; it reads nothing from postmortems, so the two apps' services do
not import each other (status changes go the other way: `actions.services` edits the
postmortem's Markdown through `postmortems.services`).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from nofault.core import document
from nofault.web.actions.models import ActionItem

_CLOSED = ("done", "wont_do")


def action_items_sync(*, postmortem: Any, items: list[document.ActionItem], actor: Any) -> None:
    """Make the stored items match the table the core read, keeping who closed each and when."""
    existing = {a.key: a for a in ActionItem.objects.filter(postmortem=postmortem)}
    assigned: list[tuple[str, str]] = []  # (item key, person) newly given an item
    seen: set[str] = set()
    now = timezone.now()
    for position, item in enumerate(items):
        if item.id in seen:
            continue  # a duplicated id is a lint finding; the first row wins here
        seen.add(item.id)
        values = {
            "text": item.text,
            "type": item.type.value if item.type else "",
            "owner": (item.owner or "")[:200],
            "person": (item.person or "")[:200],
            "due": item.due,
            "status": item.status.value,
            "reason": (item.reason or "")[:500],
            "tracker": (item.tracker or "")[:500],
            "factors": list(item.factors),
            "position": position,
        }
        row = existing.get(item.id)
        closing = item.status.value in _CLOSED
        if values["person"] and not closing and (row is None or row.person != values["person"]):
            assigned.append((item.id[:64], str(values["person"])))
        if row is None:
            ActionItem.objects.create(
                postmortem=postmortem,
                key=item.id[:64],
                closed_by=actor if closing else None,
                closed_at=now if closing else None,
                **values,
            )
            continue
        changed = [k for k, v in values.items() if getattr(row, k) != v]
        for name in changed:
            setattr(row, name, values[name])
        if closing and row.closed_at is None:
            row.closed_by, row.closed_at = actor, now
            changed += ["closed_by", "closed_at"]
        elif not closing and row.closed_at is not None:
            row.closed_by, row.closed_at = None, None
            changed += ["closed_by", "closed_at"]
        if changed:
            row.save(update_fields=changed)
    gone = set(existing) - seen
    if gone:
        ActionItem.objects.filter(postmortem=postmortem, key__in=gone).delete()
    if assigned:
        _assigned_notify(postmortem, actor, assigned)


def _assigned_notify(postmortem: Any, actor: Any, assigned: list[tuple[str, str]]) -> None:
    from nofault.web.notifications import services as notify

    people = {u.username: u for u in notify.users_named([person for _, person in assigned])}
    for key, person in assigned:
        if person in people:
            notify.review_event_notify(
                event="assigned",
                event_key=f"assigned:{postmortem.pk}:{key}:{person}",
                postmortem=postmortem,
                actor=actor,
                recipients=[people[person]],
                note=f"Action item {key} is yours.",
            )
