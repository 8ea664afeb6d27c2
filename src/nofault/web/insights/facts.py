"""One narrow row per incident for the insights page (`IncidentFacts`), kept in step in SQL.

The figures (`figures`) read this table alone: the incident's severity, services, month and
response times, its postmortem's status, days, depth, blame, team and recurrence, whether a
waiver covers it, and its action items folded into counts and day lists. Every value is
computed here by one statement (`REFRESH_SQL`), the same for a single save and for the whole
table, from the rows the core's records are built from (`records`), so the figures keep the
core's definitions.

Who writes what, and why it stays correct when writers race:

- each save rewrites only its own *part* of the row (the incident's columns on an incident
  save, the postmortem's on a postmortem save, the action items' on an item save, `waived`
  on a waiver save), in one `INSERT … SELECT … ON CONFLICT DO UPDATE` that computes the part
  from the current rows, in the writer's transaction;
- the rows a part is computed from are locked by that writer: an incident save holds the
  incident row, a postmortem save its postmortem row, a waiver save its waiver row; an action
  item save first locks its postmortem row (the services save items under it anyway), so two
  writers of one part are serialised and the second computes from the first's committed
  rows; writers of different parts update different columns, so neither undoes the other;
- a row missing altogether (rows loaded in bulk, bypassing the services) is written whole by
  `facts_fill_missing` (the figures call it when the table is empty; `insights_refresh
  --facts` rewrites every row).
"""

from __future__ import annotations

import functools
import json
from datetime import UTC, date, datetime
from typing import Any

from django.db import connection, transaction

from nofault.core.insights.records import OPEN_STATUSES

__all__ = [
    "DERIVED",
    "EPOCH",
    "facts_delete",
    "facts_fill_missing",
    "facts_fill_missing_if_empty",
    "facts_incident_saved",
    "facts_rebuild",
    "facts_refresh",
    "facts_refresh_for_postmortem",
]

EPOCH = date(1970, 1, 1)
TABLE = "insights_incidentfacts"

# The parts of a row, by what a save changes.
PARTS: dict[str, tuple[str, ...]] = {
    "incident": ("created_at", "restricted", "severity", "services", "month", "resolved_day",
                 "detect_seconds", "mitigate_seconds", "resolve_seconds"),
    "waiver": ("waived",),
    "postmortem": ("postmortem_id", "published", "postmortem_month", "published_day", "depth",
                   "blame_first", "blame_published", "team", "recurs"),
    "actions": ("actions", "actions_done", "actions_on_time", "actions_done_due", "close_days",
                "close_count", "open_due", "open_due_count"),
}  # fmt: skip
COLUMNS = ("incident_id", *(c for part in PARTS.values() for c in part))

# What the figures read of a row, as SQL over the row's own columns (the same on both
# databases): PostgreSQL packs these into the generated column `packed` (migration 0003),
# SQLite selects them. Booleans are 0/1 on SQLite and cast on PostgreSQL (`_flag`).
DERIVED: tuple[tuple[str, str], ...] = (
    ("incident_id", "incident_id"),
    ("month", "COALESCE(month, postmortem_month, 0)"),
    ("flags", "({pm}) | ({published} << 1) | ({done} << 2) | ({recurs} << 3)"),
    ("actions", "actions"),
    ("actions_done", "actions_done"),
    ("actions_on_time", "actions_on_time"),
    ("actions_done_due", "actions_done_due"),
    ("publish_days", "COALESCE(CASE WHEN published_day - resolved_day >= 0 "
                     "THEN published_day - resolved_day END, -1)"),
    ("blame_first", "COALESCE(blame_first, -1)"),
    ("blame_published", "COALESCE(blame_published, -1)"),
    ("close_count", "close_count"),
    ("open_due_count", "open_due_count"),
    ("depth", "depth"),
    ("detect_seconds", "detect_seconds"),
    ("mitigate_seconds", "mitigate_seconds"),
    ("resolve_seconds", "resolve_seconds"),
)  # fmt: skip
FLOAT_DERIVED = ("depth", "detect_seconds", "mitigate_seconds", "resolve_seconds")
BIGINT_DERIVED = ("incident_id",)


def derived_sql(postgres: bool) -> list[tuple[str, str]]:
    """The DERIVED expressions with the flags written for the database."""

    def flag(expr: str) -> str:
        return f"(CASE WHEN {expr} THEN 1 ELSE 0 END)"

    flags = {
        "pm": flag("postmortem_id IS NOT NULL"),
        "published": flag("published"),
        "done": flag("waived OR published"),
        "recurs": flag("recurs"),
    }
    return [(name, expr.format(**flags)) for name, expr in DERIVED]


