"""The review meeting page of a postmortem: schedule, move or cancel, and see the sends."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from nofault.web.api_errors import ServiceError
from nofault.web.meetings import services
from nofault.web.meetings.models import ReviewMeeting
from nofault.web.paging import whole_number
from nofault.web.postmortems import selectors


def _starts_at(text: str, zone_name: str) -> datetime:
    try:
        zone = ZoneInfo(zone_name.strip() or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        raise ServiceError(f"{zone_name!r} is not a time zone name", reason="invalid") from None
    try:
        at = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ServiceError(
            f"{text!r} is not a time (write 2026-03-04 14:00)", reason="invalid"
        ) from None
    if not 2000 <= at.year <= 2999:
        raise ServiceError(f"{text!r} is not a year a meeting can be held", reason="invalid")
    return (at.replace(tzinfo=zone) if at.tzinfo is None else at).astimezone(UTC)


def meeting_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Schedule the review meeting (a new time updates the invitation), or cancel it."""
    pm = selectors.postmortem_get_visible(user=request.user, pk=pk)
    meeting = ReviewMeeting.objects.filter(postmortem=pm).first()
    status = 200
    error = None
    if request.method == "POST":
        try:
            if request.POST.get("action") == "cancel":
                services.meeting_cancel(postmortem=pm, actor=request.user)
                messages.success(request, "Meeting cancelled; the cancellation is on its way")
            else:
                starts_at = _starts_at(
                    request.POST.get("starts_at", ""), request.POST.get("zone", "UTC")
                )
                minutes = whole_number(request.POST.get("minutes", ""), default=None)
                services.meeting_schedule(
                    postmortem=pm, actor=request.user, starts_at=starts_at, minutes=minutes
                )
                messages.success(request, "Meeting scheduled; invitations are on their way")
            return redirect("postmortems:meeting", pk=pm.pk)
        except ServiceError as exc:
            error, status = exc.message, exc.status_code
    context = {
        "pm": pm,
        "meeting": meeting,
        "sends": services.meeting_sends(meeting) if meeting else [],
        "people": services.meeting_people(pm),
        "agenda": services.meeting_agenda(meeting.minutes if meeting else 60),
        "error": error,
    }
    return render(request, "meetings/meeting.html", context, status=status)
