"""What one webhook delivery costs the database, and the account kept between deliveries."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import connection
from django.db.models.signals import post_delete
from django.test import Client
from django.test.utils import CaptureQueriesContext

from nofault.web.accounts.models import User
from nofault.web.incidents.models import Incident
from nofault.web.incidents.services import incident_update
from nofault.web.integrations import services
from nofault.web.integrations.models import DeliveryStatus, WebhookDelivery
from nofault.web.reviews.services import review_due_date
from nofault.web.search.models import SearchEntry

from . import burst

# What a delivery costs the database, in statements (savepoints left out): a figure to keep,
# not a text to match. A new incident takes its key from a sequence on PostgreSQL (SQLite: the
# highest key and id) and reads the review policy in force for its due date.
CREATE_STATEMENTS = {"postgresql": 10, "sqlite": 12}
RESOLVE_STATEMENTS = {"postgresql": 7, "sqlite": 7}


@contextmanager
def disconnected(signal: Any, receiver: Any, sender: Any, uid: str) -> Iterator[None]:
    """The receiver is not called inside the block."""
    signal.disconnect(receiver, sender=sender, dispatch_uid=uid)
    try:
        yield
    finally:
        signal.connect(receiver, sender=sender, dispatch_uid=uid)


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


@pytest.mark.django_db
def test_a_resent_delivery_reads_once_and_stores_itself(send: Any) -> None:
    send(burst.delivery(1, resolved=False))
    answer, statements = send(burst.delivery(1, resolved=False))
    assert answer["status"] == DeliveryStatus.DUPLICATE
    # One read (applied before? the alert group and its incident, locked); the delivery.
    assert len(statements) == 2, statements
    stored = WebhookDelivery.objects.get(pk=answer["delivery"])
    assert stored.status == DeliveryStatus.DUPLICATE and stored.incident_keys == answer["incidents"]


@pytest.mark.django_db
def test_a_resolve_changes_its_incident_and_alert_group(send: Any) -> None:
    first, _ = send(burst.delivery(7, resolved=False))
    answer, statements = send(burst.delivery(7, resolved=True))
    assert answer["incidents"] == first["incidents"]
    # Read (applied before? the group and its incident, locked), the incident, its search
    # entry, the data version, the group and the delivery: one statement each.
    assert len(statements) == RESOLVE_STATEMENTS[connection.vendor], statements
    incident = Incident.objects.get(key=answer["incidents"][0])
    assert incident.status == "resolved" and incident.resolved_at is not None
    group = incident.alert_group
    assert group.state["status"] == "resolved"
    stored = WebhookDelivery.objects.get(pk=answer["delivery"])
    assert stored.status == DeliveryStatus.PROCESSED and stored.incident_keys == [incident.key]


@pytest.mark.django_db
def test_a_new_incident_gets_its_group_due_date_and_search_entry(send: Any) -> None:
    send(burst.delivery(9, resolved=False))  # the webhooks' account exists from here on
    answer, statements = send(burst.delivery(8, resolved=False))
    assert len(statements) == CREATE_STATEMENTS[connection.vendor], statements
    incident = Incident.objects.get(key=answer["incidents"][0])
    assert incident.alert_group.episode == 0
    assert incident.postmortem_due == review_due_date(severity=incident.severity,
                                                      since=incident.created_at)  # fmt: skip
    entry = SearchEntry.objects.get(kind="incident", object_id=incident.pk)
    assert entry.title.startswith(incident.key) and entry.status == incident.status


@pytest.mark.django_db
def test_an_incident_save_keeps_its_search_entry_current(send: Any) -> None:
    answer, _ = send(burst.delivery(2, resolved=False))
    key = answer["incidents"][0]
    answer, _ = send(burst.delivery(2, resolved=True))
    assert answer["incidents"] == [key]
    entry = SearchEntry.objects.get(kind="incident", object_id=Incident.objects.get(key=key).pk)
    assert entry.status == "resolved" and entry.title.startswith(key)


def _two_new_incidents(send: Any) -> tuple[int, int]:
    """The statements of two deliveries that each open an incident, the account existing."""
    send(burst.delivery(3, resolved=False))  # the webhooks' account exists from here on
    services.system_actor_forget()
    _, first = send(burst.delivery(10, resolved=False))
    _, second = send(burst.delivery(11, resolved=False))
    return len(first), len(second)


@pytest.mark.django_db
def test_the_account_is_not_kept_before_a_commit(send: Any) -> None:
    first, second = _two_new_incidents(send)
    # The test's transaction never commits (a rollback could take the account away): each
    # delivery looks the account up.
    assert second == first


@pytest.mark.django_db(transaction=True)
def test_the_account_is_kept_once_committed(send: Any) -> None:
    first, second = _two_new_incidents(send)
    assert second == first - 1  # the second delivery does not look the account up


@pytest.mark.django_db(transaction=True)
def test_a_kept_account_deleted_meanwhile_is_looked_up_again(send: Any) -> None:
    send(burst.delivery(4, resolved=False))
    kept = User.objects.get(username=services.SYSTEM_USERNAME)
    # As if another process deleted it: this process is not told.
    with disconnected(
        post_delete, services.system_actor_forget, User, "integrations-actor-deleted"
    ):
        User.objects.filter(pk=kept.pk).delete()
    answer, _ = send(burst.delivery(5, resolved=False))
    assert answer["status"] == DeliveryStatus.PROCESSED
    assert Incident.objects.get(key=answer["incidents"][0]).created_by.pk != kept.pk
    assert not WebhookDelivery.objects.filter(status=DeliveryStatus.FAILED).exists()


@pytest.mark.django_db(transaction=True)
def test_a_deleted_account_is_forgotten_at_once(send: Any) -> None:
    send(burst.delivery(6, resolved=False))  # the account is kept from here on
    User.objects.get(username=services.SYSTEM_USERNAME).delete()
    answer, statements = send(burst.delivery(12, resolved=False))
    assert Incident.objects.get(key=answer["incidents"][0]).created_by.username == (
        services.SYSTEM_USERNAME
    )
    User.objects.get(username=services.SYSTEM_USERNAME).delete()
    services.system_actor_forget()
    _, forgotten = send(burst.delivery(13, resolved=False))
    # Created again at once, as when told to forget it: no attempt with the deleted one first.
    assert len(statements) == len(forgotten)


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