def packed_sql() -> str:
    """PostgreSQL: the DERIVED values as one fixed-width big-endian value (the generated column)."""
    parts = []
    for name, expr in derived_sql(postgres=True):
        if name in FLOAT_DERIVED:
            parts.append(f"float8send(COALESCE({expr}, 'NaN'::float8))")
        elif name in BIGINT_DERIVED:
            parts.append(f"int8send({expr})")
        else:
            parts.append(f"int4send(({expr})::int4)")
    return " || ".join(parts)


@functools.cache
def _exprs(postgres: bool) -> dict[str, str]:
    """How each column is computed from the incident `i`, postmortem `p`, digest `d`, items `a`."""
    if postgres:

        def day(col: str) -> str:
            return f"(({col}) AT TIME ZONE 'UTC')::date"

        def days(col: str) -> str:
            return f"({day(col)} - DATE '1970-01-01')"

        def month(col: str) -> str:
            return f"(to_char(({col}) AT TIME ZONE 'UTC', 'YYYYMM'))::int"

        def seconds(start: str, end: str) -> str:
            return f"CASE WHEN {end} >= {start} THEN date_part('epoch', {end} - {start}) END"

        def non_empty(col: str) -> str:
            return f"(jsonb_typeof({col}) = 'array' AND jsonb_array_length({col}) > 0)"

        def due_days(col: str) -> str:
            return f"({col} - DATE '1970-01-01')"

        def joined(expr: str) -> str:
            return f"string_agg(({expr})::text, ',')"

        unknown = "'[\"unknown\"]'::jsonb"
    else:

        def days(col: str) -> str:
            return f"CAST(julianday(date({col})) - 2440587.5 AS INTEGER)"

        def month(col: str) -> str:
            return f"CAST(strftime('%%Y%%m', {col}) AS INTEGER)"

        def seconds(start: str, end: str) -> str:
            return f"nofault_seconds({start}, {end})"

        def non_empty(col: str) -> str:
            return f"(json_type({col}) = 'array' AND json_array_length({col}) > 0)"

        def due_days(col: str) -> str:
            return days(col)

        def joined(expr: str) -> str:
            return f"group_concat({expr}, ',')"

        unknown = "'[\"unknown\"]'"
    services = f"CASE WHEN {non_empty('i.services')} THEN i.services ELSE {unknown} END"
    published = "p.status = 'published'"
    done = "a.status = 'done'"
    closed = f"{done} AND a.closed_at IS NOT NULL"
    is_open = "a.status IN ({})".format(", ".join(f"'{s}'" for s in sorted(OPEN_STATUSES)))
    count = "count(*) FILTER (WHERE {})"
    closed_day = days("a.closed_at")
    on_time = f"{closed} AND a.due IS NOT NULL AND {closed_day} <= {due_days('a.due')}"
    close_days = f"{closed_day} - {days('a.created_at')}"
    open_due = f"{is_open} AND a.due IS NOT NULL"
    return {
        # the incident's part
        "created_at": "i.created_at",
        "restricted": "i.restricted",
        "severity": "COALESCE(NULLIF(i.severity, ''), 'unknown')",
        "services": services,
        "month": month("COALESCE(i.started_at, i.detected_at, i.resolved_at)"),
        "resolved_day": days("i.resolved_at"),
        "detect_seconds": seconds("i.started_at", "i.detected_at"),
        "mitigate_seconds": seconds("i.started_at", "i.mitigated_at"),
        "resolve_seconds": seconds("i.started_at", "i.resolved_at"),
        # the waiver's
        "waived": "EXISTS (SELECT 1 FROM reviews_waiver w WHERE w.incident_id = i.id)",
        # the postmortem's
        "postmortem_id": "p.id",
        "published": f"COALESCE({published}, false)" if postgres else f"COALESCE({published}, 0)",
        "postmortem_month": month("COALESCE(p.created_at, p.published_at)"),
        "published_day": days("p.published_at"),
        "depth": "p.depth_score",
        "blame_first": "d.blame_first_draft",
        "blame_published": f"CASE WHEN {published} THEN "
                           "COALESCE(d.blame_at_publication, p.blame_count) END",
        "team": "COALESCE(NULLIF(d.team, ''), 'unknown')",
        "recurs": f"COALESCE({non_empty('d.related_incidents')}, false)" if postgres
                  else f"COALESCE({non_empty('d.related_incidents')}, 0)",
        # the action items' (aggregated per postmortem in `a`, see `_items`)
        "actions": "COALESCE(a.actions, 0)",
        "actions_done": "COALESCE(a.actions_done, 0)",
        "actions_on_time": "COALESCE(a.actions_on_time, 0)",
        "actions_done_due": "COALESCE(a.actions_done_due, 0)",
        "close_days": "COALESCE(a.close_days, '')",
        "close_count": "COALESCE(a.close_count, 0)",
        "open_due": "COALESCE(a.open_due, '')",
        "open_due_count": "COALESCE(a.open_due_count, 0)",
        # the per-item expressions `_items` aggregates
        "_items": ", ".join([
            "a.postmortem_id", "count(*) AS actions",
            count.format(done) + " AS actions_done",
            count.format(on_time) + " AS actions_on_time",
            count.format(f"{closed} AND a.due IS NOT NULL") + " AS actions_done_due",
            joined(f"CASE WHEN {closed} THEN {close_days} END") + " AS close_days",
            count.format(closed) + " AS close_count",
            joined(f"CASE WHEN {open_due} THEN {due_days('a.due')} END") + " AS open_due",
            count.format(open_due) + " AS open_due_count",
        ]),
    }  # fmt: skip


