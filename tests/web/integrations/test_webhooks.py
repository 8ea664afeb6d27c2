"""Webhooks through real HTTP to the running app: stored before the 2xx, idempotent, order-proof."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import httpx
import pytest
from django.core.cache import cache

from nofault.web.incidents.models import Incident
from nofault.web.integrations.models import (
    AlertGroup,
    DeliveryStatus,
    RejectedDeliveryCount,
    WebhookDelivery,
)
from nofault.web.integrations.services import delivery_process_pending
from tests.integrations.conftest import PAYLOADS

VECTORS = json.loads((PAYLOADS / "pagerduty/signature_vectors.json").read_text())
PD_SECRET = VECTORS["vectors"][2]["secret"]
SIGNATURES = {
    v["body_file"]: v["X-PagerDuty-Signature"]
    for v in VECTORS["vectors"]
    if v["expected_valid"] and v["secret"] == PD_SECRET
}


@pytest.fixture
def app(live_server: Any, settings: Any) -> str:
    settings.NOFAULT_INTEGRATIONS = {
        "sources": {
            "pagerduty": {"secrets": [PD_SECRET]},
            "alertmanager": {"token": "am-token"},
            "grafana": {"token": "gf-token"},
            "opsgenie": {"header": "X-Nofault-Token", "token": "og-token"},
            "squadcast": {"header": "X-Nofault-Token", "token": "sq-token"},
            "rootly": {"secrets": ["rootly-secret"]},
        }
    }
    # The server's first request loads the whole URLconf (seconds on a busy machine): not
    # inside a delivery's timeout.
    httpx.get(f"{live_server.url}/healthz", timeout=120)
    return str(live_server.url)


def post(app: str, source: str, body: bytes, **headers: str) -> httpx.Response:
    return httpx.post(
        f"{app}/webhooks/{source}",
        content=body,
        headers={"Content-Type": "application/json", **headers},
    )


def pd(app: str, name: str, **extra: str) -> httpx.Response:
    raw = (PAYLOADS / "pagerduty" / name).read_bytes()
    return post(app, "pagerduty", raw, **{"X-PagerDuty-Signature": SIGNATURES[name], **extra})


def am(app: str, data: dict[str, Any]) -> httpx.Response:
    return post(app, "alertmanager", json.dumps(data).encode(), Authorization="Bearer am-token")


@pytest.mark.django_db(transaction=True)
def test_pagerduty_lifecycle_in_shuffled_order_with_duplicates(app: str) -> None:
    names = [
        "incident.triggered.json",
        "incident.acknowledged.json",
        "incident.resolved.json",
        "incident.annotated.json",
        "pagey.ping.json",
    ]
    order = names + names[:3]
    random.Random(7).shuffle(order)
    for name in order:
        response = pd(app, name)
        assert response.status_code == 202, response.text
    incident = Incident.objects.get()
    assert incident.source == "pagerduty" and incident.external_id == "Q2CKYRLH85UNN4"
    assert incident.status == "resolved" and incident.title == "Test"
    assert incident.severity == "SEV4" and incident.services == ["Webhook Tester"]
    assert incident.resolved_at is not None and incident.started_at is not None
    assert incident.postmortem_due is not None
    statuses = set(WebhookDelivery.objects.values_list("status", flat=True))
    assert statuses <= {DeliveryStatus.PROCESSED, DeliveryStatus.DUPLICATE, DeliveryStatus.IGNORED}
    assert WebhookDelivery.objects.count() == len(order)


@pytest.mark.django_db(transaction=True)
def test_every_incident_payload_becomes_an_incident(app: str) -> None:
    for name in ("alertmanager/firing.json",):
        assert am(app, json.loads((PAYLOADS / name).read_text())).status_code == 202
    grafana = (PAYLOADS / "grafana/firing.json").read_bytes()
    assert post(app, "grafana", grafana, Authorization="Bearer gf-token").status_code == 202
    opsgenie = (PAYLOADS / "opsgenie/create.docs-example.json").read_bytes()
    assert post(app, "opsgenie", opsgenie, **{"X-Nofault-Token": "og-token"}).status_code == 202
    for kind in ("triggered", "acknowledged", "resolved"):
        raw = (PAYLOADS / f"squadcast/incident.{kind}.json").read_bytes()
        assert post(app, "squadcast", raw, **{"X-Nofault-Token": "sq-token"}).status_code == 202
    assert sorted(Incident.objects.values_list("source", flat=True)) == [
        "alertmanager",
        "grafana",
        "opsgenie",
        "squadcast",
    ]
    assert Incident.objects.get(source="alertmanager").severity == "SEV1"
    assert Incident.objects.get(source="squadcast").status == "resolved"


@pytest.mark.django_db(transaction=True)
def test_resolve_before_trigger_and_a_later_refire_is_a_new_incident(app: str) -> None:
    firing = json.loads((PAYLOADS / "alertmanager/firing.json").read_text())
    resolved = json.loads(json.dumps(firing))
    resolved["status"] = "resolved"
    for alert in resolved["alerts"]:
        alert["status"] = "resolved"
        alert["endsAt"] = "2020-02-06T01:00:00Z"
    assert am(app, resolved).status_code == 202
    assert am(app, firing).status_code == 202
    incident = Incident.objects.get()
    assert incident.status == "resolved"
    refire = json.loads(json.dumps(firing))
    for alert in refire["alerts"]:
        alert["startsAt"] = "2020-03-01T00:00:00Z"
    assert am(app, refire).status_code == 202
    assert Incident.objects.count() == 2
    assert list(AlertGroup.objects.order_by("episode").values_list("episode", flat=True)) == [0, 1]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("source", "body", "headers", "status", "reason"),
    [
        ("pagerduty", b'{"event": {}}', {"X-PagerDuty-Signature": "v1=" + "0" * 64}, 401,
         "unauthenticated"),
        ("pagerduty", b"{}", {}, 400, "malformed_header"),
        ("alertmanager", b"{}", {"Authorization": "Bearer wrong"}, 401, "unauthenticated"),
        ("alertmanager", b"x" * (600 * 1024), {"Authorization": "Bearer am-token"}, 413,
         "body_too_large"),
    ],
)  # fmt: skip
def test_unauthenticated_deliveries_get_a_4xx_and_are_counted_not_stored(
    app: str, source: str, body: bytes, headers: dict[str, str], status: int, reason: str
) -> None:
    for _ in range(2):
        response = post(app, source, body, **headers)
        assert response.status_code == status
        assert response.json()["reason"] == reason
    assert not WebhookDelivery.objects.exists()
    counted = RejectedDeliveryCount.objects.get()
    assert (counted.source, counted.reason, counted.count) == (source, reason, 2)
    assert counted.last_client == "127.0.0.1" and counted.last_detail
    assert Incident.objects.count() == 0


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"{not json", "malformed_body"),
        (b'{"version": "4"}', "wrong_shape: groupKey"),
        (b"[" * 100_000 + b"]" * 100_000, "malformed_body: the body's JSON is nested too deeply"),
        (b'{"a":' * 50_000 + b"1" + b"}" * 50_000, "malformed_body"),
    ],
)
def test_an_authenticated_delivery_that_cannot_be_read_is_stored_unapplied_with_its_reason(
    app: str, body: bytes, reason: str
) -> None:
    response = post(app, "alertmanager", body, Authorization="Bearer am-token")
    assert response.status_code == 202, response.text
    assert response.json()["status"] == "unapplied"
    kept = WebhookDelivery.objects.get()
    assert kept.status == DeliveryStatus.UNAPPLIED and kept.reason.startswith(reason)
    assert bytes(kept.body) == body
    assert Incident.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_deeply_nested_json_from_an_unauthenticated_sender_is_a_4xx(app: str) -> None:
    nested = b"[" * 100_000 + b"]" * 100_000
    response = post(app, "alertmanager", nested, Authorization="Bearer wrong")
    assert response.status_code == 401
    pd_nested = post(app, "pagerduty", nested, **{"X-PagerDuty-Signature": "v1=00"})
    assert pd_nested.status_code == 401
    assert not WebhookDelivery.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_refused_senders_are_rate_limited_per_source_and_address_but_genuine_ones_are_not(
    app: str, settings: Any
) -> None:
    settings.NOFAULT_INTEGRATIONS = {**settings.NOFAULT_INTEGRATIONS, "rejected_per_minute": 3}
    cache.clear()
    answers = [post(app, "grafana", b"{}", Authorization="Bearer no").status_code for _ in range(5)]
    assert answers == [401, 401, 401, 429, 429]
    assert RejectedDeliveryCount.objects.get().count == 3  # past the limit: not even counted
    # Another source from the same address has its own limit; a genuine sender is never limited.
    assert post(app, "alertmanager", b"{}", Authorization="Bearer no").status_code == 401
    firing = (PAYLOADS / "grafana/firing.json").read_bytes()
    assert post(app, "grafana", firing, Authorization="Bearer gf-token").status_code == 202
    assert Incident.objects.filter(source="grafana").count() == 1


@pytest.mark.django_db(transaction=True)
def test_unknown_source_is_not_found(app: str) -> None:
    assert post(app, "nosuchtool", b"{}").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_unconfigured_source_is_refused(app: str, settings: Any) -> None:
    settings.NOFAULT_INTEGRATIONS = {"sources": {}}
    response = pd(app, "incident.triggered.json")
    assert response.status_code == 403 and response.json()["reason"] == "source_disabled"
    assert not WebhookDelivery.objects.exists()  # anyone can send it: counted, not stored
    assert RejectedDeliveryCount.objects.get().reason == "source_disabled"


@pytest.mark.django_db(transaction=True)
def test_a_delivery_stored_but_not_applied_is_applied_later(app: str) -> None:
    raw = (PAYLOADS / "pagerduty/incident.triggered.json").read_bytes()
    WebhookDelivery.objects.create(source="pagerduty", delivery_id="x", body=raw)
    assert delivery_process_pending() == 1
    assert Incident.objects.get().external_id == "Q2CKYRLH85UNN4"
    assert delivery_process_pending() == 0


def test_payloads_are_read_from_shared_not_copied() -> None:
    repo = Path(__file__).resolve().parents[3]
    assert not list(repo.glob("tests/**/signature_vectors.json"))


@pytest.mark.django_db(transaction=True)
def test_huge_and_many_service_names_are_cut_to_fit_the_incident(app: str) -> None:
    firing = json.loads((PAYLOADS / "alertmanager/firing.json").read_text())
    alert = firing["alerts"][0]
    firing["alerts"] = [
        {**alert, "fingerprint": str(n), "labels": {**alert["labels"], "service": f"{n}" * 5000}}
        for n in range(20)
    ]
    assert am(app, firing).status_code == 202
    incident = Incident.objects.get()
    assert incident.services and all(len(s) <= 100 for s in incident.services)
    assert len(incident.services_index) <= 1000


@pytest.mark.django_db(transaction=True)
def test_rootly_webhook_and_feed_over_http(app: str) -> None:
    from tests.integrations.test_sources import ROOTLY_FEED, rootly_signed, rootly_webhook

    created = rootly_webhook("incident.created")
    assert post(app, "rootly", created, **{"X-Rootly-Signature": "t=1,v1=00"}).status_code == 401
    assert (
        post(app, "rootly", created, **{"X-Rootly-Signature": rootly_signed(created)}).status_code
        == 202
    )
    incident = Incident.objects.get(source="rootly")
    assert incident.status == "triggered" and incident.severity == "SEV1"
    feed = (PAYLOADS / ROOTLY_FEED).read_bytes()
    assert (
        post(app, "rootly", feed, **{"X-Rootly-Signature": rootly_signed(feed)}).status_code == 202
    )
    resolved = rootly_webhook("incident.resolved", resolved_at="2025-10-26T22:00:00Z")
    assert (
        post(app, "rootly", resolved, **{"X-Rootly-Signature": rootly_signed(resolved)}).status_code
        == 202
    )
    incident.refresh_from_db()
    assert incident.status == "resolved" and Incident.objects.filter(source="rootly").count() == 1
