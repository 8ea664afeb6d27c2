"""Action item queries, always limited to incidents the person may see."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from nofault.web.actions.models import ActionItem
from nofault.web.incidents.models import Incident
from nofault.web.incidents.selectors import team_filter, visible_incident_filter


def action_item_list_visible(
    *, user: Any, filters: dict[str, str] | None = None
) -> QuerySet[ActionItem]:
    """Action items of incidents the user may see, filtered by status, owner, due, overdue."""
    qs = ActionItem.objects.filter(
        visible_incident_filter(user, "postmortem__incident__")
    ).select_related("postmortem__incident", "closed_by")
    return _filtered(qs, filters)


# What a card or a row of the list shows: only these columns are read.
CARD_FIELDS = (
    "id", "key", "text", "owner", "due", "status", "closed_at", "postmortem_id",
    "postmortem__incident__key", "closed_by__username",
)  # fmt: skip


def action_item_cards_visible(
    *, user: Any, statuses: list[str], filters: dict[str, str] | None = None, limit: int
) -> dict[str, list[dict[str, Any]]]:
    """The first `limit` visible items of each status in board order, as CARD_FIELDS rows."""
    qs = action_item_list_visible(user=user, filters=filters).order_by("due", "id")
    return {
        status: list(qs.filter(status=status).values(*CARD_FIELDS)[:limit]) for status in statuses
    }


def action_item_counts_visible(
    *, user: Any, statuses: list[str], filters: dict[str, str] | None = None, cap: int
) -> dict[str, int]:
    """How many visible items have each status, counting no further than `cap` + 1.

    The same items as `action_item_list_visible`, told apart the other way round: every
    item except those of the few postmortems the person may not see. Through the access
    join, PostgreSQL hashed all 100,000 postmortems for each count (120-180 ms a status,
    300,000 items); this way a count reads the (status, postmortem) index and stops at the
    cap (benchmarks/web_load.py, the action board).
    """
    if not getattr(user, "is_authenticated", False):
        return dict.fromkeys(statuses, 0)
    qs = _filtered(ActionItem.objects.order_by(), filters)
    hidden = _hidden_postmortems(user)
    if hidden is not None:
        qs = qs.exclude(postmortem_id__in=hidden)
    return {status: qs.filter(status=status).values("id")[: cap + 1].count() for status in statuses}


def _hidden_postmortems(user: Any) -> QuerySet[Incident, dict[str, Any]] | None:
    """The ids of postmortems a signed-in person may not see (restricted incidents they are
    no member of: the complement of `visible_incident_filter`); None when they see them all."""
    if not visible_incident_filter(user, "incident__"):  # an empty Q (admins) hides nothing
        return None
    member_of = Incident.members.through.objects.filter(user_id=user.pk).values("incident_id")
    return (
        Incident.objects.filter(restricted=True, postmortem__isnull=False)
        .exclude(pk__in=member_of)
        .order_by()
        .values("postmortem__id")
    )


def action_item_board_visible(
    *, user: Any, statuses: list[str], filters: dict[str, str] | None = None, limit: int, cap: int
) -> tuple[dict[str, list[dict[str, Any]]], dict[str, int]]:
    """The board's columns: `action_item_cards_visible` and the counts of the full ones
    (`action_item_counts_visible`; a column with fewer cards than `limit` is its count)."""
    cards = action_item_cards_visible(user=user, statuses=statuses, filters=filters, limit=limit)
    full = [status for status, items in cards.items() if len(items) == limit]
    counts = {status: len(items) for status, items in cards.items()}
    counts.update(action_item_counts_visible(user=user, statuses=full, filters=filters, cap=cap))
    return cards, counts


def _filtered(qs: QuerySet[ActionItem], filters: dict[str, str] | None) -> QuerySet[ActionItem]:
    f = {k: str(v).replace("\x00", "") for k, v in (filters or {}).items()}
    if f.get("status"):
        qs = qs.filter(status=f["status"])
    if f.get("owner"):
        qs = qs.filter(owner__icontains=f["owner"])
    if f.get("team"):
        qs = qs.filter(team_filter(f["team"], "postmortem__incident__"))
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
