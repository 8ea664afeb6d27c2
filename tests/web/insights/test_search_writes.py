"""An incident's save keeps its search entries current, and its postmortem's only when needed."""

from __future__ import annotations

from typing import Any

from nofault.web.incidents.services import incident_update
from nofault.web.search.models import SearchEntry
from tests.web.factories import make_incident, make_postmortem


def test_a_new_incident_has_its_entry(author: Any) -> None:
    incident = make_incident(author, title="Checkout latency", services=["checkout"])
    entry = SearchEntry.objects.get(kind="incident", object_id=incident.pk)
    assert entry.title == f"{incident.key} Checkout latency"
    assert entry.services_index == ",checkout," and entry.status == incident.status


def test_a_status_change_leaves_the_postmortem_entry_alone(author: Any) -> None:
    pm = make_postmortem(author)
    incident = pm.incident
    # A mark a rewrite of the postmortem's entry would wipe out.
    SearchEntry.objects.filter(kind="postmortem", object_id=pm.pk).update(body="as it was")
    incident_update(incident=incident, actor=author, status="resolved")
    assert SearchEntry.objects.get(kind="incident", object_id=incident.pk).status == "resolved"
    # The postmortem's entry shows nothing of the incident's status: it is not rewritten.
    assert SearchEntry.objects.get(kind="postmortem", object_id=pm.pk).body == "as it was"


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
