"""The insights page's metrics: the figures rows read in one statement, aggregated with numpy.

The core's `compute_metrics` / `metrics_by` (see `nofault.core.insights.metrics`) define every
figure; they need one record per incident, postmortem and action item, which over 100,000
postmortems takes seconds to read and walk in Python. The insights app keeps one narrow row
per incident instead (`IncidentFacts`, kept by `facts` on every save) with the values those
definitions read. Here one statement reads the rows the person may see in the period, and
numpy groups them by severity, service, team and month:

- PostgreSQL sends them grouped by severity and team, each group's rows as one value: the
  fixed-width `packed` column of every row concatenated (read with `numpy.frombuffer`), and
  the day lists of its action items as text; the services come in the same statement, as
  each service's incident ids. Grouping, sums and medians in the database cost a sort or a
  pass per dimension and per median (over a second at 100,000 incidents); sending each row's
  values costs about as much as reading them.
- SQLite returns the same values one row per incident (10,000 read in well under a second).

Every figure keeps the core's definition: counts and sums are exact (integers; the depth
scores summed with `math.fsum`, as `statistics.fmean` does); a median is the core's too: each
value rounded as the core rounds it (minutes to 0.1, days whole), then the middle one or the
mean of the two middle ones. Rounding keeps the order, so numpy finds the two middle raw
values of each group and Python rounds them. `tests/web/insights` checks that these figures
equal the core's on the same rows, on both databases.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

import numpy as np
import psycopg
from django.db import connection, transaction

from nofault.core.insights.metrics import Metrics
from nofault.web.insights import facts

__all__ = ["FIGURE_DIMENSIONS", "PageFigures", "figures_by_dimension", "page_figures"]

UNKNOWN = "unknown"
# The groups the page shows; "overall" has one group, named "".
FIGURE_DIMENSIONS = ("overall", "severity", "service", "team", "month")

# A row of the packed column (PostgreSQL sends integers and floats big-endian).
PACKED = np.dtype(
    [
        (name, ">i8" if name in facts.BIGINT_DERIVED else ">f8" if name in facts.FLOAT_DERIVED
         else ">i4")
        for name, _ in facts.DERIVED
    ]
)  # fmt: skip
_PM, _PUBLISHED, _DONE, _RECURS = 1, 2, 4, 8  # the bits of `flags`


@dataclass
class _Rows:
    """The rows read, as columns: one entry per incident; day lists flattened with counts."""

    values: dict[str, np.ndarray]  # the DERIVED columns
    severity: np.ndarray  # index into `severities`
    severities: list[str]
    team: np.ndarray
    teams: list[str]
    close_days: np.ndarray  # every listed value, row after row (`close_count` per row)
    open_due: np.ndarray
    service_rows: np.ndarray  # (row, service) pairs, one per listing of a service
    service_keys: np.ndarray
    service_repeats: np.ndarray  # True for a service the row's incident already listed
    services: list[str]

    def __len__(self) -> int:
        return len(self.values["incident_id"])


def _filter(user: Any, since: date | None, until: date | None) -> tuple[str, list[Any]] | None:
    """The WHERE clause over the figures rows for what the user may see; None: nothing."""
    if not getattr(user, "is_authenticated", False):
        return None
    clauses, params = ["1 = 1"], []
    if not getattr(user, "is_org_admin", False):
        # The incidents app's rule (`visible_incident_filter`): public, or a member.
        clauses.append(
            "(NOT f.restricted OR f.incident_id IN (SELECT m.incident_id FROM "
            "incidents_incident_members m WHERE m.user_id = %s))"
        )
        params.append(user.pk)
    adapt = connection.ops.adapt_datetimefield_value
    if since:
        clauses.append("f.created_at >= %s")
        params.append(adapt(datetime.combine(since, time.min, tzinfo=UTC)))
    if until:
        clauses.append("f.created_at <= %s")
        params.append(adapt(datetime.combine(until, time.max, tzinfo=UTC)))
    return " AND ".join(clauses), params


def _ints(text: str | None) -> np.ndarray:
    return np.fromstring(text or "", dtype=np.int64, sep=",")


def _load_postgres(where: str, params: list[Any]) -> _Rows:
    table = facts.TABLE
    # Rows grouped by severity and team; then the incidents of each list of services (a few
    # hundred lists, not one row per service an incident names).
    sql = (
        "SELECT f.severity, f.team, string_agg(f.packed, ''::bytea), "
        "string_agg(NULLIF(f.close_days, ''), ','), string_agg(NULLIF(f.open_due, ''), ','), "
        f"NULL::jsonb FROM {table} f WHERE {where} GROUP BY f.severity, f.team "
        "UNION ALL SELECT NULL, NULL, string_agg(int8send(f.incident_id), ''::bytea), NULL, "
        f"NULL, f.services FROM {table} f WHERE {where} GROUP BY f.services"
    )
    connection.ensure_connection()
    # Results in binary: the packed rows come as they are, not as hex text to decode.
    with psycopg.Cursor(connection.connection) as cursor:
        # Never prepared server-side (a pooler in transaction mode would lose it).
        cursor.execute(sql, [*params, *params], binary=True, prepare=False)
        found = cursor.fetchall()
    groups = [r for r in found if r[5] is None]
    severities = sorted({r[0] for r in groups})
    teams = sorted({r[1] for r in groups})
    packed = np.frombuffer(b"".join(bytes(r[2]) for r in groups), dtype=PACKED)
    counts = [len(r[2]) // PACKED.itemsize for r in groups]
    values = {name: packed[name].astype(np.float64 if name in facts.FLOAT_DERIVED
                                        else np.int64) for name, _ in facts.DERIVED}  # fmt: skip
    sev_index = {s: k for k, s in enumerate(severities)}
    team_index = {t: k for k, t in enumerate(teams)}
    severity = np.repeat(np.array([sev_index[r[0]] for r in groups], dtype=np.int64), counts)
    team = np.repeat(np.array([team_index[r[1]] for r in groups], dtype=np.int64), counts)
    close = np.concatenate([_ints(r[3]) for r in groups]) if groups else _ints("")
    due = np.concatenate([_ints(r[4]) for r in groups]) if groups else _ints("")
    ids = values["incident_id"]
    order = np.argsort(ids)
    listings: dict[str, list[tuple[np.ndarray, bool]]] = {}
    for r in found:
        if r[5] is None:
            continue
        wanted = np.frombuffer(bytes(r[2]), dtype=">i8").astype(np.int64)
        rows = order[np.searchsorted(ids, wanted, sorter=order)]
        seen: set[str] = set()
        for service in map(str, r[5]):  # as listed: a service named twice is listed twice
            listings.setdefault(service, []).append((rows, service in seen))
            seen.add(service)
    services = sorted(listings)
    parts = [part for name in services for part in listings[name]]
    keys = [k for k, name in enumerate(services) for _ in listings[name]]
    sizes = [len(rows) for rows, _ in parts]
    return _Rows(
        values=values,
        severity=severity,
        severities=severities,
        team=team,
        teams=teams,
        close_days=close,
        open_due=due,
        service_rows=np.concatenate([r for r, _ in parts]) if parts else _ints(""),
        service_keys=np.repeat(np.array(keys, dtype=np.int64), sizes),
        service_repeats=np.repeat(np.array([rep for _, rep in parts], dtype=bool), sizes),
        services=services,
    )


def _load_sqlite(where: str, params: list[Any]) -> _Rows:
    derived = facts.derived_sql(postgres=False)
    sql = (
        f"SELECT f.severity, f.team, f.services, f.close_days, f.open_due, "
        f"{', '.join(expr for _, expr in derived)} "
        f"FROM {facts.TABLE} f WHERE {where}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    columns = list(zip(*found, strict=True)) if found else [()] * (5 + len(derived))
    values = {
        name: np.array(columns[5 + k], dtype=np.float64 if name in facts.FLOAT_DERIVED
                       else np.int64)
        for k, (name, _) in enumerate(derived)
    }  # fmt: skip
    severities = sorted(set(columns[0]))
    teams = sorted(set(columns[1]))
    sev_index = {s: k for k, s in enumerate(severities)}
    team_index = {t: k for k, t in enumerate(teams)}
    listed = []  # (row, service, listed before by the row's incident)
    for row, text in enumerate(columns[2]):
        seen: set[str] = set()
        for service in map(str, json.loads(text)):
            listed.append((row, service, service in seen))
            seen.add(service)
    services = sorted({s for _, s, _ in listed})
    svc_index = {s: k for k, s in enumerate(services)}
    return _Rows(
        values=values,
        severity=np.array([sev_index[s] for s in columns[0]], dtype=np.int64),
        severities=severities,
        team=np.array([team_index[t] for t in columns[1]], dtype=np.int64),
        teams=teams,
        close_days=_ints(",".join(t for t in columns[3] if t)),
        open_due=_ints(",".join(t for t in columns[4] if t)),
        service_rows=np.array([r for r, _, _ in listed], dtype=np.int64),
        service_keys=np.array([svc_index[s] for _, s, _ in listed], dtype=np.int64),
        service_repeats=np.array([again for _, _, again in listed], dtype=bool),
        services=services,
    )


_MEASURES = ("publish", "close", "detect", "mitigate", "resolve")


@dataclass
class _Measure:
    """The known values of one median and the row each belongs to."""

    values: np.ndarray
    owners: np.ndarray


def _measure(values: np.ndarray, owners: np.ndarray) -> _Measure:
    keep = ~np.isnan(values)
    return _Measure(values[keep], owners[keep])


def _by_group(groups: np.ndarray, count: int) -> np.ndarray:
    """The order that puts values group by group, each group's in their order before.

    A stable sort of 16-bit integers is a radix sort in numpy: linear, not n log n.
    """
    if count == 1:
        return np.arange(len(groups))
    return np.argsort(groups.astype(np.int16) if count < 2**15 else groups, kind="stable")


def _middles(values: np.ndarray, groups: np.ndarray, count: int) -> tuple[np.ndarray, ...]:
    """Per group: how many values, the lower and the upper middle one."""
    return _grouped_middles(values[_by_group(groups, count)], np.bincount(groups, minlength=count))


def _grouped_middles(ordered: np.ndarray, n: np.ndarray) -> tuple[np.ndarray, ...]:
    """`_middles` of values already put group by group, `n` of each group.

    Each group's two middle values are selected (`numpy.partition`, linear): no sort.
    """
    count = len(n)
    lo, hi = np.zeros(count), np.zeros(count)
    ends = np.cumsum(n)
    for g in np.flatnonzero(n).tolist():
        part = ordered[ends[g] - n[g] : ends[g]]
        low, high = (len(part) - 1) // 2, len(part) // 2
        if len(part) > 2:
            part = np.partition(part, (low, high))
        elif len(part) == 2:
            part = np.sort(part)
        lo[g], hi[g] = part[low], part[high]
    return n, lo, hi


def _median(n: int, low: float, high: float, unit: float) -> float | None:
    """The core's `_median` of values each rounded as the core rounds it (see module doc)."""
    if not n:
        return None

    def rounded(value: float) -> float:
        return round(float(value) / unit, 1) if unit != 1 else float(value)

    return round(float((rounded(low) + rounded(high)) / 2), 1)


