"""A new postmortem starts from what nofault knows: the incident's facts and its alerts."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from django.test import Client, override_settings

from nofault.core.markdown import parse_text
from nofault.web.incidents.models import Incident
from nofault.web.postmortems.models import Postmortem
from tests.integrations.conftest import PAYLOADS
from tests.web.factories import make_incident

pytestmark = pytest.mark.django_db

VECTORS = json.loads((PAYLOADS / "pagerduty/signature_vectors.json").read_text())
PD_SECRET = VECTORS["vectors"][2]["secret"]
SIGNATURES = {
    v["body_file"]: v["X-PagerDuty-Signature"]
    for v in VECTORS["vectors"]
    if v["expected_valid"] and v["secret"] == PD_SECRET
}


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _start(author: Any, incident: Incident) -> Postmortem:
    assert _client(author).post(f"/postmortems/new/{incident.key}/").status_code == 302
    return Postmortem.objects.get(incident=incident)


def _timeline(pm: Postmortem) -> list[Any]:
    doc = parse_text(pm.source).postmortem
    return list(doc.timeline)


@override_settings(NOFAULT_INTEGRATIONS={"sources": {"pagerduty": {"secrets": [PD_SECRET]}}})
def test_a_paged_incident_gets_its_times_services_and_alert_timeline(author: Any) -> None:
    # The resolve arrives before the acknowledgement: the rows are in the alerts' own order.
    for name in ("incident.triggered.json", "incident.resolved.json", "incident.acknowledged.json"):
        raw = (PAYLOADS / "pagerduty" / name).read_bytes()
        response = Client().post(
            "/webhooks/pagerduty",
            data=raw,
            content_type="application/json",
            HTTP_X_PAGERDUTY_SIGNATURE=SIGNATURES[name],
        )
        assert response.status_code == 202, response.content
    incident = Incident.objects.get()
    pm = _start(author, incident)
    doc = parse_text(pm.source).postmortem
    assert doc.started_at == incident.started_at and doc.started_at is not None
    assert doc.resolved_at == incident.resolved_at
    assert doc.detected_at is not None  # the alert that fired: nofault knew it
    assert doc.services == incident.services == ["Webhook Tester"]
    rows = _timeline(pm)
    texts = [row.text for row in rows]
    assert [t.split(":")[0].split(" by ")[0] for t in texts] == [
        "Alert triggered",
        "Alert acknowledged",
        "Alert resolved",
    ]
    assert all(row.source == "prefilled: pagerduty" for row in rows)
    assert all(row.time.endswith(" UTC") for row in rows)
    times = [datetime.strptime(r.time, "%Y-%m-%d %H:%M UTC").replace(tzinfo=UTC) for r in rows]
    assert times == sorted(times)
    assert "DEP107" not in {f["code"] for f in pm.findings}


def test_an_incident_created_by_hand_gets_what_it_has(author: Any) -> None:
    started = datetime(2026, 3, 4, 9, 30, tzinfo=UTC)
    bare = make_incident(author, title="Slow search", severity="SEV2")
    timed = make_incident(
        author,
        title="Checkout errors",
        severity="SEV2",
        services=["checkout"],
        started_at=started,
    )
    assert _timeline(_start(author, bare)) == []
    pm = _start(author, timed)
    doc = parse_text(pm.source).postmortem
    assert doc.started_at == started and doc.services == ["checkout"]
    (row,) = _timeline(pm)
    assert (row.time, row.text, row.source) == (
        "2026-03-04 09:30 UTC",
        "Incident started",
        "prefilled: incident",
    )
