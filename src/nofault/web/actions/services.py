"""Action item services: an item's status changes in its postmortem's Markdown."""

from __future__ import annotations

from typing import Any

from nofault.web.actions.models import ActionItem
from nofault.web.api_errors import ServiceError
from nofault.web.choices import ActionStatusChoices
from nofault.web.postmortems import services as postmortem_services


def action_item_set_status(
    *, item: ActionItem, actor: Any, status: str, reason: str | None = None
) -> ActionItem:
    """Change an item's status in its postmortem's Markdown; closing records who and when."""
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
