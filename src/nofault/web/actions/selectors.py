"""Action item queries, always limited to incidents the person may see."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.utils import timezone

from nofault.web.actions.models import ActionItem
from nofault.web.incidents.models import Incident
from nofault.web.incidents.selectors import built_once, fetch_built, visible_incident_filter


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
    """The first `limit` visible items of each status in board order, as CARD_FIELDS rows.

    On PostgreSQL one statement: the column query is built once, for the status of a
    VALUES row, and run for each status by a LATERAL join (building the access filter's
    query four times cost more than running it).
    """
    cards: dict[str, list[dict[str, Any]]] = {status: [] for status in statuses}
    if not statuses:
        return cards
    if connection.vendor != "postgresql":
        qs = action_item_list_visible(user=user, filters=filters).order_by("due", "id")
        for status in statuses:
            cards[status] = list(qs.filter(status=status).values(*CARD_FIELDS)[:limit])
        return cards

    def build(someone: Any) -> tuple[str, list[Any]]:
        column_sql, column_params = _column_sql(someone, filters, limit)
        values = ", ".join(["(%s)"] * len(statuses))
        return (
            f'SELECT "nofault_card".* FROM (VALUES {values}) AS "nofault_column" ("status") '
            f'CROSS JOIN LATERAL ({column_sql}) AS "nofault_card"',
            [*statuses, *column_params],
        )

    sql, params = built_once(user, ("cards", tuple(statuses), limit), filters, build)
    for row in fetch_built(sql, params)[1]:
        item = dict(zip(CARD_FIELDS, row, strict=True))
        cards[item["status"]].append(item)
    return cards


def action_item_counts_visible(
    *, user: Any, statuses: list[str], filters: dict[str, str] | None = None, cap: int
) -> dict[str, int]:
    """How many visible items have each status, counting no further than `cap` + 1.

    The same items as `action_item_list_visible`, told apart the other way round: every
    item except those of postmortems the user may not see (restricted incidents they are
    no member of, a small set), so a count reads the status index and joins no incident
    per item.
    """
    if not getattr(user, "is_authenticated", False):
        return dict.fromkeys(statuses, 0)
    if not statuses:
        return {}
    if connection.vendor != "postgresql":
        qs = _filtered(ActionItem.objects.order_by(), filters)
        hidden = _hidden_postmortems(user)
        if hidden is not None:  # an empty Q (admins) hides nothing
            qs = qs.exclude(postmortem_id__in=list(hidden.values_list("postmortem__id", flat=True)))
        return {s: qs.filter(status=s).values("id")[: cap + 1].count() for s in statuses}

    # One statement: each status (a VALUES row) counted off its (status, postmortem) index up
    # to the cap, hidden postmortems' items left out (`_count_sql`).
    def build(someone: Any) -> tuple[str, list[Any]]:
        part_sql, part_params = _count_sql(someone, filters, cap)
        values = ", ".join(["(%s)"] * len(statuses))
        return (
            f'SELECT "nofault_column"."status", (SELECT COUNT(*) FROM ({part_sql}) AS "t") '
            f'FROM (VALUES {values}) AS "nofault_column" ("status")',
            [*part_params, *statuses],  # in the order they appear
        )

    sql, params = built_once(user, ("counts", tuple(statuses), cap), filters, build)
    return {status: int(count) for status, count in fetch_built(sql, params)[1]}


def action_item_board_visible(
    *, user: Any, statuses: list[str], filters: dict[str, str] | None = None, limit: int, cap: int
) -> tuple[dict[str, list[dict[str, Any]]], dict[str, int]]:
    """The board's columns: `action_item_cards_visible` and the columns' counts
    (`action_item_counts_visible`; only full columns elsewhere than PostgreSQL).

    On PostgreSQL one statement: for each status (a VALUES row) its capped count and its
    first cards, each a LATERAL subquery built once (a statement less a request).
    """
    if connection.vendor != "postgresql" or not statuses:
        firsts = action_item_cards_visible(
            user=user, statuses=statuses, filters=filters, limit=limit
        )
        full = [status for status, items in firsts.items() if len(items) == limit]
        return firsts, action_item_counts_visible(
            user=user, statuses=full, filters=filters, cap=cap
        )
    if not getattr(user, "is_authenticated", False):
        return {status: [] for status in statuses}, dict.fromkeys(statuses, 0)

    def build(someone: Any) -> tuple[str, list[Any]]:
        part_sql, part_params = _count_sql(someone, filters, cap)
        column_sql, column_params = _column_sql(someone, filters, limit)
        values = ", ".join(["(%s)"] * len(statuses))
        return (
            'SELECT "nofault_column"."status", "nofault_count"."n", "nofault_card".* '
            f'FROM (VALUES {values}) AS "nofault_column" ("status") '
            f'CROSS JOIN LATERAL (SELECT COUNT(*) AS "n" FROM ({part_sql}) AS "t") '
            'AS "nofault_count" '
            f'LEFT JOIN LATERAL ({column_sql}) AS "nofault_card" ON TRUE',
            [*statuses, *part_params, *column_params],  # in the order they appear
        )

    sql, params = built_once(user, ("board", tuple(statuses), limit, cap), filters, build)
    cards: dict[str, list[dict[str, Any]]] = {status: [] for status in statuses}
    counts: dict[str, int] = {}
    for status, count, *row in fetch_built(sql, params)[1]:
        counts[status] = int(count)
        if row[0] is not None:  # an empty column's one row has no card
            cards[status].append(dict(zip(CARD_FIELDS, row, strict=True)))
    return cards, counts


def _column_sql(someone: Any, filters: dict[str, str] | None, limit: int) -> tuple[str, Any]:
    """A column's first cards, for the status of the VALUES row "nofault_column"."""
    column = (
        action_item_list_visible(user=someone, filters=filters)
        .order_by("due", "id")
        .filter(status=RawSQL('"nofault_column"."status"', []))
        .values(*CARD_FIELDS)
    )
    return column[:limit].query.sql_with_params()


