"""What one webhook delivery costs the database, and the account kept between deliveries."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from nofault.web.accounts.models import User
from nofault.web.incidents.models import Incident
from nofault.web.incidents.services import incident_update
from nofault.web.integrations import services
from nofault.web.integrations.models import DeliveryStatus, WebhookDelivery
from nofault.web.search.models import SearchEntry

from . import burst


@pytest.fixture
def send(settings: Any) -> Any:
    settings.NOFAULT_INTEGRATIONS = {"sources": {"alertmanager": {"token": burst.TOKEN}}}
    client = Client()

    def post(body: bytes) -> tuple[dict[str, Any], list[str]]:
        with CaptureQueriesContext(connection) as queries:
            answer = client.post("/webhooks/alertmanager", data=body,
                                 content_type="application/json",
                                 HTTP_AUTHORIZATION=f"Bearer {burst.TOKEN}")  # fmt: skip
        assert answer.status_code == 202, answer.content
        statements = [q["sql"] for q in queries.captured_queries
                      if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]  # fmt: skip
        return answer.json(), statements

    return post


def _search_writes(statements: list[str]) -> list[str]:
    return [s for s in statements if "search_searchentry" in s]


def _about(statements: list[str], table: str) -> list[str]:
    return [s for s in statements if table in s]


@pytest.mark.django_db
def test_a_resent_delivery_reads_once_and_stores_itself(send: Any) -> None:
    send(burst.delivery(1, resolved=False))
    answer, statements = send(burst.delivery(1, resolved=False))
    assert answer["status"] == DeliveryStatus.DUPLICATE
    # One read (applied before? the alert group and its incident, locked); the delivery.
    assert len(statements) == 2, statements
    assert not _search_writes(statements)
    stored = WebhookDelivery.objects.get(pk=answer["delivery"])
    assert stored.status == DeliveryStatus.DUPLICATE and stored.incident_keys == answer["incidents"]


@pytest.mark.django_db
def test_a_resolve_reads_its_incident_once_and_writes_only_what_changed(send: Any) -> None:
    first, _ = send(burst.delivery(7, resolved=False))
    answer, statements = send(burst.delivery(7, resolved=True))
    assert answer["incidents"] == first["incidents"]
    # The incident came with the read that locks its alert group: it is not loaded again.
    assert not [s for s in statements if s.startswith('SELECT "incidents_incident"')]
    updates = [s for s in statements if s.startswith('UPDATE "incidents_incident"')]
    assert len(updates) == 1, updates
    assert '"status"' in updates[0] and '"resolved_at"' in updates[0]
    assert '"title"' not in updates[0] and '"restricted"' not in updates[0]
    assert len(_about(statements, "integrations_alertgroup")) == 2  # read, and written once
    incident = Incident.objects.get(key=answer["incidents"][0])
    assert incident.status == "resolved" and incident.resolved_at is not None
    group = incident.alert_group
    assert group.state["status"] == "resolved"
    stored = WebhookDelivery.objects.get(pk=answer["delivery"])
    assert stored.status == DeliveryStatus.PROCESSED and stored.incident_keys == [incident.key]


@pytest.mark.django_db(transaction=True)
def test_a_new_incident_takes_no_savepoint_on_postgresql(settings: Any) -> None:
    settings.NOFAULT_INTEGRATIONS = {"sources": {"alertmanager": {"token": burst.TOKEN}}}
    client = Client()
    client.post("/webhooks/alertmanager", data=burst.delivery(9, resolved=False),
                content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {burst.TOKEN}")  # fmt: skip
    with CaptureQueriesContext(connection) as queries:
        answer = client.post("/webhooks/alertmanager", data=burst.delivery(8, resolved=False),
                             content_type="application/json",
                             HTTP_AUTHORIZATION=f"Bearer {burst.TOKEN}")  # fmt: skip
    assert answer.status_code == 202
    statements = [q["sql"] for q in queries.captured_queries]
    incident = Incident.objects.get(key=answer.json()["incidents"][0])
    assert incident.alert_group.episode == 0 and incident.postmortem_due is not None
    if connection.vendor == "postgresql":
        # The key and the review policy's stamp in one read; no savepoint around the create.
        assert not [s for s in statements if "SAVEPOINT" in s], statements
        assert len(_about(statements, "reviews_policysettings")) == 1
        assert len(_about(statements, "incidents_incident_key_seq")) == 1


@pytest.mark.django_db
def test_an_incident_save_writes_its_search_entry_in_one_statement(send: Any) -> None:
    answer, statements = send(burst.delivery(2, resolved=False))
    assert len(_search_writes(statements)) == 1
    key = answer["incidents"][0]
    answer, statements = send(burst.delivery(2, resolved=True))
    assert answer["incidents"] == [key]
    assert len(_search_writes(statements)) == 1, _search_writes(statements)
    assert not [s for s in statements if "postmortems_postmortem" in s]
    entry = SearchEntry.objects.get(kind="incident", object_id=Incident.objects.get(key=key).pk)
    assert entry.status == "resolved" and entry.title.startswith(key)


@pytest.mark.django_db
def test_the_account_is_kept_only_after_a_commit(send: Any) -> None:
    services.system_actor_forget()
    send(burst.delivery(3, resolved=False))
    # The test's transaction never commits: a rollback could still take the account away.
    assert services._system_actor_kept == {}


@pytest.mark.django_db(transaction=True)
def test_a_kept_account_deleted_meanwhile_is_looked_up_again(send: Any) -> None:
    send(burst.delivery(4, resolved=False))
    kept = services._system_actor_kept[connection.alias][1]
    assert kept.username == services.SYSTEM_USERNAME
    User.objects.filter(pk=kept.pk).delete()
    # As if another process deleted it: this one still holds the account.
    services._system_actor_kept[connection.alias] = (services.time.monotonic(), kept)
    answer, _ = send(burst.delivery(5, resolved=False))
    assert answer["status"] == DeliveryStatus.PROCESSED
    assert Incident.objects.get(key=answer["incidents"][0]).created_by.pk != kept.pk
    assert not WebhookDelivery.objects.filter(status=DeliveryStatus.FAILED).exists()


@pytest.mark.django_db(transaction=True)
def test_a_deleted_account_is_forgotten_at_once(send: Any) -> None:
    send(burst.delivery(6, resolved=False))
    assert services._system_actor_kept
    User.objects.get(username=services.SYSTEM_USERNAME).delete()
    assert services._system_actor_kept == {}


@pytest.mark.django_db
def test_an_incident_update_leaves_the_fields_it_does_not_name(send: Any) -> None:
    answer, _ = send(burst.delivery(19, resolved=False))
    held = Incident.objects.get(key=answer["incidents"][0])  # loaded before a person's change
    Incident.objects.filter(pk=held.pk).update(severity="SEV1", title="Renamed by a person")
    actor = User.objects.get(username=services.SYSTEM_USERNAME)
    incident_update(incident=held, actor=actor, status="resolved")
    stored = Incident.objects.get(pk=held.pk)
    assert stored.status == "resolved"
    assert stored.severity == "SEV1" and stored.title == "Renamed by a person"
