"""The insights page's metrics, aggregated in SQL: one statement, whatever the period.

The core's `compute_metrics` / `metrics_by` (see `nofault.core.insights.metrics`) define every
figure; they need one record per incident, postmortem and action item, which over 100,000
postmortems takes seconds to read and walk in Python. Here the database computes, per
incident, the values those definitions read (its severity, services, team and month, whether
its review is published or waived, days to publish, minutes to detect, mitigate and resolve,
depth and blame, and its postmortem's action item counts), then groups them once per
dimension, and Python only turns each group's sums into the same `Metrics` values:

- counts and sums are exact (integers); means are `round(sum / n, 2)` as the core's `fmean`;
- a median is the core's too: each value rounded as the core rounds it (minutes to 0.1, days
  whole), then the middle one or the mean of the two middle ones. Rounding keeps the order,
  so the database returns the two middle raw values of each group (PostgreSQL: an ordered
  `array_agg`; SQLite: a small aggregate registered on the connection) and Python rounds them.

`tests/web/insights` checks that these figures equal the core's on the same rows.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from django.db import connection, transaction

from nofault.core.insights.metrics import Metrics
from nofault.core.insights.records import OPEN_STATUSES
from nofault.web.actions.models import ActionItem
from nofault.web.incidents.models import Incident
from nofault.web.incidents.selectors import visible_incident_filter
from nofault.web.insights.models import PostmortemDigest
from nofault.web.postmortems.models import Postmortem
from nofault.web.reviews.models import Waiver

__all__ = ["FIGURE_DIMENSIONS", "PageFigures", "figures_by_dimension", "page_figures"]

UNKNOWN = "unknown"
# The groups the page shows; "overall" has one group, named "".
FIGURE_DIMENSIONS = ("overall", "severity", "service", "team", "month")
SORT_MEMORY = "64MB"
_SEVERITY_MONTH = "severity-month"
_GROUP_VALUES = 28  # the values `sums` selects per group (`_metrics` reads them)


# A case's columns that count once per incident in a group, and once per postmortem.
_CASE_COLUMNS = ("done", "recurs", "detect_s", "mitigate_s", "resolve_s")
_POSTMORTEM_COLUMNS = ("pm", "published", "publish_days", "depth", "blame_first",
                       "blame_published", "actions_n", "done_n", "on_time_n", "due_n",
                       "overdue_n")  # fmt: skip


@dataclass(frozen=True)
class _Sql:
    """The few expressions that differ between PostgreSQL and SQLite."""

    postgres: bool

    def day(self, column: str) -> str:
        """The UTC day of a timestamp."""
        return f"(({column}) AT TIME ZONE 'UTC')::date" if self.postgres else f"date({column})"

    def days_between(self, start: str, end: str) -> str:
        """Whole days from the UTC day of `start` to the UTC day of `end`."""
        if self.postgres:
            return f"({self.day(end)} - {self.day(start)})"
        return f"CAST(julianday(date({end})) - julianday(date({start})) AS INTEGER)"

    def month(self, column: str) -> str:
        """`YYYY-MM` of a timestamp, in UTC."""
        if self.postgres:
            return f"to_char(({column}) AT TIME ZONE 'UTC', 'YYYY-MM')"
        return f"strftime('%%Y-%%m', {column})"  # `%%`: the statement has parameters

    def seconds(self, start: str, end: str) -> str:
        """Exact seconds from `start` to `end`; NULL when either is unknown or `end` is earlier."""
        if self.postgres:
            return f"CASE WHEN {end} >= {start} THEN EXTRACT(EPOCH FROM ({end} - {start})) END"
        return f"nofault_seconds({start}, {end})"

    def non_empty_list(self, column: str) -> str:
        """Whether a JSON column holds a list with at least one item."""
        if self.postgres:
            return f"(jsonb_typeof({column}) = 'array' AND jsonb_array_length({column}) > 0)"
        return f"(json_type({column}) = 'array' AND json_array_length({column}) > 0)"

    def list_items(self, column: str) -> str:
        """A table source of the items of a JSON list, or of ["unknown"] when it is empty."""
        items = (
            f"CASE WHEN {self.non_empty_list(column)} THEN {column} "
            f"ELSE {'%s::jsonb' if self.postgres else '%s'} END"
        )
        if self.postgres:
            return f"jsonb_array_elements_text({items}) AS item(value)"
        return f"json_each({items}) AS item"

    def middle(self, value: str) -> str:
        """How many known values, and the lower and upper middle one (`n`, `lo`, `hi`)."""
        if self.postgres:
            ordered = f"(array_agg({value} ORDER BY {value}) FILTER (WHERE {value} IS NOT NULL))"
            return (
                f"count({value}), {ordered}[(count({value}) + 1) / 2], "
                f"{ordered}[(count({value}) + 2) / 2]"
            )
        return f"count({value}), nofault_middle_low({value}), nofault_middle_high({value})"


class _Middle:
    """SQLite aggregate: the lower (or upper) middle of the known values."""

    upper = False

    def __init__(self) -> None:
        self.values: list[Any] = []

    def step(self, value: Any) -> None:
        if value is not None:
            self.values.append(value)

    def finalize(self) -> Any:
        if not self.values:
            return None
        self.values.sort()
        n = len(self.values)
        return self.values[n // 2 if self.upper else (n - 1) // 2]


class _MiddleHigh(_Middle):
    upper = True


def _sqlite_moment(value: str) -> datetime:
    return datetime.fromisoformat(value).replace(tzinfo=UTC)


def _sqlite_seconds(start: str | None, end: str | None) -> float | None:
    if start is None or end is None:
        return None
    a, b = _sqlite_moment(start), _sqlite_moment(end)
    return (b - a).total_seconds() if b >= a else None


def _prepare_sqlite() -> None:
    connection.ensure_connection()
    raw = connection.connection
    raw.create_function("nofault_seconds", 2, _sqlite_seconds, deterministic=True)
    raw.create_aggregate("nofault_middle_low", 1, _Middle)
    raw.create_aggregate("nofault_middle_high", 1, _MiddleHigh)


def _visible_incidents(user: Any, since: date | None, until: date | None) -> tuple[str, Any]:
    qs = Incident.objects.filter(visible_incident_filter(user))
    if since:
        qs = qs.filter(created_at__gte=datetime.combine(since, time.min, tzinfo=UTC))
    if until:
        qs = qs.filter(created_at__lte=datetime.combine(until, time.max, tzinfo=UTC))
    sql, params = qs.order_by().values("id").query.sql_with_params()
    return sql, params


def _statement(
    user: Any, since: date | None, until: date | None, today: date
) -> tuple[str, list[Any]]:
    s = _Sql(postgres=connection.vendor == "postgresql")
    incidents, visible_params = _visible_incidents(user, since, until)
    i_t, p_t, d_t = (m._meta.db_table for m in (Incident, Postmortem, PostmortemDigest))
    w_t, a_t = Waiver._meta.db_table, ActionItem._meta.db_table
    day = today if s.postgres else today.isoformat()
    open_marks = ", ".join(["%s"] * len(OPEN_STATUSES))
    opens = sorted(OPEN_STATUSES)
    closed_day = s.day("a.closed_at")
    is_open = f"a.status IN ({open_marks})"
    published = "p.status = 'published'"
    moment = "COALESCE(i.started_at, i.detected_at, i.resolved_at, p.created_at, p.published_at)"
    # One narrow row per incident the user may see in the period, with its postmortem's values.
    base = (
        f"SELECT i.id AS incident, "
        f"COALESCE(NULLIF(i.severity, ''), '{UNKNOWN}') AS severity, "
        f"COALESCE(NULLIF(d.team, ''), '{UNKNOWN}') AS team, "
        f"COALESCE({s.month(moment)}, '{UNKNOWN}') AS month, "
        f"i.services AS services, p.id AS pm, "
        f"CASE WHEN {published} THEN 1 ELSE 0 END AS published, "
        f"CASE WHEN w.id IS NOT NULL OR {published} THEN 1 ELSE 0 END AS done, "
        f"CASE WHEN p.published_at IS NOT NULL AND i.resolved_at IS NOT NULL AND "
        f"{s.days_between('i.resolved_at', 'p.published_at')} >= 0 THEN "
        f"{s.days_between('i.resolved_at', 'p.published_at')} END AS publish_days, "
        f"CASE WHEN {s.non_empty_list('d.related_incidents')} THEN 1 ELSE 0 END AS recurs, "
        f"{s.seconds('i.started_at', 'i.detected_at')} AS detect_s, "
        f"{s.seconds('i.started_at', 'i.mitigated_at')} AS mitigate_s, "
        f"{s.seconds('i.started_at', 'i.resolved_at')} AS resolve_s, "
        f"p.depth_score AS depth, d.blame_first_draft AS blame_first, "
        f"CASE WHEN {published} THEN COALESCE(d.blame_at_publication, p.blame_count) END "
        f"AS blame_published "
        f"FROM {i_t} i LEFT JOIN {p_t} p ON p.incident_id = i.id "
        f"LEFT JOIN {d_t} d ON d.postmortem_id = p.id "
        f"LEFT JOIN {w_t} w ON w.incident_id = i.id "
        f"WHERE i.id IN ({incidents})"
    )
    # Their action items (`ActionRecord`): done, on time, due with a known outcome, overdue,
    # and days from creation to close for the done ones.
    items = (
        f"SELECT a.postmortem_id AS pm, "
        f"CASE WHEN a.status = 'done' THEN 1 ELSE 0 END AS done_n, "
        f"CASE WHEN a.status = 'done' AND a.due IS NOT NULL AND a.closed_at IS NOT NULL "
        f"AND {closed_day} <= a.due THEN 1 ELSE 0 END AS on_time_n, "
        f"CASE WHEN a.due IS NOT NULL AND ((a.status = 'done' AND a.closed_at IS NOT NULL) "
        f"OR ({is_open} AND a.due < %s)) THEN 1 ELSE 0 END AS due_n, "
        f"CASE WHEN {is_open} AND a.due IS NOT NULL AND a.due < %s THEN 1 ELSE 0 END "
        f"AS overdue_n, "
        f"CASE WHEN a.status = 'done' AND a.closed_at IS NOT NULL AND a.created_at IS NOT NULL "
        f"THEN {s.days_between('a.created_at', 'a.closed_at')} END AS close_days "
        f"FROM {a_t} a JOIN base b ON b.pm = a.postmortem_id"
    )
    items_params = [*opens, day, *opens, day]
    per_postmortem = (
        "SELECT pm, count(*) AS n, sum(done_n) AS done_n, sum(on_time_n) AS on_time_n, "
        "sum(due_n) AS due_n, sum(overdue_n) AS overdue_n FROM items GROUP BY pm"
    )
    cases = (
        "SELECT b.*, COALESCE(a.n, 0) AS actions_n, COALESCE(a.done_n, 0) AS done_n, "
        "COALESCE(a.on_time_n, 0) AS on_time_n, COALESCE(a.due_n, 0) AS due_n, "
        "COALESCE(a.overdue_n, 0) AS overdue_n "
        f"FROM base b LEFT JOIN ({per_postmortem}) a ON a.pm = b.pm"
    )
    # An incident listing one service twice counts twice in that service's incident-level
    # figures but its postmortem once, as the core does (it groups cases, then dedupes the
    # postmortems of a group): the second copy's postmortem columns are NULL.
    once = ", ".join(
        [*(f"c.{name}" for name in _CASE_COLUMNS),
         *(f"CASE WHEN c.copy = 1 THEN c.{name} END AS {name}" for name in _POSTMORTEM_COLUMNS)]
    )  # fmt: skip
    services = (
        f"SELECT c.value AS k, {once} FROM (SELECT item.value AS value, c.*, "
        "row_number() OVER (PARTITION BY c.incident, item.value) AS copy "
        f"FROM cases c, {s.list_items('c.services')}) c"
    )
    services_params = [json.dumps([UNKNOWN])]
    sums = (
        "count(*) AS incidents, count(pm) AS postmortems, "
        "sum(published) AS published, sum(done) AS reviews_done, "
        f"{s.middle('publish_days')}, "
        "sum(actions_n), sum(done_n), sum(on_time_n), sum(due_n), sum(overdue_n), "
        "sum(recurs), "
        f"{s.middle('detect_s')}, {s.middle('mitigate_s')}, {s.middle('resolve_s')}, "
        f"{'sum(depth::numeric)' if s.postgres else 'sum(depth)'}, count(depth), "
        "sum(blame_first), count(blame_first), sum(blame_published), count(blame_published)"
    )
    closes_middle = s.middle("close_days")

    def by_dimension(values: str, source: str, closed: str) -> str:
        """One GROUP BY per dimension, each over its own rows (no copy of every row per one)."""
        parts = [f"SELECT 'overall' AS dim, '' AS k, {values} FROM {source} HAVING count(*) > 0"]
        parts += [f"SELECT '{dim}', {dim}, {values} FROM {source} GROUP BY {dim}"
                  for dim in ("severity", "team", "month")]  # fmt: skip
        parts.append(f"SELECT 'service', k, {values} FROM {closed} GROUP BY k")
        return " UNION ALL ".join(parts)

    groups = by_dimension(sums, "cases", "services")
    # The stacked chart's counts ride along: the other columns are NULL.
    blanks = ", ".join(["NULL"] * (_GROUP_VALUES - 1))
    groups += (
        f" UNION ALL SELECT '{_SEVERITY_MONTH}', severity || '|' || month, count(*), "
        f"{blanks} FROM cases GROUP BY severity, month"
    )
    closes = by_dimension(closes_middle, "closed", "services_closed")
    m = "MATERIALIZED "
    sql = (
        f"WITH base AS {m}({base}), items AS {m}({items}), cases AS {m}({cases}), "
        f"services AS {m}({services}), "
        f"closed AS {m}(SELECT c.severity, c.team, c.month, x.close_days FROM items x "
        "JOIN cases c ON c.pm = x.pm WHERE x.close_days IS NOT NULL), "
        "services_closed AS (SELECT s.k, x.close_days FROM items x JOIN services s "
        "ON s.pm = x.pm WHERE x.close_days IS NOT NULL), "
        f"groups AS ({groups}), closes AS ({closes}) "
        "SELECT g.*, c.* FROM groups g LEFT JOIN closes c ON c.dim = g.dim AND c.k = g.k"
    )
    return sql, [*visible_params, *items_params, *services_params]


def _median(n: int, low: Any, high: Any, unit: float) -> float | None:
    """The core's `_median` of values each rounded as the core rounds them (see module doc)."""
    if not n:
        return None

    def rounded(value: Any) -> float:
        return round(float(value) / unit, 1) if unit != 1 else float(value)

    return round(float((rounded(low) + rounded(high)) / 2), 1)


