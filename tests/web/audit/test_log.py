"""The audit log itself: append-only, admins only, filters, CSV, retention."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from nofault.web.audit.models import AppendOnlyError, AuditEvent
from nofault.web.audit.services import audit_prune, record
from nofault.web.choices import AuditAction


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_the_model_refuses_to_change_or_delete_an_event(admin: Any) -> None:
    event = record(admin, AuditAction.ROLE_CHANGE, admin, detail={"to": "admin"})
    event.detail = {"to": "viewer"}
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(detail={})
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.bulk_update([event], ["detail"])
    assert AuditEvent.objects.get(pk=event.pk).detail == {"to": "admin"}


def test_the_database_refuses_an_update_even_in_raw_sql(admin: Any) -> None:
    event = record(admin, AuditAction.PUBLISH, admin)
    table = AuditEvent._meta.db_table
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET actor_name = 'someone' WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).actor_name == admin.username


def test_retention_prunes_only_events_older_than_it(admin: Any, settings: Any) -> None:
    settings.NOFAULT_AUDIT_RETENTION_DAYS = 30
    now = timezone.now()
    old = AuditEvent.objects.create(action=AuditAction.LOGIN, at=now - timedelta(days=31))
    kept = AuditEvent.objects.create(action=AuditAction.LOGIN, at=now - timedelta(days=29))
    assert audit_prune() == 1
    remaining = set(AuditEvent.objects.values_list("pk", flat=True))
    assert old.pk not in remaining and kept.pk in remaining
    assert audit_prune(days=1) == 1  # the command's --days wins over the setting


def _rows(response: Any) -> list[dict[str, str]]:
    body = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(body)))


def test_csv_holds_the_filtered_events(admin: Any, author: Any) -> None:
    record(author, AuditAction.PUBLISH, ("postmortem", "7", "Checkout outage"))
    record(admin, AuditAction.ROLE_CHANGE, author, detail={"from": "viewer", "to": "author"})
    record(admin, AuditAction.PUBLISH, ("postmortem", "8", "Queue backlog"))
    old = AuditEvent.objects.create(
        action=AuditAction.PUBLISH, actor_name=admin.username, at=timezone.now() - timedelta(days=9)
    )
    page = _client(admin)
    since = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = page.get(
        "/audit/export.csv",
        {"actor": admin.username, "action": "postmortem.publish", "since": since},
    )
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = _rows(response)
    assert [(r["actor"], r["action"], r["target"]) for r in rows] == [
        (admin.username, "postmortem.publish", "Queue backlog")
    ]
    shouted = _rows(page.get("/audit/export.csv", {"actor": admin.username.upper()}))
    assert {r["actor"] for r in shouted} == {admin.username} and len(shouted) >= 3
    everything = _rows(page.get("/audit/export.csv"))
    assert {r["target"] for r in everything} >= {
        "Checkout outage",
        "Queue backlog",
        author.username,
    }
    assert str(old.at.date()) in {r["at"][:10] for r in everything}
    listing = page.get("/audit/", {"target_type": "user"}).content.decode()
    assert "Changed a role" in listing and "Queue backlog" not in listing


def test_a_bad_filter_is_a_400_naming_it(admin: Any) -> None:
    page = _client(admin)
    assert page.get("/audit/", {"since": "0001-01-01"}).status_code == 400
    assert page.get("/audit/export.csv", {"until": "nonsense"}).status_code == 400
    api = APIClient()
    api.force_authenticate(admin)
    refused = api.get("/api/audit/", {"since": "2026-02-01", "until": "2026-01-01"})
    assert refused.status_code == 400 and "until" in refused.json()["detail"]


def test_only_admins_see_or_export_the_log(
    admin: Any, facilitator: Any, viewer: Any, author: Any
) -> None:
    record(admin, AuditAction.GUIDE_CHANGE, ("guide", "1", "guide"))
    for person in (viewer, author, facilitator):
        page = _client(person)
        assert page.get("/audit/").status_code == 404
        assert page.get("/audit/export.csv").status_code == 404
        api = APIClient()
        api.force_authenticate(person)
        assert api.get("/api/audit/").status_code == 403
    assert Client().get("/audit/export.csv").status_code in (302, 404)
    assert APIClient().get("/api/audit/").status_code == 401
    api = APIClient()
    api.force_authenticate(admin)
    listed = api.get("/api/audit/", {"action": "guide.change"}).json()
    assert [e["actor"] for e in listed["results"]] == [admin.username]


def test_the_api_is_in_the_schema(admin: Any) -> None:
    api = APIClient()
    api.force_authenticate(admin)
    schema = api.get("/api/schema", {"format": "json"}).json()
    operation = schema["paths"]["/api/audit/"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"actor", "action", "since", "until"}
    assert set(schema["paths"]["/api/audit/"]) == {"get"}


@pytest.mark.postgresql
def test_postgresql_refuses_a_delete_outside_pruning(admin: Any) -> None:
    event = record(admin, AuditAction.LOGIN, admin)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditEvent._meta.db_table} WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_the_shell_and_the_worker_prune_past_the_retention(admin: Any) -> None:
    from typer.testing import CliRunner

    from nofault.cli.main import app as cli
    from nofault.web.worker.tasks import REGISTRY

    old = AuditEvent.objects.create(action=AuditAction.LOGIN, at=timezone.now() - timedelta(days=3))
    fresh = record(admin, AuditAction.LOGIN, admin)
    result = CliRunner().invoke(cli, ["audit", "prune", "--days", "2"])
    assert result.exit_code == 0 and "Deleted 1 audit event" in result.stdout
    assert list(AuditEvent.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert not AuditEvent.objects.filter(pk=old.pk).exists()
    spec = REGISTRY["audit.prune"]
    assert spec.every is not None and spec.run() == 0  # the year's retention keeps the rest