def _mean(total: float | int, n: int) -> float | None:
    return round(total / n, 2) if n else None


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


# What each group sums: counted per listing (an incident naming a service twice counts twice),
# or once per postmortem in the group.
_PER_LISTING = ("done", "recurs")
_PER_POSTMORTEM = ("pm", "published", "actions", "actions_done", "on_time", "overdue", "due",
                   "blame_first_known", "blame_first", "blame_published_known",
                   "blame_published")  # fmt: skip
_SUMMED = (*_PER_LISTING, *_PER_POSTMORTEM)


@dataclass
class _Prepared:
    """Per row what the groups sum (as float64 columns of `sums`), and the medians' values."""

    rows: int
    sums: np.ndarray  # rows × _SUMMED: 0/1 flags and counts (-1 for unknown made 0 and 0/1)
    depth: np.ndarray
    measures: dict[str, _Measure]
    per_row: dict[str, np.ndarray]  # the measures with one value per row (NaN: unknown)


def _prepare(rows: _Rows, today: date) -> _Prepared:
    v = rows.values
    n = len(rows)
    every = np.arange(n)
    flags = v["flags"]
    due_owner = np.repeat(every, v["open_due_count"])
    late = (rows.open_due < (today - facts.EPOCH).days).astype(np.int64)
    overdue = np.bincount(due_owner, weights=late, minlength=n).astype(np.int64)
    close_owner = np.repeat(every, v["close_count"])
    publish = v["publish_days"].astype(np.float64)
    publish[publish < 0] = np.nan
    columns = {
        "done": (flags & _DONE) > 0,
        "recurs": (flags & _RECURS) > 0,
        "pm": (flags & _PM) > 0,
        "published": (flags & _PUBLISHED) > 0,
        "actions": v["actions"],
        "actions_done": v["actions_done"],
        "on_time": v["actions_on_time"],
        "overdue": overdue,
        "due": v["actions_done_due"] + overdue,
        "blame_first_known": v["blame_first"] >= 0,
        "blame_first": np.maximum(v["blame_first"], 0),
        "blame_published_known": v["blame_published"] >= 0,
        "blame_published": np.maximum(v["blame_published"], 0),
    }
    sums = np.empty((n, len(_SUMMED)))
    for k, name in enumerate(_SUMMED):
        sums[:, k] = columns[name]
    per_row = {
        "publish": publish,
        **{name: v[f"{name}_seconds"] for name in ("detect", "mitigate", "resolve")},
    }
    return _Prepared(
        rows=n,
        sums=sums,
        depth=v["depth"],
        measures={
            "close": _measure(rows.close_days.astype(np.float64), close_owner),
            **{name: _measure(values, every) for name, values in per_row.items()},
        },
        per_row=per_row,
    )  # fmt: skip