def _mean(total: Any, n: int) -> float | None:
    if not n:
        return None
    return round(float(total) / n, 2) if not isinstance(total, int) else round(total / n, 2)


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _metrics(row: tuple[Any, ...]) -> Metrics:
    (
        incidents, postmortems, published, reviews_done, pub_n, pub_lo, pub_hi, actions, done,
        on_time, due, overdue, recurrences, det_n, det_lo, det_hi, mit_n, mit_lo, mit_hi,
        res_n, res_lo, res_hi, depth_sum, depth_n, first_sum, first_n, pub_sum, pub_count,
        _dim, _key, close_n, close_lo, close_hi,
    ) = row  # fmt: skip
    ints = [int(v or 0) for v in (published, reviews_done, actions, done, on_time, due, overdue,
                                   recurrences)]  # fmt: skip
    published, reviews_done, actions, done, on_time, due, overdue, recurrences = ints
    return Metrics(
        incidents=incidents,
        postmortems=postmortems,
        published=published,
        reviews_owed=incidents,  # every incident owes a review (see `records.incident_records`)
        reviews_done=reviews_done,
        review_coverage=_ratio(reviews_done, incidents),
        median_days_to_publish=_median(pub_n, pub_lo, pub_hi, 1),
        actions=actions,
        actions_done=done,
        actions_on_time=on_time,
        actions_due=due,
        on_time_rate=_ratio(on_time, due),
        median_days_to_close=_median(close_n or 0, close_lo, close_hi, 1),
        overdue=overdue,
        recurrences=recurrences,
        recurrence_rate=_ratio(recurrences, incidents),
        median_minutes_to_detect=_median(det_n, det_lo, det_hi, 60),
        median_minutes_to_mitigate=_median(mit_n, mit_lo, mit_hi, 60),
        median_minutes_to_resolve=_median(res_n, res_lo, res_hi, 60),
        mean_depth_score=_mean(depth_sum, depth_n),
        blame_per_postmortem_first_draft=_mean(int(first_sum or 0), first_n),
        blame_per_postmortem_published=_mean(int(pub_sum or 0), pub_count),
    )


