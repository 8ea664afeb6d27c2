"""An incident's save writes search entries in few statements, and theirs only when needed."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from nofault.web.incidents.services import incident_update
from nofault.web.search.models import SearchEntry
from tests.web.factories import make_incident, make_postmortem


def _search_statements(queries: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if "search_searchentry" in q["sql"]]


def test_a_new_incident_is_one_insert(author: Any) -> None:
    with CaptureQueriesContext(connection) as queries:
        incident = make_incident(author, title="Checkout latency", services=["checkout"])
    assert len(_search_statements(queries)) == 1
    entry = SearchEntry.objects.get(kind="incident", object_id=incident.pk)
    assert entry.title == f"{incident.key} Checkout latency"
    assert entry.services_index == ",checkout," and entry.status == incident.status


def test_a_status_change_leaves_the_postmortem_entry_alone(author: Any) -> None:
    pm = make_postmortem(author)
    incident = pm.incident
    with CaptureQueriesContext(connection) as queries:
        incident_update(incident=incident, actor=author, status="resolved")
    assert len(_search_statements(queries)) == 1
    assert not [q for q in queries.captured_queries if "postmortems_postmortem" in q["sql"]]
    assert SearchEntry.objects.get(kind="incident", object_id=incident.pk).status == "resolved"


def test_what_the_incident_lends_reaches_its_postmortem_and_items(author: Any) -> None:
    pm = make_postmortem(author)
    incident = pm.incident
    incident_update(incident=incident, actor=author, severity="SEV1", services=["payments"])
    entries = SearchEntry.objects.filter(incident=incident)
    assert {e.kind for e in entries} == {"incident", "postmortem", "action"}
    assert {e.severity for e in entries} == {"SEV1"}
    assert all(",payments," in e.services_index for e in entries)


def test_a_missing_entry_is_written_whole(author: Any) -> None:
    incident = make_incident(author, title="Queue backlog")
    SearchEntry.objects.filter(kind="incident", object_id=incident.pk).delete()
    incident_update(incident=incident, actor=author, status="resolved")
    entry = SearchEntry.objects.get(kind="incident", object_id=incident.pk)
    assert entry.title == f"{incident.key} Queue backlog" and entry.status == "resolved"