def _statement(where: str, parts: tuple[str, ...]) -> str:
    """Rows for the incidents `where` selects (over `i`): inserted, or their `parts` updated."""
    return _statement_for(connection.vendor == "postgresql", where, parts)


@functools.cache
def _statement_for(postgres: bool, where: str, parts: tuple[str, ...]) -> str:
    exprs = _exprs(postgres)
    items = (
        f"SELECT {exprs['_items']} FROM actions_actionitem a WHERE a.postmortem_id IN "
        f"(SELECT p.id FROM postmortems_postmortem p JOIN incidents_incident i "
        f"ON i.id = p.incident_id WHERE {where}) GROUP BY a.postmortem_id"
    )
    select = ", ".join(["i.id", *(exprs[c] for c in COLUMNS[1:])])
    sql = (
        f"INSERT INTO {TABLE} ({', '.join(COLUMNS)}) SELECT {select} "
        "FROM incidents_incident i "
        "LEFT JOIN postmortems_postmortem p ON p.incident_id = i.id "
        "LEFT JOIN insights_postmortemdigest d ON d.postmortem_id = p.id "
        f"LEFT JOIN ({items}) a ON a.postmortem_id = p.id "
        f"WHERE {where} "
    )
    if not parts:
        return sql + "ON CONFLICT (incident_id) DO NOTHING"
    sets = ", ".join(f"{c} = excluded.{c}" for part in parts for c in PARTS[part])
    return sql + f"ON CONFLICT (incident_id) DO UPDATE SET {sets}"


def _sqlite_seconds(start: str | None, end: str | None) -> float | None:
    """Exact seconds from `start` to `end` (UTC text), None when unknown or `end` is earlier."""
    if start is None or end is None:
        return None
    a = datetime.fromisoformat(start).replace(tzinfo=UTC)
    b = datetime.fromisoformat(end).replace(tzinfo=UTC)
    return (b - a).total_seconds() if b >= a else None


def _execute(sql: str, params: list[Any]) -> int:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        connection.connection.create_function(
            "nofault_seconds", 2, _sqlite_seconds, deterministic=True
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.rowcount or 0)


# A new incident has no postmortem, waiver or action item yet: those parts start empty.
_EMPTY = {"waived": "false", "postmortem_id": "NULL", "published": "false",
          "postmortem_month": "NULL", "published_day": "NULL", "depth": "NULL",
          "blame_first": "NULL", "blame_published": "NULL", "team": "'unknown'",
          "recurs": "false", "actions": "0", "actions_done": "0", "actions_on_time": "0",
          "actions_done_due": "0", "close_days": "''", "close_count": "0", "open_due": "''",
          "open_due_count": "0"}  # fmt: skip
_BUMP = " RETURNING nextval('insights_data_version')"  # the data version moves in the same trip


