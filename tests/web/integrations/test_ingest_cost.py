"""What one webhook delivery costs the database, and the account kept between deliveries."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from nofault.web.accounts.models import User
from nofault.web.incidents.models import Incident
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


@pytest.mark.django_db
def test_a_resent_delivery_reads_twice_and_stores_itself(send: Any) -> None:
    send(burst.delivery(1, resolved=False))
    answer, statements = send(burst.delivery(1, resolved=False))
    assert answer["status"] == DeliveryStatus.DUPLICATE
    # Was it applied before; the alert group (and its incident, locked); the delivery.
    assert len(statements) == 3, statements
    assert not _search_writes(statements)


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
