"""Incident queries; every one goes through `incident_list_visible` so access is one rule."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from nofault.web.incidents.models import Incident


def visible_incident_filter(user: Any, prefix: str = "") -> Q:
    """A Q that keeps only incidents the user may see (restricted: members and admins)."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    if getattr(user, "is_org_admin", False):
        return Q()
    membership = Incident.members.through.objects.filter(
        incident_id=OuterRef(f"{prefix}pk" if not prefix else f"{prefix}id"), user_id=user.pk
    )
    return Q(**{f"{prefix}restricted": False}) | Q(Exists(membership))


def incident_list_visible(
    *, user: Any, filters: dict[str, str] | None = None
) -> QuerySet[Incident]:
    """Incidents the user may see, filtered by severity, status, service, postmortem, overdue."""
    qs = Incident.objects.filter(visible_incident_filter(user)).select_related("postmortem")
    f = {k: str(v).replace("\x00", "") for k, v in (filters or {}).items()}
    if f.get("severity"):
        qs = qs.filter(severity=f["severity"])
    if f.get("status"):
        qs = qs.filter(status=f["status"])
    if f.get("service"):
        qs = qs.filter(services_index__contains=f",{f['service'].strip().lower()},")
    if f.get("has_postmortem") in ("yes", "no"):
        qs = qs.filter(postmortem__isnull=f["has_postmortem"] == "no")
    if f.get("overdue") == "yes":
        qs = qs.filter(postmortem_due__lt=timezone.localdate()).exclude(
            postmortem__status="published"
        )
    if f.get("q"):
        qs = qs.filter(Q(title__icontains=f["q"]) | Q(key__icontains=f["q"]))
    return qs


# Building a page's statements through the ORM (the access filter's subqueries) cost more
# than running them. They depend on the person only through their id and whether they are
# an admin, so each is built once for a stand-in (a marker id no one has) and kept; a
# request swaps its own id in for the marker.
_USER_MARK = -7_301_947_113
_ID_MARKS = (-7_301_947_114, -7_301_947_115, -7_301_947_116)
_BUILT: dict[tuple[Any, ...], tuple[str, tuple[Any, ...]]] = {}
_BUILT_MAX = 512


@dataclass(frozen=True)
class _StandIn:
    pk: int
    is_org_admin: bool
    is_authenticated: bool = True


def built_once(
    user: Any,
    shape: tuple[Any, ...],
    filters: dict[str, str] | None,
    build: Callable[..., tuple[str, list[Any]]],
    ids: tuple[int, ...] = (),
) -> tuple[str, list[Any]]:
    """The statement `build` makes for `user` (and `ids`, passed on to it), built once per
    shape, filters and day for stand-ins and kept."""
    items = tuple(sorted((filters or {}).items()))
    marks = _ID_MARKS[: len(ids)]
    if not getattr(user, "is_authenticated", False) or any(
        str(mark) in str(v) for _, v in items for mark in (_USER_MARK, *marks)
    ):  # never mistake a filter for a mark
        return build(user, *ids)
    admin = bool(getattr(user, "is_org_admin", False))
    key = (shape, items, admin, len(ids), timezone.localdate())
    built = _BUILT.get(key)
    if built is None:
        sql, params = build(_StandIn(pk=_USER_MARK, is_org_admin=admin), *marks)
        if len(_BUILT) >= _BUILT_MAX:
            _BUILT.clear()
        built = _BUILT[key] = (sql, tuple(params))
    sql, marked = built
    swap = {_USER_MARK: user.pk, **dict(zip(marks, ids, strict=True))}
    return sql, [swap.get(p, p) if type(p) is int else p for p in marked]


