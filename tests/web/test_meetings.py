"""The review meeting: invitations a standard iCalendar parser accepts, through a real SMTP
server and the worker; a new time updates them (SEQUENCE), cancelling cancels them, and a
retried or repeated send mails nobody twice."""

from __future__ import annotations

import socket
from datetime import UTC, datetime
from typing import Any

import pytest
from django.test import Client
from icalendar import Calendar

from nofault.web.postmortems.models import Postmortem
from nofault.web.worker.models import Task
from nofault.web.worker.runner import work
from tests.web.factories import make_incident, make_postmortem, make_user

# The worker closes its connection between tasks (close_old_connections), as in production:
# the test runs outside a wrapping transaction so that PostgreSQL's connection may close.
pytestmark = pytest.mark.django_db(transaction=True)


def _people(author: Any) -> tuple[Postmortem, list[str]]:
    fran = make_user("facilitator", "fran")
    sam = make_user("author", "sam")
    rio = make_user("author", "rio")
    for user in (fran, sam, rio, author):
        user.email = f"{user.username}@example.org"
        user.save()
    incident = make_incident(author, title="Checkout errors", severity="SEV2")
    incident.responders = [{"name": "rio", "role": "responder"}]
    incident.save()
    pm = make_postmortem(author, incident)
    Postmortem.objects.filter(pk=pm.pk).update(facilitator="fran")
    pm.refresh_from_db()
    pm.reviewers.add(sam)
    return pm, ["fran@example.org", "rio@example.org", "sam@example.org"]


def _post(user: Any, pm: Postmortem, data: dict[str, str], capture: Any) -> Any:
    client = Client()
    client.force_login(user)
    with capture(execute=True):
        response = client.post(f"/postmortems/{pm.pk}/meeting/", data)
    return response


def _calendars(inbox: Any, address: str) -> list[Calendar]:
    found = []
    for message in inbox.to(address):
        for part in message.walk():
            if part.get_content_type() == "text/calendar":
                found.append(Calendar.from_ical(part.get_payload(decode=True)))
    return found


def test_invite_move_and_cancel(
    author: Any, smtp: Any, django_capture_on_commit_callbacks: Any
) -> None:
    pm, addresses = _people(author)
    response = _post(
        author,
        pm,
        {"starts_at": "2026-03-05 15:00", "zone": "Europe/Berlin", "minutes": "60"},
        django_capture_on_commit_callbacks,
    )
    assert response.status_code == 302
    work(burst=True, schedule=False)
    for address in addresses:
        (cal,) = _calendars(smtp, address)
        (event,) = cal.walk("VEVENT")
        assert str(cal["METHOD"]) == "REQUEST" and int(str(event["SEQUENCE"])) == 0
        assert event.decoded("DTSTART") == datetime(2026, 3, 5, 14, 0, tzinfo=UTC)
        assert str(event["URL"]).endswith(f"/postmortems/{pm.pk}/")
        assert "Walk through the timeline" in str(event["DESCRIPTION"])
        assert f"mailto:{address}" in [str(a) for a in _list(event["ATTENDEE"])]
    uid = str(_calendars(smtp, addresses[0])[0].walk("VEVENT")[0]["UID"])

    # A new time: the same UID, a higher SEQUENCE, to everyone again.
    _post(author, pm, {"starts_at": "2026-03-06 09:30", "zone": "UTC"},
          django_capture_on_commit_callbacks)  # fmt: skip
    work(burst=True, schedule=False)
    moved = [_calendars(smtp, a)[-1].walk("VEVENT")[0] for a in addresses]
    assert {(str(e["UID"]), int(str(e["SEQUENCE"]))) for e in moved} == {(uid, 1)}

    # Running the worker again, or the same change queued again, mails nobody twice.
    before = len(smtp.messages)
    from nofault.web.meetings.models import ReviewMeeting
    from nofault.web.meetings.services import _invite_all

    with django_capture_on_commit_callbacks(execute=True):
        _invite_all(ReviewMeeting.objects.get(postmortem=pm))
    work(burst=True, schedule=False)
    assert len(smtp.messages) == before

    _post(author, pm, {"action": "cancel"}, django_capture_on_commit_callbacks)
    work(burst=True, schedule=False)
    for address in addresses:
        cal = _calendars(smtp, address)[-1]
        (event,) = cal.walk("VEVENT")
        assert str(cal["METHOD"]) == "CANCEL" and str(event["STATUS"]) == "CANCELLED"
        assert (str(event["UID"]), int(str(event["SEQUENCE"]))) == (uid, 2)


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def test_a_failed_send_is_retried_and_shown(
    author: Any, smtp: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    pm, addresses = _people(author)
    good_port = settings.EMAIL_PORT
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        settings.EMAIL_PORT = s.getsockname()[1]  # nothing listens there once closed
    _post(author, pm, {"starts_at": "2026-03-05 15:00"}, django_capture_on_commit_callbacks)
    work(burst=True, schedule=False)
    tasks = Task.objects.filter(name="meetings.invite")
    assert tasks.count() == len(addresses)
    assert all(t.attempts == 1 and t.last_error and t.status != "done" for t in tasks)
    client = Client()
    client.force_login(author)
    page = client.get(f"/postmortems/{pm.pk}/meeting/").content.decode()
    assert "fran@example.org" in page and "Connection refused" in page
    assert smtp.messages == []

    settings.EMAIL_PORT = good_port
    Task.objects.update(run_after=datetime(2000, 1, 1, tzinfo=UTC))  # the backoff has passed
    work(burst=True, schedule=False)
    # Invitations only: another test's notification may share the inbox's recipients.
    invited = [
        str(m["To"])
        for m in smtp.messages
        if any(p.get_content_type() == "text/calendar" for p in m.walk())
    ]
    assert sorted(invited) == addresses
