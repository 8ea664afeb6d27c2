"""Action item queries, always limited to incidents the person may see."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.utils import timezone

from nofault.web.actions.models import ActionItem
from nofault.web.incidents.selectors import visible_incident_filter
from nofault.web.postmortems.models import Postmortem


def action_item_list_visible(
    *, user: Any, filters: dict[str, str] | None = None
) -> QuerySet[ActionItem]:
    """Action items of incidents the user may see, filtered by status, owner, due, overdue."""
    qs = ActionItem.objects.filter(
        visible_incident_filter(user, "postmortem__incident__")
    ).select_related("postmortem__incident", "closed_by")
    return _filtered(qs, filters)


def action_item_counts_visible(
    *, user: Any, statuses: list[str], filters: dict[str, str] | None = None, cap: int
) -> dict[str, int]:
    """How many visible items have each status, counting no further than `cap` + 1.

    The same items as `action_item_list_visible`, told apart the other way round: every
    item except those of postmortems the user may not see (restricted incidents they are
    no member of, a small set read once), so a count reads the status index and joins
    nothing per item.
    """
    if not getattr(user, "is_authenticated", False):
        return dict.fromkeys(statuses, 0)
    qs = _filtered(ActionItem.objects.order_by(), filters)
    visible = visible_incident_filter(user, "incident__")
    if visible:  # an empty Q (admins) hides nothing
        hidden = Postmortem.objects.exclude(visible).order_by().values_list("id", flat=True)
        if connection.vendor == "postgresql":
            # Read once, sent as one array parameter and hashed: not re-run for every count.
            qs = qs.exclude(postmortem_id__in=RawSQL("SELECT unnest(%s::bigint[])", [list(hidden)]))
        else:
            qs = qs.exclude(postmortem_id__in=hidden)
    return {status: qs.filter(status=status).values("id")[: cap + 1].count() for status in statuses}


def _filtered(qs: QuerySet[ActionItem], filters: dict[str, str] | None) -> QuerySet[ActionItem]:
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