def _group_sums(
    sums: np.ndarray, groups: np.ndarray, count: int, order: np.ndarray | None = None
) -> np.ndarray:
    """count × columns: each group's column sums (integers held exactly in float64)."""
    if not len(groups):
        return np.zeros((count, sums.shape[1]))
    if order is None:
        order = _by_group(groups, count)
    n = np.bincount(groups, minlength=count)
    if count == 1:
        return sums.sum(axis=0, keepdims=True)
    out = np.zeros((count, sums.shape[1]))
    some = n > 0
    out[some] = np.add.reduceat(sums[order], (np.cumsum(n) - n)[some], axis=0)
    return out


def _dimension(
    prep: _Prepared, group_of_row: np.ndarray | None,
    pairs: tuple[np.ndarray, np.ndarray, np.ndarray], names: list[str],
) -> dict[str, Metrics]:  # fmt: skip
    """The metrics of each group: `group_of_row` when each row is in one group, else `pairs`.

    `pairs` lists (row, group, listed before) once per listing: a row listed twice in one
    group (an incident naming a service twice) counts twice in the incident-level figures and
    once in its postmortem's, as the core does.
    """
    count = len(names)
    if not count:
        return {}
    if group_of_row is not None:
        every = np.arange(prep.rows)
        rows_all = rows_once = every
        groups_all = groups_once = group_of_row
        order_all = order_once = _by_group(group_of_row, count)  # for sums, depth and medians
        totals = _group_sums(prep.sums, group_of_row, count, order_all)
    else:
        rows_all, groups_all, repeats = pairs
        rows_once, groups_once = rows_all[~repeats], groups_all[~repeats]
        order_all, order_once = _by_group(groups_all, count), _by_group(groups_once, count)
        totals = _group_sums(prep.sums[rows_once], groups_once, count, order_once)
        listed = _group_sums(prep.sums[:, : len(_PER_LISTING)][rows_all], groups_all, count,
                             order_all)  # fmt: skip
        totals[:, : len(_PER_LISTING)] = listed
    total = {name: totals[:, k].astype(np.int64) for k, name in enumerate(_SUMMED)}
    incidents = np.bincount(groups_all, minlength=count)
    # The rows of each group, group by group (a row once per group, for the postmortem's
    # figures; once per listing, for the incident's).
    grouped_once = (rows_once[order_once], groups_once[order_once])
    grouped_all = (rows_all[order_all], groups_all[order_all])
    depth = prep.depth[grouped_once[0]]
    known = ~np.isnan(depth)
    depth_n = np.bincount(grouped_once[1][known], minlength=count)
    by_group = depth[known].tolist()
    ends = np.cumsum(depth_n).tolist()
    depth_sums = [math.fsum(by_group[end - k : end])
                  for end, k in zip(ends, depth_n.tolist(), strict=True)]  # fmt: skip

    def middles(name: str, once: bool) -> tuple[np.ndarray, ...]:
        if name in prep.per_row:
            rows, groups = grouped_once if once else grouped_all
            values = prep.per_row[name][rows]
            known = ~np.isnan(values)
            return _grouped_middles(values[known], np.bincount(groups[known], minlength=count))
        measure = prep.measures[name]  # one value per action item: each in its row's groups
        if group_of_row is not None:
            return _middles(measure.values, group_of_row[measure.owners], count)
        per_row = np.bincount(rows_once, minlength=prep.rows)
        start = np.cumsum(per_row) - per_row
        groups_by_row = groups_once[np.argsort(rows_once, kind="stable")]
        repeats = per_row[measure.owners]
        offsets = np.arange(int(repeats.sum())) - np.repeat(np.cumsum(repeats) - repeats, repeats)
        where = np.repeat(start[measure.owners], repeats) + offsets
        return _middles(np.repeat(measure.values, repeats), groups_by_row[where], count)

    medians = {name: middles(name, once=name in ("publish", "close")) for name in _MEASURES}

    def median(name: str, g: int, unit: float) -> float | None:
        n, lo, hi = medians[name]
        return _median(int(n[g]), lo[g], hi[g], unit)

    out = {}
    for g, name in enumerate(names):
        if not incidents[g]:
            continue
        n_inc = int(incidents[g])
        done, recurrences = int(total["done"][g]), int(total["recurs"][g])
        on_time, due = int(total["on_time"][g]), int(total["due"][g])
        out[name] = Metrics(
            incidents=n_inc,
            postmortems=int(total["pm"][g]),
            published=int(total["published"][g]),
            reviews_owed=n_inc,  # every incident owes a review (see `records.incident_records`)
            reviews_done=done,
            review_coverage=_ratio(done, n_inc),
            median_days_to_publish=median("publish", g, 1),
            actions=int(total["actions"][g]),
            actions_done=int(total["actions_done"][g]),
            actions_on_time=on_time,
            actions_due=due,
            on_time_rate=_ratio(on_time, due),
            median_days_to_close=median("close", g, 1),
            overdue=int(total["overdue"][g]),
            recurrences=recurrences,
            recurrence_rate=_ratio(recurrences, n_inc),
            median_minutes_to_detect=median("detect", g, 60),
            median_minutes_to_mitigate=median("mitigate", g, 60),
            median_minutes_to_resolve=median("resolve", g, 60),
            mean_depth_score=_mean(depth_sums[g], int(depth_n[g])),
            blame_per_postmortem_first_draft=_mean(
                int(total["blame_first"][g]), int(total["blame_first_known"][g])
            ),
            blame_per_postmortem_published=_mean(
                int(total["blame_published"][g]), int(total["blame_published_known"][g])
            ),
        )
    return out


