"""Integration queries: the alert group's latest episode, as every webhook event reads it.

The one read written by hand in SQL (Django's own converters applied to its columns), kept
for the webhook budget (100 deliveries/s, p99 < 200 ms, 20 senders, 2 cores): with it built
by the ORM (`select_for_update().select_related("incident")` and an `exists()`) a delivery
cost the server 7.4-8.6 ms of CPU, with this read 6.7 ms (`benchmarks/webhook_ingest.py`,
2,000 deliveries, on 2 cores loaded by other work; the alert group's writes are the ORM's).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection

from nofault.core.document import IncidentStatus
from nofault.web.incidents.models import Incident
from nofault.web.integrations.ingest import IncidentState
from nofault.web.integrations.models import AlertGroup, DeliveryStatus, WebhookDelivery
from nofault.web.integrations.sources.base import IncidentEvent

__all__ = ["Episode", "latest_episode", "state_load"]

# The alert group's latest episode with its incident's whole row, both locked until commit;
# for a delivery's first event, also whether another delivery with its id was applied
# already (a column beside the episode, which may be missing).
_INCIDENT_FIELDS = tuple(Incident._meta.concrete_fields)
_LATEST_EPISODE_SQL = (
    "SELECT g.id AS g_id, g.episode AS g_episode, g.state AS g_state, "
    + ", ".join(f'i."{f.column}" AS i_{n}' for n, f in enumerate(_INCIDENT_FIELDS))
    + f" FROM {AlertGroup._meta.db_table} g JOIN {Incident._meta.db_table} i"
    " ON i.id = g.incident_id WHERE g.source = %s AND g.dedup_key = %s"
    " ORDER BY g.episode DESC LIMIT 1"
)
_PROCESSED_SQL = (
    f"SELECT 1 FROM {WebhookDelivery._meta.db_table} WHERE source = %s AND delivery_id = %s"
    " AND status = %s AND id <> %s LIMIT 1"
)
_FIRST_READ_SQL = (
    f"SELECT ({_PROCESSED_SQL}) AS processed, latest.* FROM (SELECT 1 AS one) one"
    " LEFT JOIN ({latest}) latest ON 1 = 1"
)


@dataclass(frozen=True, slots=True)
class Episode:
    """An alert group's latest episode and its incident, as `latest_episode` read them."""

    group_id: int
    number: int
    state: IncidentState
    incident: Incident


def latest_episode(
    event: IncidentEvent, delivery: WebhookDelivery | None = None
) -> tuple[Episode | None, bool]:
    """Return the alert group's latest episode (its rows locked until commit) and, when
    `delivery` is given, whether another delivery with its id was applied already."""
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    latest = _LATEST_EPISODE_SQL + lock
    with connection.cursor() as cursor:
        if delivery is None:
            cursor.execute(latest, [event.source, event.dedup_key])
            row = cursor.fetchone()
            processed = False
        else:
            processed_params = [delivery.source, delivery.delivery_id,
                                str(DeliveryStatus.PROCESSED), delivery.pk or 0]  # fmt: skip
            cursor.execute(_FIRST_READ_SQL.format(latest=latest),
                           [*processed_params, event.source, event.dedup_key])  # fmt: skip
            found = cursor.fetchone()
            processed = found[0] is not None
            row = found[1:] if found[1] is not None else None
    if row is None:
        return None, processed
    group_id, number, held = row[:3]
    state = state_load(json.loads(held) if isinstance(held, str | bytes) else held)
    return Episode(group_id, number, state, _incident_from_row(row[3:])), processed


def _incident_from_row(values: tuple[Any, ...]) -> Incident:
    """The incident of the read's columns, each through the converters Django applies."""
    columns = [f.get_col(Incident._meta.db_table) for f in _INCIDENT_FIELDS]
    converted = []
    for value, field, column in zip(values, _INCIDENT_FIELDS, columns, strict=True):
        for converter in connection.ops.get_db_converters(column) + column.get_db_converters(
            connection
        ):
            value = converter(value, field, connection)
        converted.append(value)
    return Incident.from_db(connection.alias, [f.attname for f in _INCIDENT_FIELDS], converted)


def state_load(data: Mapping[str, Any]) -> IncidentState:
    """An alert group's stored state as the fold's value."""
    values: dict[str, Any] = dict(data)
    for key in ("status_at", "started_at", "acknowledged_at", "resolved_at", "title_at",
                "severity_at", "link_at"):  # fmt: skip
        if values.get(key):
            values[key] = datetime.fromisoformat(values[key])
    for key in ("services", "teams", "responders"):
        values[key] = tuple(values.get(key) or ())
    if values.get("status"):
        values["status"] = IncidentStatus(values["status"])
    return IncidentState(**values)
