"""Incident pages: list with filters, detail with timeline and postmortem, create, edit."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from nofault.core.markdown import parse_text
from nofault.web.accounts.models import User
from nofault.web.api_errors import ServiceError
from nofault.web.incidents import fragments, selectors, services
from nofault.web.incidents.forms import IncidentFilterForm, IncidentForm, MemberForm
from nofault.web.paging import Page, page_number

INCIDENTS_PER_PAGE = 50
INCIDENTS_COUNT_CAP = 1000


def incident_list(request: HttpRequest) -> HttpResponse:
    """List the incidents the person may see, filtered, a page at a time."""
    form = IncidentFilterForm(request.GET or None)
    filters = {k: v for k, v in (form.data.items() if form.is_bound else []) if isinstance(v, str)}
    # Counting every visible incident for "page N of M" cost more than the page itself:
    # the heading counts up to a cap ("1,000+") and one row read past the page tells
    # whether an older page follows.
    number = page_number(request.GET.get("page"))
    rows = selectors.incident_rows_visible(
        user=request.user,
        filters=filters,
        offset=(number - 1) * INCIDENTS_PER_PAGE,
        limit=INCIDENTS_PER_PAGE + 1,
    )
    page = Page(
        rows=rows[:INCIDENTS_PER_PAGE], number=number, has_next=len(rows) > INCIDENTS_PER_PAGE
    )
    total = 0
    if not request.headers.get("HX-Request"):  # the rows alone show no total
        total = selectors.incident_count_visible(
            user=request.user, filters=filters, cap=INCIDENTS_COUNT_CAP
        )
    query = request.GET.copy()
    query.pop("page", None)
    template = (
        "incidents/_rows.html" if request.headers.get("HX-Request") else "incidents/list.html"
    )
    return render(
        request,
        template,
        {
            "form": form,
            "page": page,
            "rows": fragments.incident_rows(page.rows, timezone.localdate()),
            "query": query.urlencode(),
            "total": f"{INCIDENTS_COUNT_CAP:,}+" if total > INCIDENTS_COUNT_CAP else f"{total:,}",
        },
    )


def incident_detail(request: HttpRequest, key: str) -> HttpResponse:
    """One incident: its fields, timeline and postmortem."""
    return _detail(request, selectors.incident_get_visible(user=request.user, key=key))


def incident_detail_by_id(request: HttpRequest, pk: int) -> HttpResponse:
    """One incident found by id: the page of a row whose key cannot stand in an address."""
    return _detail(request, selectors.incident_get_visible_by_id(user=request.user, pk=pk))


def _detail(request: HttpRequest, incident: Any) -> HttpResponse:
    pm = getattr(incident, "postmortem", None)
    timeline = parse_text(pm.source).postmortem.timeline if pm else []
    return render(
        request,
        "incidents/detail.html",
        {
            "incident": incident,
            "postmortem": pm,
            "timeline": timeline,
            "member_form": MemberForm(),
            "members": incident.members.order_by("username"),
        },
    )


def incident_create(request: HttpRequest) -> HttpResponse:
    """Record a new incident."""
    form = IncidentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            incident = services.incident_create(actor=request.user, **form.cleaned_data)
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"Incident {incident.key} recorded.")
            return redirect("incidents:detail", key=incident.key)
    return render(request, "incidents/form.html", {"form": form, "incident": None})


def incident_edit(request: HttpRequest, key: str) -> HttpResponse:
    """Change an incident."""
    incident = selectors.incident_get_visible(user=request.user, key=key)
    initial = {
        "title": incident.title,
        "severity": incident.severity,
        "status": incident.status,
        "services": ", ".join(incident.services),
        "started_at": incident.started_at,
        "resolved_at": incident.resolved_at,
        "restricted": incident.restricted,
    }
    form = IncidentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.incident_update(incident=incident, actor=request.user, **form.cleaned_data)
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Incident saved.")
            return redirect("incidents:detail", key=incident.key)
    return render(request, "incidents/form.html", {"form": form, "incident": incident})


@require_POST
def incident_member_add(request: HttpRequest, key: str) -> HttpResponse:
    """Let another person see this incident."""
    incident = selectors.incident_get_visible(user=request.user, key=key)
    form = MemberForm(request.POST)
    # The form refuses what no username holds (a NUL character, which PostgreSQL cannot compare).
    name = form.cleaned_data["username"] if form.is_valid() else None
    user = User.objects.filter(username=name).first() if name else None
    if user is None:
        messages.error(request, "No such user.")
    else:
        try:
            services.incident_member_add(incident=incident, actor=request.user, user=user)
            messages.success(request, f"{user.username} can now see {incident.key}.")
        except ServiceError as exc:
            messages.error(request, exc.message)
    return redirect("incidents:detail", key=incident.key)
