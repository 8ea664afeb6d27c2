"""Action item services: follow the postmortem's table, and close items through it."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from nofault.core import document
from nofault.web.actions.models import ActionItem
from nofault.web.api_errors import ServiceError
from nofault.web.choices import ActionStatusChoices

_CLOSED = ("done", "wont_do")


def action_items_sync(*, postmortem: Any, items: list[document.ActionItem], actor: Any) -> None:
    """Make the stored items match the table the core read, keeping who closed each and when."""
    existing = {a.key: a for a in ActionItem.objects.filter(postmortem=postmortem)}
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


def action_item_set_status(
    *, item: ActionItem, actor: Any, status: str, reason: str | None = None
) -> ActionItem:
    """Change an item's status in its postmortem's Markdown; closing records who and when."""
    from nofault.web.postmortems import services as postmortem_services

    if status not in ActionStatusChoices.values():
        raise ServiceError(f"unknown status {status!r}", reason="invalid_status")
    if status == "wont_do" and not (reason or "").strip():
        raise ServiceError("say why the item will not be done", reason="reason_required")
    postmortem_services.postmortem_action_status_set(
        postmortem=item.postmortem, actor=actor, key=item.key, status=status, reason=reason
    )
    item.refresh_from_db()
    return item


def action_item_close(*, item: ActionItem, actor: Any) -> ActionItem:
    """Mark an action item done, recording who closed it and when."""
    return action_item_set_status(item=item, actor=actor, status="done")