@dataclass(frozen=True)
class PageFigures:
    """The metrics per dimension, and incidents per severity and month for the stacked chart."""

    groups: dict[str, dict[str, Metrics]]
    incidents_by_severity_month: dict[str, dict[str, int]]


def page_figures(*, user: Any, since: date | None, until: date | None, today: date) -> PageFigures:
    """Everything the insights page shows, from one statement (see the module docstring).

    Over the incidents the user may see created from `since` to `until`, with their
    postmortems and action items; each dimension's groups come in sorted order, as
    `metrics_by` gives them.
    """
    sql, params = _statement(user, since, until, today)
    if connection.vendor == "sqlite":
        _prepare_sqlite()
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The medians sort each group's values: in memory, not in temporary files.
            cursor.execute(f"SET LOCAL work_mem = '{SORT_MEMORY}'")
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    out: dict[str, dict[str, Metrics]] = {dim: {} for dim in FIGURE_DIMENSIONS}
    counts: dict[str, dict[str, int]] = {}
    for row in rows:
        dim, key = row[0], str(row[1])
        if dim == _SEVERITY_MONTH:
            severity, month = key.rsplit("|", 1)  # a month never holds "|"
            counts.setdefault(severity, {})[month] = int(row[2])
        else:
            out[dim][key] = _metrics(row[2:])
    groups = {dim: dict(sorted(found.items())) for dim, found in out.items()}
    return PageFigures(groups, counts)


def figures_by_dimension(
    *, user: Any, since: date | None, until: date | None, today: date
) -> dict[str, dict[str, Metrics]]:
    """Metrics overall and per severity, service, team and month, as `metrics_by` gives them."""
    return page_figures(user=user, since=since, until=until, today=today).groups


def incidents_by_severity_and_month(
    *, user: Any, since: date | None, until: date | None, today: date
) -> dict[str, dict[str, int]]:
    """How many incidents per severity and month (the stacked chart), as `metrics_by` counts."""
    found = page_figures(user=user, since=since, until=until, today=today)
    return found.incidents_by_severity_month