def _count_sql(someone: Any, filters: dict[str, str] | None, cap: int) -> tuple[str, Any]:
    """A column's visible items up to `cap` + 1 (ids only), for the status of the VALUES
    row "nofault_column", on PostgreSQL: every item but those of hidden postmortems,
    restricted ones (the flag the database copies from the incident, postmortems migration
    0004, read off a partial index of the few of them in id order, so the two indexes
    merge) of incidents the person is no member of."""
    qs = _filtered(ActionItem.objects.order_by(), filters)
    if visible_incident_filter(someone, "postmortem__incident__"):  # admins: nothing hidden
        qs = qs.filter(RawSQL(_NOT_HIDDEN, [someone.pk], output_field=BooleanField()))
    part = qs.filter(status=RawSQL('"nofault_column"."status"', [])).values("id")[: cap + 1]
    return part.query.sql_with_params()


# An action item whose postmortem the person (%s: their id) may see, on PostgreSQL.
_NOT_HIDDEN = (
    'NOT EXISTS (SELECT 1 FROM "postmortems_postmortem" AS "nofault_hidden" '
    'WHERE "nofault_hidden"."id" = "actions_actionitem"."postmortem_id" '
    'AND "nofault_hidden"."restricted" AND NOT EXISTS (SELECT 1 FROM '
    '"incidents_incident_members" AS "nofault_member" WHERE '
    '"nofault_member"."incident_id" = "nofault_hidden"."incident_id" '
    'AND "nofault_member"."user_id" = %s))'
)


def _hidden_postmortems(user: Any) -> QuerySet[Incident, dict[str, Any]] | None:
    """The ids of postmortems a signed-in person may not see; None when they see them all.

    The complement of `visible_incident_filter` (restricted incidents they are no member
    of), written so the database reads the few restricted incidents off their index and
    hashes the person's memberships once instead of probing them for each postmortem.
    """
    if not visible_incident_filter(user, "incident__"):  # an empty Q (admins) hides nothing
        return None
    member_of = Incident.members.through.objects.filter(user_id=user.pk).values("incident_id")
    return (
        Incident.objects.filter(restricted=True, postmortem__isnull=False)
        .exclude(pk__in=member_of)
        .order_by()
        .values("postmortem__id")
    )


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
