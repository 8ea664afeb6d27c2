"""An action item that falls overdue tells its owner and its postmortem's facilitator by
email (a real SMTP server), through the worker's scheduled task: once per item and due date,
however often the run repeats; a failed send is retried and sent once. A closed item, or one
overdue for longer than the window, tells nobody."""

from __future__ import annotations

import socket
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from nofault.web.actions.models import ActionItem
from nofault.web.actions.tasks import OVERDUE_TASK
from nofault.web.notifications.services import SEND_TASK, preference, preference_set
from nofault.web.postmortems import services as pm_services
from nofault.web.worker.models import Task, TaskStatus
from nofault.web.worker.runner import schedule_due, work
from nofault.web.worker.tasks import enqueue
from tests.web.factories import PASSWORD, SOURCE, make_incident, make_postmortem, make_user

# The worker closes its connection between tasks: no wrapping transaction (PostgreSQL).
pytestmark = pytest.mark.django_db(transaction=True)

SUBJECT = "Action item overdue: "


def _overdue(smtp: Any, address: str) -> list[str]:
    return [m.get_payload() for m in smtp.to(address) if str(m["Subject"]).startswith(SUBJECT)]


def _people() -> dict[str, Any]:
    people = {name: make_user("author", name) for name in ("alex", "sam", "fran")}
    for user in people.values():
        user.email = f"{user.username}@example.org"
        user.save()
    return people


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_an_overdue_item_tells_its_owner_and_facilitator_once_per_due_date(
    smtp: Any, settings: Any
) -> None:
    people = _people()
    due = timezone.localdate() - timedelta(days=2)
    incident = make_incident(people["alex"], title="Checkout errors")
    # A3 is done and A4 overdue for years (the reminders chase it): neither tells anyone.
    source = (
        SOURCE.format(key=incident.key, title="Checkout errors")
        .replace("  - alex\n---", "  - alex\nfacilitator: fran\n---")
        .replace("2020-01-01", due.isoformat())
        + f"| A3 | Add a runbook | mitigate | team-checkout | sam | {due} | done | F1 |  |\n"
        + "| A4 | Rotate the keys | repair | team-checkout | sam | 2021-01-01 | open | F1 |  |\n"
    )
    pm = make_postmortem(people["alex"], incident, source)
    assert ActionItem.objects.filter(postmortem=pm).count() == 4
    item = ActionItem.objects.get(postmortem=pm, key="A1")
    assert item.person == "alex" and item.is_overdue()

    # The worker's scheduler queues the run; the first sends fail (the mail server is away)
    # and stay queued with their error.
    port = settings.EMAIL_PORT
    settings.EMAIL_PORT = _closed_port()
    assert schedule_due() >= 1 and Task.objects.filter(name=OVERDUE_TASK).count() == 1
    work(burst=True, schedule=False)
    failed = Task.objects.filter(name=SEND_TASK, key__contains=f":{people['alex'].pk}:email")
    sends = [t for t in failed if t.status == TaskStatus.QUEUED and t.last_error]
    assert sends and _overdue(smtp, "alex@example.org") == []

    # Retried once the server is back: each person hears once.
    settings.EMAIL_PORT = port
    Task.objects.filter(name=SEND_TASK).update(run_after=timezone.now())
    work(burst=True, schedule=False)
    (told,) = _overdue(smtp, "alex@example.org")
    assert (
        f"A1 was due {due}" in told
        and "2 days overdue" in told
        and f"/postmortems/{pm.pk}/" in told
    )
    assert len(_overdue(smtp, "fran@example.org")) == 1
    assert _overdue(smtp, "sam@example.org") == []  # A2 is not due yet, A3 done, A4 too old

    # Runs again, and a run that lost its mark (stopped before writing it), send nothing more.
    enqueue(OVERDUE_TASK, key="again")
    ActionItem.objects.filter(pk=item.pk).update(overdue_told_for=None)
    enqueue(OVERDUE_TASK, key="and again")
    work(burst=True, schedule=False)
    assert len(_overdue(smtp, "alex@example.org")) == 1
    assert len(_overdue(smtp, "fran@example.org")) == 1

    # A new due date that passes too is a new overdue period; fran turned the notices off.
    preference_set(user=people["fran"], email=True, slack=False, slack_id="",
                   overdue_as_facilitator=False)  # fmt: skip
    pm.refresh_from_db()
    later = due + timedelta(days=1)
    pm_services.postmortem_save(
        postmortem=pm,
        actor=people["alex"],
        source=pm.source.replace(due.isoformat(), later.isoformat()),
        base_revision=pm.revision,
    )
    enqueue(OVERDUE_TASK, key="after the new date")
    work(burst=True, schedule=False)
    overdue = _overdue(smtp, "alex@example.org")
    assert len(overdue) == 2 and f"A1 was due {later}" in overdue[1]
    assert len(_overdue(smtp, "fran@example.org")) == 1


@pytest.mark.django_db
def test_a_facilitator_turns_the_overdue_notices_off_on_their_page() -> None:
    fran = make_user("facilitator", "fran")
    client = Client()
    assert client.login(username="fran", password=PASSWORD)
    page = client.get("/notifications/").content.decode()
    assert 'name="overdue_as_facilitator" checked' in page  # on until they choose
    assert client.post("/notifications/", {"email": "on"}).status_code == 302
    chosen = preference(fran)
    assert chosen.email and not chosen.overdue_as_facilitator
    assert client.post("/notifications/", {"overdue_as_facilitator": "on"}).status_code == 302
    assert preference(fran).overdue_as_facilitator
