"""Insight pages: metrics and charts, themes, similar incidents beside the editor, the pulse."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify

from nofault.core.insights import report as core_report
from nofault.core.pdf import PdfUnavailable
from nofault.web.accounts.forms import TeamFilterForm
from nofault.web.api_errors import ServiceError
from nofault.web.insights import selectors, services
from nofault.web.insights.pulse import MIN_ANSWERS, STATEMENTS, pulse_open_for
from nofault.web.paging import whole_number
from nofault.web.postmortems.selectors import postmortem_get_visible

_COLUMNS = (
    ("incidents", "Incidents", ""),
    ("review_coverage", "Coverage", "%"),
    ("median_days_to_publish", "Days to publish", ""),
    ("on_time_rate", "On time", "%"),
    ("median_days_to_close", "Days to close", ""),
    ("overdue", "Overdue", ""),
    ("recurrence_rate", "Recurrence", "%"),
    ("median_minutes_to_detect", "TTD min", ""),
    ("median_minutes_to_mitigate", "TTM min", ""),
    ("median_minutes_to_resolve", "TTR min", ""),
    ("mean_depth_score", "Depth", ""),
    ("blame_per_postmortem_first_draft", "Blame, first draft", ""),
    ("blame_per_postmortem_published", "Blame, published", ""),
)


def _cell(value: Any, unit: str) -> str:
    if value is None:
        return "–"
    if unit == "%":
        return f"{value * 100:.0f}%"
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


def _rows(groups: list[tuple[str, dict[str, Any]]]) -> list[tuple[str, list[str]]]:
    return [(name, [_cell(m.get(k), unit) for k, _, unit in _COLUMNS]) for name, m in groups]


def insights_page(request: HttpRequest) -> HttpResponse:
    """Metrics by severity, service, team and month with server-rendered SVG charts."""
    period = request.GET.get("period", selectors.DEFAULT_PERIOD)
    period = period if period in selectors.PERIODS else selectors.DEFAULT_PERIOD
    team_form = TeamFilterForm(request.GET)
    team = team_form.cleaned_data["team"] if team_form.is_valid() else ""
    figures = selectors.insight_figures(user=request.user, period=period, team=team)
    overall = figures["overall"]
    tables = [
        (title, _rows(figures["tables"][dim]))
        for dim, title in (("severity", "By severity"), ("service", "By service"),
                           ("team", "By team"), ("month", "By month"))
    ]  # fmt: skip
    return render(
        request,
        "insights/page.html",
        {
            "period": period,
            "periods": [(k, v[0]) for k, v in selectors.PERIODS.items()],
            "team_form": team_form,
            "figures": figures,
            "overall_cells": [(label, _cell(overall.get(k), unit)) for k, label, unit in _COLUMNS],
            "overall": overall,
            "header": [label for _, label, _ in _COLUMNS],
            "tables": tables,
            # (figures cached before they held the pulse trend: read it now)
            "pulse": figures.get("pulse") or selectors.pulse_trend(user=request.user),
            "built_at": figures.get("_built_at"),
            "stale": figures.get("_stale"),
        },
    )


def themes_page(request: HttpRequest) -> HttpResponse:
    """Recurring themes among contributing factors, with counts by quarter, service, category."""
    period = request.GET.get("period", selectors.DEFAULT_PERIOD)
    period = period if period in selectors.PERIODS else selectors.DEFAULT_PERIOD
    found = selectors.insight_themes(user=request.user, period=period)
    return render(
        request,
        "insights/themes.html",
        {
            "period": period,
            "periods": [(k, v[0]) for k, v in selectors.PERIODS.items()],
            "found": found,
            "pending": found.get("_pending", False),
            "stale": found.get("_stale", False),
        },
    )


def similar_partial(request: HttpRequest, pk: int) -> HttpResponse:
    """HTMX partial: the five earlier postmortems most like this one, beside the findings."""
    pm = postmortem_get_visible(user=request.user, pk=pk)
    source = request.POST.get("source") if request.method == "POST" else None
    matches = selectors.similar_for_postmortem(
        user=request.user, postmortem=pm, source=(source or "").replace("\x00", "") or None
    )
    return render(request, "insights/_similar.html", {"postmortem": pm, "matches": matches})


def report_download(request: HttpRequest, fmt: str) -> HttpResponse:
    """The learning report as Markdown, HTML or PDF, over what the person may see."""
    if fmt not in ("md", "html", "pdf"):
        raise Http404("no such format")
    since = _since(request.GET.get("since"))
    built = selectors.learning_report(user=request.user, since=since)
    name = f"learning-report-{slugify(built.until.isoformat())}.{fmt}"
    if fmt == "pdf":
        try:
            response = HttpResponse(core_report.to_pdf(built), content_type="application/pdf")
        except PdfUnavailable as exc:
            return HttpResponse(str(exc), status=503, content_type="text/plain")
    elif fmt == "html":
        response = HttpResponse(core_report.to_html(built), content_type="text/html")
        # The report carries its own <style>: allow it, still no script.
        response["Content-Security-Policy"] = (
            "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'"
        )
    else:
        response = HttpResponse(
            core_report.to_markdown(built), content_type="text/markdown; charset=utf-8"
        )
    if request.GET.get("download") or fmt != "html":
        response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _since(raw: str | None) -> date | None:
    if not raw:
        return None
    try:
        return date.fromisoformat(raw.replace("\x00", "")[:10])
    except ValueError:
        return None


def pulse_index(request: HttpRequest) -> HttpResponse:
    """Reviews whose pulse is open, whether you answered, and the trend per team."""
    return render(
        request,
        "insights/pulse_index.html",
        {
            "reviews": selectors.pulse_reviews(user=request.user),
            "trend": selectors.pulse_trend(user=request.user),
            "needed": MIN_ANSWERS,
        },
    )


def pulse_review(request: HttpRequest, pk: int) -> HttpResponse:
    """Answer a review's anonymous pulse once; see its results in aggregate from three answers."""
    pm = postmortem_get_visible(user=request.user, pk=pk)
    answered = selectors.pulse_answered(postmortem=pm, user=request.user)
    status = 200
    if request.method == "POST":
        scores: dict[str, int] = {}
        for s in STATEMENTS:
            raw = request.POST.get(s.key, "")
            score = whole_number(raw, maximum=1_000)
            if score is not None:
                scores[s.key] = score  # the service says which scores are out of range
        try:
            services.pulse_answer(
                postmortem=pm,
                actor=request.user,
                scores=scores,
                comment=request.POST.get("comment", ""),
            )
        except ServiceError as exc:
            messages.error(request, exc.message)
            status = exc.status_code
        else:
            messages.success(request, "Thank you. Your answer is stored without your name.")
            return redirect("insights:pulse_review", pk=pm.pk)
    return render(
        request,
        "insights/pulse_review.html",
        {
            "postmortem": pm,
            "open": pulse_open_for(postmortem=pm),
            "answered": answered,
            "statements": STATEMENTS,
            "scale": range(1, 6),
            "results": selectors.pulse_results(postmortem=pm),
        },
        status=status,
    )
