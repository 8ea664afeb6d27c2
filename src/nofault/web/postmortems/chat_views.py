"""The chat page: read an incident channel's messages as candidate rows, keep the chosen."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_protect

from nofault.core.document import TimelineEvent
from nofault.web.api_errors import ServiceError
from nofault.web.paging import whole_number
from nofault.web.postmortems import chat, imports, selectors, services
from nofault.web.postmortems.models import Postmortem

MAX_TRANSCRIPT_CHARS = 1_000_000


def _when(text: str, default: datetime | None) -> datetime | None:
    text = text.strip()
    if not text:
        return default
    try:
        at = datetime.fromisoformat(text)
    except ValueError:
        raise ServiceError(f"{text!r} is not a time (write 2026-03-04 09:30)") from None
    if not 1990 <= at.year <= 2999:
        raise ServiceError(f"{text!r} is outside the years chat can be read for")
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)


def chat_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Read chat for the incident's window (a Slack export, the Slack API or a transcript),
    then keep the chosen rows; the declared size is checked before an upload is read."""
    pm = selectors.postmortem_get_visible(user=request.user, pk=pk)
    if request.method == "POST":
        if not services.can_edit(postmortem=pm, actor=request.user):
            return HttpResponse("you cannot edit this postmortem", status=403)
        limit = imports.max_upload_bytes()
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = limit + 1
        if declared > limit:
            return HttpResponse(f"the upload is larger than {limit // 2**20} MB", status=413)
    return _chat_page(request, pm)


@csrf_protect
def _chat_page(request: HttpRequest, pm: Postmortem) -> HttpResponse:
    start, end = chat.chat_window(pm)
    context: dict[str, object] = {"pm": pm, "start": start, "end": end, "candidates": None}
    if request.method != "POST":
        return render(request, "postmortems/chat.html", context)
    post = request.POST
    try:
        if post.get("step") == "keep":
            return _keep(request, pm)
        start, end = _when(post.get("start", ""), start), _when(post.get("end", ""), end)
        context.update(start=start, end=end)
        if post.get("mode") == "transcript":
            text = post.get("transcript", "")
            if len(text) > MAX_TRANSCRIPT_CHARS:
                raise ServiceError("the transcript is longer than a million characters")
            try:
                zone = ZoneInfo(post.get("zone", "UTC").strip() or "UTC")
            except (ZoneInfoNotFoundError, ValueError):
                raise ServiceError(f"{post.get('zone')!r} is not a time zone name") from None
            day = (start or datetime.now(UTC)).astimezone(zone).date()
            if post.get("day", "").strip():
                try:
                    day = date.fromisoformat(post["day"].strip())
                except ValueError:
                    raise ServiceError(f"{post['day']!r} is not a date") from None
                if not 1990 <= day.year <= 2999:
                    raise ServiceError(f"{post['day']!r} is outside the years chat is read for")
            found = chat.transcript_candidates(text=text, day=day, zone=zone, start=start, end=end)
            source = "chat transcript"
        elif post.get("mode") == "slack":
            channel = post.get("slack_channel", "").strip().lstrip("#")
            found = chat.slack_channel_candidates(channel=channel, start=start, end=end)
            source = f"slack {channel}"
        else:
            upload = request.FILES.get("export")
            channel = post.get("channel", "").strip().lstrip("#")
            if upload is None or not channel:
                raise ServiceError("choose the Slack export zip and name the channel")
            found = chat.slack_export_candidates(
                data=upload.read(), channel=channel, start=start, end=end
            )
            source = f"slack #{channel}"
    except ServiceError as exc:
        context["error"] = exc.message
        return render(request, "postmortems/chat.html", context, status=exc.status_code)
    context["candidates"] = [(m, m.row(source)) for m in found]
    return render(request, "postmortems/chat.html", context)


def _keep(request: HttpRequest, pm: Postmortem) -> HttpResponse:
    post = request.POST
    chosen = set(post.getlist("keep"))
    rows = []
    count = min(whole_number(post.get("count", ""), default=0) or 0, chat.MAX_ROWS_KEPT * 4)
    for index in range(count):
        if str(index) not in chosen:
            continue
        time, text = post.get(f"time_{index}", ""), post.get(f"text_{index}", "")
        source = post.get(f"source_{index}", "")[:100]
        if time and text:
            rows.append(TimelineEvent(time=time[:40], text=text[:1000], source=source or None))
    base = whole_number(post.get("base_revision", ""), default=-1)
    chat.chat_rows_add(
        postmortem=pm, actor=request.user, base_revision=-1 if base is None else base, rows=rows
    )
    messages.success(request, f"{len(rows)} chat row{'s' if len(rows) != 1 else ''} added")
    return redirect("postmortems:edit", pk=pm.pk)