def facts_incident_saved(*, incident_id: int, created: bool) -> bool:
    """Rewrite the incident's part of its row, reading only the incident.

    Returns whether the statement moved the data version too (PostgreSQL: one round trip per
    incident save, as the version bump alone took before). A row missing for an older
    incident (loaded in bulk) is written whole, postmortem and all.
    """
    postgres = connection.vendor == "postgresql"
    if _execute(_incident_statement(postgres, created), [incident_id]):
        return postgres
    facts_refresh(incident_id=incident_id, parts=("incident",))
    return False


@functools.cache
def _incident_statement(postgres: bool, created: bool) -> str:
    """The statement of `facts_incident_saved` (written once per database and kind of save)."""
    exprs = _exprs(postgres)
    own = PARTS["incident"]
    bump = _BUMP if postgres else ""
    if created:
        empty = {k: ("0" if v == "false" and not postgres else v) for k, v in _EMPTY.items()}
        values = ", ".join(["i.id", *(exprs[c] if c in own else empty[c] for c in COLUMNS[1:])])
        sets = ", ".join(f"{c} = excluded.{c}" for c in own)
        sql = (
            f"INSERT INTO {TABLE} ({', '.join(COLUMNS)}) SELECT {values} "
            f"FROM incidents_incident i WHERE i.id = %s "
            f"ON CONFLICT (incident_id) DO UPDATE SET {sets}{bump}"
        )
    else:
        sets = ", ".join(f"{c} = {exprs[c]}" for c in own)
        sql = (
            f"UPDATE {TABLE} SET {sets} FROM incidents_incident i "
            f"WHERE i.id = {TABLE}.incident_id AND i.id = %s{bump}"
        )
    return sql


def facts_refresh(*, incident_id: int, parts: tuple[str, ...]) -> None:
    """Rewrite parts of an incident's row (the whole row when it has none yet)."""
    # The condition names the incident twice: the items' subquery and the row itself.
    _execute(_statement("i.id = %s", parts), [incident_id, incident_id])


def facts_refresh_for_postmortem(
    *, postmortem_id: int, parts: tuple[str, ...], lock: bool = False
) -> None:
    """Rewrite a part of the row of the postmortem's incident (locking the postmortem first)."""
    if lock and connection.vendor == "postgresql":
        # Serialise with the postmortem's other writers; the next statement sees their rows.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM postmortems_postmortem WHERE id = %s FOR NO KEY UPDATE",
                [postmortem_id],
            )
    where = "i.id = (SELECT incident_id FROM postmortems_postmortem WHERE id = %s)"
    _execute(_statement(where, parts), [postmortem_id, postmortem_id])


def facts_delete(*, incident_id: int) -> None:
    """Forget a deleted incident's row."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE incident_id = %s", [incident_id])


FILL_CHUNK = 20_000


def _fill(ids: list[int]) -> int:
    """Write the whole rows of these incidents, a chunk at a time."""
    # The ids are given as a list, not as "those without a row": the planner then expects as
    # many rows as there are (hash joins), where a NOT EXISTS estimated from the statistics
    # of a full table expects one and joins the action items once per incident.
    if connection.vendor == "postgresql":
        where = "i.id = ANY(%s)"
    else:
        where = "i.id IN (SELECT value FROM json_each(%s))"
    written = 0
    for start in range(0, len(ids), FILL_CHUNK):
        chunk = ids[start : start + FILL_CHUNK]
        param: Any = chunk if connection.vendor == "postgresql" else json.dumps(chunk)
        written += _execute(_statement(where, ()), [param, param])
    return written


def facts_fill_missing() -> int:
    """Write the row of every incident that has none (rows loaded in bulk); return how many."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT i.id FROM incidents_incident i WHERE NOT EXISTS "
            f"(SELECT 1 FROM {TABLE} x WHERE x.incident_id = i.id) ORDER BY i.id"
        )
        missing = [int(row[0]) for row in cursor.fetchall()]
    return _fill(missing)


def facts_fill_missing_if_empty() -> None:
    """Fill the table when it is empty and incidents exist (rows loaded in bulk after migrating)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM {TABLE}) "
            "AND EXISTS (SELECT 1 FROM incidents_incident)"
        )
        empty = cursor.fetchone() is not None
    if empty:
        facts_fill_missing()


def facts_rebuild() -> int:
    """Rewrite every row from the current rows (`insights_refresh --facts`); return how many."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE}")
            cursor.execute("SELECT id FROM incidents_incident ORDER BY id")
            ids = [int(row[0]) for row in cursor.fetchall()]
        return _fill(ids)
