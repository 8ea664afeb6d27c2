"""Action item queries, always limited to incidents the person may see."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from nofault.web.actions.models import ActionItem
from nofault.web.incidents.selectors import visible_incident_filter


def action_item_list_visible(
    *, user: Any, filters: dict[str, str] | None = None
) -> QuerySet[ActionItem]:
    """Action items of incidents the user may see, filtered by status, owner, due, overdue."""
    qs = ActionItem.objects.filter(
        visible_incident_filter(user, "postmortem__incident__")
    ).select_related("postmortem__incident", "closed_by")
    f = {k: str(v).replace("\x00", "") for k, v in (filters or {}).items()}
    if f.get("status"):
        qs = qs.filter(status=f["status"])
    if f.get("owner"):
        qs = qs.filter(owner__icontains=f["owner"])
    if f.get("due_before"):
        qs = qs.filter(due__lte=f["due_before"])
    if f.get("overdue") == "yes":
        qs = qs.filter(status__in=["open", "in_progress"], due__lt=timezone.localdate())
    if f.get("postmortem"):
        qs = qs.filter(postmortem_id=f["postmortem"])
    return qs


def action_item_get_visible(*, user: Any, pk: int) -> ActionItem:
    """One visible action item, or 404."""
    item = action_item_list_visible(user=user).filter(pk=pk).first()
    if item is None:
        raise Http404("no such action item")
    return item
