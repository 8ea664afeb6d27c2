"""The figures rows kept by the signal receivers equal the rows computed afresh, after any save."""

from __future__ import annotations

import io
import threading
from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.utils import timezone

from nofault.web.actions.models import ActionItem
from nofault.web.incidents import services as incident_services
from nofault.web.insights import facts
from nofault.web.insights.figures import figures_by_dimension
from nofault.web.insights.models import IncidentFacts
from nofault.web.postmortems import services as pm_services
from nofault.web.reviews.services import review_waive, review_waiver_withdraw
from tests.web.factories import make_incident, make_postmortem, make_sponsor, make_user
from tests.web.insights.conftest import publish
from tests.web.insights.test_figures import _core

pytestmark = pytest.mark.django_db


def _rows() -> dict[int, tuple[Any, ...]]:
    """Every figures row, as the columns the model declares."""
    names = [f.attname for f in IncidentFacts._meta.concrete_fields]
    return {row[0]: row for row in IncidentFacts.objects.order_by("pk").values_list(*names)}


def _assert_kept() -> None:
    """The rows the receivers kept are those the full statement computes from the rows now."""
    kept = _rows()
    facts.facts_rebuild()
    assert kept == _rows()


def _assert_figures_equal_the_cores(user: Any) -> None:
    today = timezone.localdate()
    expected = _core(user, None, today)
    got = figures_by_dimension(user=user, since=None, until=today, today=today)
    for dim, groups in expected.items():
        assert {k: m.as_dict() for k, m in got[dim].items()} == {
            k: m.as_dict() for k, m in groups.items()
        }, dim


def test_every_kind_of_save_keeps_its_part(author: Any) -> None:
    now = timezone.now()
    admin, facilitator = make_user("admin"), make_user("facilitator")
    incident = make_incident(author, title="Checkout errors", severity="SEV2",
                             services=["checkout", "payments", "checkout"],
                             started_at=now - timedelta(hours=5, seconds=9),
                             detected_at=now - timedelta(hours=4),
                             resolved_at=now - timedelta(hours=1))  # fmt: skip
    _assert_kept()
    incident_services.incident_update(incident=incident, actor=author, severity="SEV1",
                                      services=[], mitigated_at=now - timedelta(hours=3),
                                      restricted=True)  # fmt: skip
    _assert_kept()
    pm = make_postmortem(author, incident)  # written, with two action items
    assert IncidentFacts.objects.get(pk=incident.pk).actions == 2
    _assert_kept()
    pm = publish(pm, author)
    row = IncidentFacts.objects.get(pk=incident.pk)
    assert row.published and row.published_day is not None and row.blame_published is not None
    _assert_kept()
    item = ActionItem.objects.filter(postmortem=pm).order_by("key").first()
    assert item is not None
    pm = pm_services.postmortem_action_status_set(postmortem=pm, actor=author, key=item.key,
                                                  status="done")  # fmt: skip
    row = IncidentFacts.objects.get(pk=incident.pk)
    assert row.actions_done == 1 and row.close_count == 1
    _assert_kept()
    _assert_figures_equal_the_cores(admin)

    bare = make_incident(author, title="Queue backlog", severity="SEV4")
    review_waive(incident=bare, actor=make_sponsor(facilitator), reason="A planned drill.")
    assert IncidentFacts.objects.get(pk=bare.pk).waived
    _assert_kept()
    review_waiver_withdraw(incident=bare, actor=facilitator)
    assert not IncidentFacts.objects.get(pk=bare.pk).waived
    _assert_kept()
    _assert_figures_equal_the_cores(author)  # a member of both

    pm.delete()  # its items go first, then the postmortem
    row = IncidentFacts.objects.get(pk=incident.pk)
    assert row.postmortem_id is None and row.actions == 0 and row.team == "unknown"
    _assert_kept()
    incident.delete()
    assert not IncidentFacts.objects.filter(pk=incident.pk).exists()
    _assert_kept()


def test_rows_loaded_in_bulk_are_filled_on_the_first_figures(author: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(facts, "FILL_CHUNK", 2)  # several chunks
    make_postmortem(author)
    make_postmortem(author)
    make_incident(author)
    computed = _rows()
    IncidentFacts.objects.all().delete()  # as after a bulk load that bypassed the services
    _assert_figures_equal_the_cores(make_user("admin"))
    assert _rows() == computed


def test_a_row_missing_for_an_older_incident_is_written_whole_on_its_save(author: Any) -> None:
    pm = make_postmortem(author)
    IncidentFacts.objects.filter(pk=pm.incident_id).delete()
    incident_services.incident_update(incident=pm.incident, actor=author, status="resolved")
    assert IncidentFacts.objects.get(pk=pm.incident_id).postmortem_id == pm.pk
    _assert_kept()


def test_the_refresh_command_rewrites_every_row(author: Any) -> None:
    pm = make_postmortem(author)
    computed = _rows()
    IncidentFacts.objects.filter(pk=pm.incident_id).update(team="stale", actions=99)
    call_command("insights_refresh", "--facts", stdout=io.StringIO())
    assert _rows() == computed


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_racing_writers_of_one_incident_leave_its_row_right() -> None:
    """An incident saved and its action items saved at the same time, in two transactions.

    The item writer holds the postmortem while the incident writer holds the incident; each
    rewrites only its part, so whichever commits last keeps the other's columns.
    """
    author = make_user("author")
    pm = make_postmortem(author)
    item = ActionItem.objects.filter(postmortem=pm).order_by("key").first()
    assert item is not None
    started, failure = threading.Event(), []

    def incident_writer() -> None:
        try:
            with transaction.atomic():
                incident_services.incident_update(incident=pm.incident, actor=author,
                                                  severity="SEV1", services=["search"])  # fmt: skip
                started.set()
                # Commit only once the other writer has written its part of the same row.
                assert finished.wait(timeout=10)
        except BaseException as exc:  # reported by the assertion below
            failure.append(exc)
            started.set()
        finally:
            connections.close_all()

    finished = threading.Event()
    thread = threading.Thread(target=incident_writer)
    thread.start()
    assert started.wait(timeout=10)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '5s'")
        item.status = "done"
        item.closed_at = timezone.now()
        threading.Timer(0.5, finished.set).start()  # lets the incident writer commit meanwhile
        item.save(update_fields=["status", "closed_at"])
    thread.join(timeout=10)
    assert not failure, failure
    row = IncidentFacts.objects.get(pk=pm.incident_id)
    assert (row.severity, row.services, row.actions_done) == ("SEV1", ["search"], 1)
    _assert_kept()
