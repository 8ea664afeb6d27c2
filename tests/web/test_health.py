"""/readyz checks the database, the migrations and the worker heartbeat; /metrics answers
Prometheus' text format to the bearer of the metrics token only."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from nofault.web.integrations.models import DeliveryStatus, WebhookDelivery
from nofault.web.postmortems.linting import postmortem_lint
from nofault.web.worker.models import WorkerHeartbeat
from nofault.web.worker.tasks import enqueue

TOKEN = "a-metrics-token-long-enough"


@pytest.fixture
def metrics_on(settings: Any) -> None:
    settings.NOFAULT_METRICS_TOKEN = TOKEN


def _samples(body: bytes) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    found = {}
    for family in text_string_to_metric_families(body.decode()):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


@pytest.mark.django_db
def test_readyz_fails_without_a_recent_worker_and_passes_with_one(client: Client) -> None:
    WorkerHeartbeat.objects.create(worker="old", seen_at=timezone.now() - timedelta(hours=1))
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["migrations"] == "ok"
    assert body["checks"]["worker"].startswith("no worker seen")
    WorkerHeartbeat.objects.create(worker="new", seen_at=timezone.now())
    response = client.get("/readyz")
    assert response.status_code == 200, response.json()


@pytest.mark.django_db
def test_readyz_can_leave_the_worker_out(client: Client, settings: Any) -> None:
    settings.NOFAULT_WORKER_STALE_SECONDS = 0
    response = client.get("/readyz")
    assert response.status_code == 200
    assert "worker" not in response.json()["checks"]


@pytest.mark.django_db
def test_metrics_are_off_without_a_token(client: Client) -> None:
    assert client.get("/metrics").status_code == 404


@pytest.mark.django_db
@pytest.mark.usefixtures("metrics_on")
def test_metrics_refuse_a_missing_or_wrong_token(client: Client) -> None:
    assert client.get("/metrics").status_code == 401
    wrong = client.get("/metrics", HTTP_AUTHORIZATION="Bearer not-the-token-at-all")
    assert wrong.status_code == 401
    assert client.get("/metrics", HTTP_AUTHORIZATION=f"Basic {TOKEN}").status_code == 401


@pytest.mark.django_db
@pytest.mark.usefixtures("metrics_on")
def test_metrics_count_deliveries_queue_and_requests(client: Client) -> None:
    for source, status in [
        ("pagerduty", DeliveryStatus.PROCESSED),
        ("pagerduty", DeliveryStatus.PROCESSED),
        ("grafana", DeliveryStatus.UNAPPLIED),
    ]:
        WebhookDelivery.objects.create(source=source, status=status, body=b"{}")
    enqueue("reviews.remind", key="remind-now")
    client.get("/healthz")
    lints = ("nofault_lint_seconds_count", ())
    before = _samples(client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").content)
    postmortem_lint(source="# Database outage\n\n## Summary\n\nThe primary failed over.\n")
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    found = _samples(response.content)
    deliveries = "nofault_webhook_deliveries"
    assert found[(deliveries, (("result", "processed"), ("source", "pagerduty")))] == 2
    assert found[(deliveries, (("result", "unapplied"), ("source", "grafana")))] == 1
    assert found[("nofault_webhook_deliveries_unapplied", ())] == 1
    assert found[("nofault_queue_depth", ())] == 1
    assert found[("nofault_task_failures", ())] == 0
    assert found[("nofault_action_items_overdue", ())] == 0
    healthz = (("method", "GET"), ("route", "healthz"), ("status", "2xx"))
    assert found[("nofault_request_seconds_count", healthz)] >= 1
    assert found[lints] == before[lints] + 1


@pytest.mark.django_db
@pytest.mark.usefixtures("metrics_on")
def test_metrics_count_reviews_and_action_items_overdue(client: Client, author: Any) -> None:
    from nofault.web.actions.models import ActionItem
    from nofault.web.incidents.models import Incident
    from tests.web.factories import make_postmortem

    pm = make_postmortem(author)
    past = timezone.localdate() - timedelta(days=3)
    Incident.objects.filter(pk=pm.incident_id).update(postmortem_due=past)
    item = ActionItem.objects.filter(postmortem=pm).first()
    assert item is not None
    ActionItem.objects.filter(pk=item.pk).update(due=past, status="open")
    found = _samples(client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").content)
    assert found[("nofault_reviews", (("state", "overdue"),))] == 1
    assert found[("nofault_action_items_overdue", ())] == 1
