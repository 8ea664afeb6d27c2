"""Unapplied deliveries: kept whole, shown to admins only, replayed by a button or from the shell."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from typer.testing import CliRunner

from nofault.cli.main import app as cli
from nofault.web.incidents.models import Incident
from nofault.web.integrations.models import (
    DeliveryStatus,
    RejectedDeliveryCount,
    WebhookDelivery,
)
from nofault.web.integrations.services import deliveries_prune, delivery_process_pending
from tests.integrations.conftest import PAYLOADS
from tests.web.factories import PASSWORD, make_user

PAGE = "/integrations/deliveries/unapplied/"
REPLAY = "/integrations/deliveries/unapplied/replay/"


@pytest.fixture
def configured(settings: Any) -> None:
    settings.NOFAULT_INTEGRATIONS = {"sources": {"squadcast": {"header": "X-Token", "token": "t"}}}


def kept(name: str, *, reason: str = "wrong_shape: data.resource_data.id is missing or unreadable",
         body: bytes | None = None) -> WebhookDelivery:  # fmt: skip
    """A delivery an older release acknowledged but could not read (its body is readable now)."""
    raw = body if body is not None else (PAYLOADS / "squadcast" / name).read_bytes()
    return WebhookDelivery.objects.create(
        source="squadcast", delivery_id=name, body=raw, status=DeliveryStatus.UNAPPLIED,
        http_status=202, reason=reason,
    )  # fmt: skip


def logged_in(role: str) -> Client:
    user = make_user(role)
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.mark.django_db
def test_an_unreadable_delivery_is_kept_and_a_replay_applies_it_once_readable(
    configured: None,
) -> None:
    body = json.loads((PAYLOADS / "squadcast/incident.triggered.json").read_text())
    body["data"]["resource_data"]["id"] = {"$oid": "633e670ae998089239c9f293"}
    answer = Client().post(
        "/webhooks/squadcast", json.dumps(body), content_type="application/json", HTTP_X_TOKEN="t"
    )
    assert answer.status_code == 202 and answer.json()["status"] == "unapplied"
    assert "data.resource_data.id" in answer.json()["reason"]
    stored = WebhookDelivery.objects.get()
    assert delivery_process_pending() == 0  # the cron run leaves it for a replay
    # An "upgrade": the same delivery as a release that reads the field would have stored it.
    upgraded = kept("incident.triggered.json")
    admin = logged_in("admin")
    page = admin.get(PAGE)
    assert page.status_code == 200 and f'href="{PAGE}"'.encode() in page.content  # in the nav
    assert b"data.resource_data.id is missing or unreadable" in page.content
    assert page.content.count(b'class="replay"') == 2
    admin.post(REPLAY, {"delivery": upgraded.pk})
    upgraded.refresh_from_db()
    assert upgraded.status == DeliveryStatus.PROCESSED
    assert Incident.objects.get().external_id == "633e670ae998089239c9f293"
    admin.post(REPLAY)  # all: the unreadable one stays, with its reason
    stored.refresh_from_db()
    assert stored.status == DeliveryStatus.UNAPPLIED and "resource_data.id" in stored.reason
    assert Incident.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["viewer", "author", "facilitator"])
def test_only_admins_see_or_replay_unapplied_deliveries(configured: None, role: str) -> None:
    delivery = kept("incident.triggered.json")
    client = logged_in(role)
    assert client.get(PAGE).status_code == 403
    assert client.post(REPLAY, {"delivery": delivery.pk}).status_code == 403
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.UNAPPLIED and not Incident.objects.exists()
    anonymous = Client().get(PAGE)
    assert anonymous.status_code in (302, 401, 403) and b"resource_data" not in anonymous.content


@pytest.mark.django_db
def test_a_bad_delivery_number_is_a_message_not_an_error(configured: None) -> None:
    admin = logged_in("admin")
    answer = admin.post(REPLAY, {"delivery": "²"}, follow=True)
    assert answer.status_code == 200 and b"No such delivery" in answer.content


@pytest.mark.django_db
def test_cli_replay_by_source_and_id(configured: None) -> None:
    triggered = kept("incident.triggered.json")
    resolved = kept("incident.resolved.json")
    unreadable = kept("x", body=b'{"event": {"type": "incident.triggered"}, "data": {}}')
    runner = CliRunner()
    other = runner.invoke(cli, ["deliveries", "replay", "--source", "pagerduty"])
    assert other.exit_code == 0 and "No unapplied deliveries" in other.output
    one = runner.invoke(cli, ["deliveries", "replay", "--id", str(triggered.pk)])
    assert one.exit_code == 0, one.output
    assert "Applied 1 of 1" in one.output
    resolved.refresh_from_db()
    assert resolved.status == DeliveryStatus.UNAPPLIED
    rest = runner.invoke(cli, ["deliveries", "replay", "--source", "squadcast"])
    assert rest.exit_code == 1 and "Applied 1 of 2; 1 still unapplied" in rest.output
    assert Incident.objects.get().status == "resolved"
    unreadable.refresh_from_db()
    assert unreadable.status == DeliveryStatus.UNAPPLIED and "resource_data.id" in unreadable.reason


@pytest.mark.django_db
def test_prune_keeps_what_is_not_applied_and_what_is_recent(settings: Any) -> None:
    settings.NOFAULT_INTEGRATIONS = {"delivery_retention_days": 30}
    old = timezone.now() - timedelta(days=31)
    for status in (DeliveryStatus.PROCESSED, DeliveryStatus.IGNORED, DeliveryStatus.UNAPPLIED,
                   DeliveryStatus.FAILED, DeliveryStatus.RECEIVED):  # fmt: skip
        WebhookDelivery.objects.create(source="squadcast", body=b"{}", status=status,
                                       received_at=old)  # fmt: skip
    recent = WebhookDelivery.objects.create(source="squadcast", body=b"{}",
                                            status=DeliveryStatus.PROCESSED)  # fmt: skip
    RejectedDeliveryCount.objects.create(source="squadcast", reason="unauthenticated",
                                         day=old.date(), count=5)  # fmt: skip
    RejectedDeliveryCount.objects.create(source="squadcast", reason="unauthenticated",
                                         day=timezone.now().date(), count=1)  # fmt: skip
    assert deliveries_prune() == (2, 1)
    left = set(WebhookDelivery.objects.values_list("status", flat=True))
    assert left == {"unapplied", "failed", "received", "processed"}
    assert WebhookDelivery.objects.filter(status="processed").get() == recent
    assert RejectedDeliveryCount.objects.get().count == 1
    result = CliRunner().invoke(cli, ["deliveries", "prune", "--days", "1"])
    assert result.exit_code == 0 and "Deleted 0 deliveries" in result.output


@pytest.mark.django_db
def test_a_wrong_retention_setting_is_named(settings: Any) -> None:
    settings.NOFAULT_INTEGRATIONS = {"delivery_retention_days": "forever"}
    with pytest.raises(ValueError, match="delivery_retention_days"):
        deliveries_prune()
