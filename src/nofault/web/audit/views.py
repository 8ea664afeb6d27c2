"""The audit page for admins: filters, pages, and a CSV of the filtered events."""

from __future__ import annotations

import csv
from collections.abc import Iterator

from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from nofault.web.audit.forms import AuditFilterForm
from nofault.web.audit.models import AuditEvent
from nofault.web.audit.selectors import AuditFilter, audit_events
from nofault.web.paging import Page, page_number

EVENTS_PER_PAGE = 100
CSV_COLUMNS = ["at", "actor", "action", "target_type", "target_id", "target", "address", "detail"]


def _require_admin(request: HttpRequest) -> None:
    if not request.user.is_authenticated or not request.user.is_org_admin:
        raise Http404("no such page")


def _filtered(request: HttpRequest) -> tuple[AuditFilterForm, AuditFilter | None]:
    form = AuditFilterForm(request.GET or None)
    if not form.is_bound:
        return form, AuditFilter()
    return form, form.chosen() if form.is_valid() else None


def audit_log(request: HttpRequest) -> HttpResponse:
    """Admins: the log, newest first, filtered by actor, action, target type and dates."""
    _require_admin(request)
    form, chosen = _filtered(request)
    number = page_number(request.GET.get("page"))
    rows: list[AuditEvent] = []
    if chosen is not None:
        offset = (number - 1) * EVENTS_PER_PAGE
        rows = list(audit_events(chosen=chosen)[offset : offset + EVENTS_PER_PAGE + 1])
    page = Page(rows=rows[:EVENTS_PER_PAGE], number=number, has_next=len(rows) > EVENTS_PER_PAGE)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/log.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
        },
        status=200 if chosen is not None else 400,
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_rows(events: Iterator[AuditEvent]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(CSV_COLUMNS)
    for e in events:
        yield writer.writerow(
            [
                e.at.isoformat(),
                e.actor_name,
                e.action,
                e.target_type,
                e.target_id,
                e.target_label,
                e.address,
                e.detail or "",
            ]
        )


def audit_csv(request: HttpRequest) -> HttpResponse:
    """Admins: every event the filters choose, as CSV (streamed; no page limit)."""
    _require_admin(request)
    form, chosen = _filtered(request)
    if chosen is None:
        return HttpResponse(
            "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items()),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    events = audit_events(chosen=chosen).iterator(chunk_size=2000)
    response = StreamingHttpResponse(_csv_rows(events), content_type="text/csv; charset=utf-8")
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="nofault-audit-{stamp}.csv"'
    return response
