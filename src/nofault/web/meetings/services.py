"""Scheduling a postmortem's review meeting and inviting its people with iCalendar.

Each change raises the meeting's SEQUENCE, so calendars replace the earlier invitation; a
cancellation is sent as METHOD:CANCEL with the same UID. Invitations go out through the
worker, one task per meeting change and recipient (its idempotency key), so a retried send
never mails anyone twice and a failed one is retried with backoff and shown on the page.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from nofault.core.guide.agenda import meeting_agenda as guide_agenda
from nofault.web.api_errors import NotAllowedError, ServiceError
from nofault.web.choices import Role
from nofault.web.meetings.models import ReviewMeeting
from nofault.web.postmortems.models import Postmortem
from nofault.web.postmortems.practice import organisation_practice
from nofault.web.worker.models import Task
from nofault.web.worker.tasks import enqueue_on_commit

INVITE_TASK = "meetings.invite"


def meeting_agenda(minutes: int) -> list[str]:
    """The guide's agenda for a meeting of this length, one line per part."""
    return [f"{name} ({time})" for name, time in guide_agenda(minutes)]


def meeting_link(postmortem: Postmortem) -> str:
    """The postmortem's address, as invitations carry it."""
    return settings.NOFAULT_BASE_URL.rstrip("/") + reverse(
        "postmortems:detail", args=[postmortem.pk]
    )


def meeting_people(postmortem: Postmortem) -> list[Any]:
    """The facilitator, reviewers and responders with an email address, each once."""
    names = {postmortem.facilitator} if postmortem.facilitator else set()
    names |= {str(r.get("name", "")) for r in postmortem.incident.responders or []}
    users = get_user_model()
    found = {u.pk: u for u in users.objects.filter(username__in=names - {""}, is_active=True)}
    found |= {u.pk: u for u in postmortem.reviewers.filter(is_active=True)}
    return sorted((u for u in found.values() if u.email), key=lambda u: u.username)


def invitation(meeting: ReviewMeeting, attendees: list[str]) -> bytes:
    """The meeting as an iCalendar invitation (REQUEST), or its cancellation (CANCEL)."""
    pm = meeting.postmortem
    cal = Calendar()
    cal.add("prodid", "-//nofault//review meeting//EN")
    cal.add("version", "2.0")
    cal.add("method", "CANCEL" if meeting.cancelled else "REQUEST")
    event = Event()
    event.add("uid", meeting.uid)
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.starts_at + timedelta(minutes=meeting.minutes))
    event.add("summary", f"Postmortem review: {pm.title}")
    link = meeting_link(pm)
    event.add("url", link)
    agenda = "\n".join(f"- {line}" for line in meeting_agenda(meeting.minutes))
    event.add("description", f"{link}\n\nAgenda:\n{agenda}")
    event.add("status", "CANCELLED" if meeting.cancelled else "CONFIRMED")
    organizer = vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL}")
    organizer.params["cn"] = vText("nofault")
    event["organizer"] = organizer
    for address in attendees:
        attendee = vCalAddress(f"mailto:{address}")
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        attendee.params["rsvp"] = vText("TRUE")
        event.add("attendee", attendee, encode=False)
    cal.add_component(event)
    return cal.to_ical()


def _require(postmortem: Postmortem, actor: Any) -> None:
    if not actor.has_role(Role.AUTHOR):
        raise NotAllowedError("viewers cannot schedule review meetings")
    if postmortem.status == "published":
        raise ServiceError("the postmortem is published", reason="published", status_code=409)


def _digest(address: str) -> str:
    # The task key holds at most 200 characters; an address may hold 254.
    return hashlib.sha256(address.strip().lower().encode()).hexdigest()[:20]


def _invite_all(meeting: ReviewMeeting) -> None:
    for user in meeting_people(meeting.postmortem):
        enqueue_on_commit(
            INVITE_TASK,
            key=f"{INVITE_TASK}:{meeting.uid}:{meeting.sequence}:{_digest(user.email)}",
            meeting=meeting.pk,
            sequence=meeting.sequence,
            address=user.email,
        )


@transaction.atomic
def meeting_schedule(
    *, postmortem: Postmortem, actor: Any, starts_at: datetime, minutes: int | None = None
) -> ReviewMeeting:
    """Schedule the review meeting, or move it (a new SEQUENCE), and invite its people."""
    _require(postmortem, actor)
    if starts_at.tzinfo is None:
        raise ServiceError("the meeting's time needs a time zone", reason="invalid")
    if minutes is None:
        minutes = organisation_practice().guide.meeting.length_minutes
    if not 15 <= minutes <= 8 * 60:
        raise ServiceError("a meeting lasts from 15 minutes to 8 hours", reason="invalid")
    meeting = ReviewMeeting.objects.select_for_update().filter(postmortem=postmortem).first()
    if meeting is None:
        meeting = ReviewMeeting(postmortem=postmortem, starts_at=starts_at, minutes=minutes)
    else:
        if (meeting.starts_at, meeting.minutes, meeting.cancelled) == (starts_at, minutes, False):
            return meeting  # nothing changed: no new invitation
        meeting.sequence += 1
    meeting.starts_at, meeting.minutes, meeting.cancelled = starts_at, minutes, False
    meeting.scheduled_by, meeting.updated_at = actor, timezone.now()
    meeting.save()
    _invite_all(meeting)
    return meeting


@transaction.atomic
def meeting_cancel(*, postmortem: Postmortem, actor: Any) -> ReviewMeeting:
    """Cancel the review meeting and send the cancellation to its people."""
    _require(postmortem, actor)
    meeting = ReviewMeeting.objects.select_for_update().filter(postmortem=postmortem).first()
    if meeting is None or meeting.cancelled:
        raise ServiceError("no meeting is scheduled", reason="no_meeting", status_code=404)
    meeting.cancelled, meeting.sequence = True, meeting.sequence + 1
    meeting.updated_at = timezone.now()
    meeting.save()
    _invite_all(meeting)
    return meeting


def meeting_sends(meeting: ReviewMeeting) -> list[Task]:
    """The invitation sends of the meeting's current version: queued, sent or failed."""
    prefix = f"{INVITE_TASK}:{meeting.uid}:{meeting.sequence}:"
    return list(Task.objects.filter(key__startswith=prefix).order_by("key"))