def _month_name(month: int) -> str:
    return f"{month // 100:04d}-{month % 100:02d}" if month else UNKNOWN


@dataclass(frozen=True)
class PageFigures:
    """The metrics per dimension, and incidents per severity and month for the stacked chart."""

    groups: dict[str, dict[str, Metrics]]
    incidents_by_severity_month: dict[str, dict[str, int]]


def _aggregate(rows: _Rows, today: date) -> PageFigures:
    n = len(rows)
    prep = _prepare(rows, today)
    known_months, month_of = np.unique(rows.values["month"], return_inverse=True)
    by_name = sorted(range(len(known_months)), key=lambda k: _month_name(int(known_months[k])))
    rank = np.empty(len(known_months), dtype=np.int64)
    rank[by_name] = np.arange(len(known_months))
    month_index = rank[month_of.reshape(-1)]
    months = [_month_name(int(known_months[k])) for k in by_name]
    none = (_ints(""), _ints(""), np.zeros(0, dtype=bool))
    dims: dict[
        str, tuple[np.ndarray | None, tuple[np.ndarray, np.ndarray, np.ndarray], list[str]]
    ] = {
        "overall": (np.zeros(n, dtype=np.int64), none, [""] if n else []),
        "severity": (rows.severity, none, rows.severities),
        "service": (
            None,
            (rows.service_rows, rows.service_keys, rows.service_repeats),
            rows.services,
        ),
        "team": (rows.team, none, rows.teams),
        "month": (month_index, none, months),
    }
    groups = {dim: _dimension(prep, of_row, pairs, names)
              for dim, (of_row, pairs, names) in dims.items()}  # fmt: skip
    stacked: dict[str, dict[str, int]] = {}
    if n:
        cells = np.bincount(rows.severity * len(months) + month_index,
                            minlength=len(rows.severities) * len(months))  # fmt: skip
        for s, severity in enumerate(rows.severities):
            for m, month in enumerate(months):
                if cells[s * len(months) + m]:
                    stacked.setdefault(severity, {})[month] = int(cells[s * len(months) + m])
    return PageFigures(groups, stacked)


def page_figures(*, user: Any, since: date | None, until: date | None, today: date) -> PageFigures:
    """Everything the insights page shows, from one statement (see the module docstring).

    Over the incidents the user may see created from `since` to `until`, with their
    postmortems and action items; each dimension's groups come in sorted order, as
    `metrics_by` gives them.
    """
    found = _filter(user, since, until)
    if found is None:
        return PageFigures({dim: {} for dim in FIGURE_DIMENSIONS}, {})
    where, params = found
    with transaction.atomic():
        facts.facts_fill_missing_if_empty()
        if connection.vendor == "postgresql":
            rows = _load_postgres(where, params)
        else:
            rows = _load_sqlite(where, params)
    return _aggregate(rows, today)


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