def fetch_built(sql: str, params: list[Any]) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Run a statement from `built_once`; return its column names and rows.

    On PostgreSQL its parameters are bound by the server, so the statement is the same text
    for every person and id and, when the connection prepares statements (OPTIONS
    prepare_threshold, see settings), it is planned once per connection instead of once a
    request (planning cost more than running the board's and the postmortem page's).
    Django's own queries keep client-side binding.
    """
    connection.ensure_connection()
    raw = connection.connection
    if connection.vendor != "postgresql" or getattr(raw, "prepare_threshold", None) is None:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [c[0] for c in cursor.description], cursor.fetchall()
    connection.validate_thread_sharing()
    server_bound = server_bound_cursor()(raw)
    wrapped = (
        connection.make_debug_cursor(server_bound)
        if connection.queries_logged
        else connection.make_cursor(server_bound)
    )
    with wrapped as cursor:
        cursor.execute(sql, params)
        return [c[0] for c in cursor.description], cursor.fetchall()


@functools.cache
def server_bound_cursor() -> type:
    """Django's server-binding cursor, keeping the query of a prepared statement too:
    psycopg keeps it only when it ran no prepared statement, and Django's query log (DEBUG,
    tests counting statements) reads it back, which would show a prepared one as None."""
    from django.db.backends.postgresql.base import ServerBindingCursor

    class KeepingCursor(ServerBindingCursor):
        def _send_query_prepared(self, name: bytes, pgq: Any, **kwargs: Any) -> None:
            super()._send_query_prepared(name, pgq, **kwargs)
            self._query = pgq

    return KeepingCursor


# What a row of the incident list shows: only these columns are read.
ROW_FIELDS = (
    "id", "key", "title", "severity", "status", "services", "restricted", "postmortem_due",
    "postmortem__id", "postmortem__status",
)  # fmt: skip


def incident_rows_visible(
    *, user: Any, filters: dict[str, str] | None = None, offset: int, limit: int
) -> list[dict[str, Any]]:
    """A page of the incidents the user may see, filtered, newest first, as ROW_FIELDS rows."""
    if connection.vendor != "postgresql":
        qs = incident_list_visible(user=user, filters=filters).values(*ROW_FIELDS)
        return list(qs[offset : offset + limit])

    def build(someone: Any) -> tuple[str, list[Any]]:
        qs = incident_list_visible(user=someone, filters=filters).values(*ROW_FIELDS)
        sql, params = qs[offset : offset + limit].query.sql_with_params()
        return sql, list(params)

    sql, params = built_once(user, ("incident rows", offset, limit), filters, build)
    rows = [dict(zip(ROW_FIELDS, row, strict=True)) for row in fetch_built(sql, params)[1]]
    for row in rows:  # the JSON column comes back as text from a plain cursor
        if isinstance(row["services"], str):
            row["services"] = json.loads(row["services"])
    return rows


def incident_count_visible(*, user: Any, filters: dict[str, str] | None = None, cap: int) -> int:
    """How many incidents the user may see, filtered, counting no further than `cap` + 1."""
    if connection.vendor != "postgresql":
        qs = incident_list_visible(user=user, filters=filters).order_by().values("id")
        return qs[: cap + 1].count()

    def build(someone: Any) -> tuple[str, list[Any]]:
        qs = incident_list_visible(user=someone, filters=filters).order_by().values("id")
        sql, params = qs[: cap + 1].query.sql_with_params()
        return f'SELECT COUNT(*) FROM ({sql}) AS "t"', list(params)

    sql, params = built_once(user, ("incident count", cap), filters, build)
    return int(fetch_built(sql, params)[1][0][0])


def incident_get_visible(*, user: Any, key: str) -> Incident:
    """The incident with this key if the user may see it; 404 otherwise (never 403)."""
    incident = incident_list_visible(user=user).filter(key=key).first()
    if incident is None:
        raise Http404("no such incident")
    return incident


def service_names(*, user: Any) -> list[str]:
    """Every service named by an incident the user may see, sorted."""
    names: set[str] = set()
    for services in incident_list_visible(user=user).values_list("services", flat=True)[:5000]:
        names.update(services or [])
    return sorted(names)
