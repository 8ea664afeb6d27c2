"""Review pages: the coverage ledger, the review policy (admins edit it), waivers."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from nofault.web.api_errors import ServiceError
from nofault.web.choices import Role, Severity
from nofault.web.incidents.selectors import incident_get_visible
from nofault.web.reviews import fragments, selectors, services
from nofault.web.reviews.forms import EscalationForm, LedgerFilterForm, WaiverForm
from nofault.web.reviews.models import ServiceTeam


def ledger(request: HttpRequest) -> HttpResponse:
    """Every visible incident with its review state, and coverage by severity, team and month."""
    form = LedgerFilterForm(request.GET or None)
    filters: dict[str, str] = {}
    if form.is_bound and form.is_valid():
        filters = {k: str(v) for k, v in form.cleaned_data.items() if v}
    summary = selectors.coverage_summary(user=request.user)
    paginator = Paginator(selectors.ledger_rows(user=request.user, filters=filters), 50)
    if not filters:
        # Every visible incident: the summary (kept under the data version) has counted them.
        # Counting them again cost PostgreSQL a scan of them all on every page of the ledger.
        paginator.count = summary.total.total
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    # The waiver form is the same on every row: its widgets are rendered once, not per row.
    waiver_form = WaiverForm(auto_id=False)
    rows = fragments.ledger_rows(
        page,
        policy=selectors.review_policy(),
        can_waive=bool(services.waiver_roles_held(request.user)),
        csrf_token=get_token(request),
        waiver_fields=format_html("<label>Reason {}</label>", waiver_form["reason"]),
    )
    return render(
        request,
        "reviews/ledger.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "summary": summary,
            "query": query.urlencode(),
        },
    )


def policy_page(request: HttpRequest) -> HttpResponse:
    """The review policy per severity and the reminder delays; admins change them here."""
    settings = selectors.policy_settings()
    is_admin = request.user.has_role(Role.ADMIN)
    teams = "\n".join(f"{t.service} = {t.team}" for t in ServiceTeam.objects.all())
    form = EscalationForm(
        request.POST if request.method == "POST" else None,
        initial={
            "facilitator_after_days": settings.facilitator_after_days,
            "sponsor_after_days": settings.sponsor_after_days,
            "repeat_every_hours": settings.repeat_every_hours,
            "digest_weekday": settings.digest_weekday,
            "recurrence_window_days": settings.recurrence_window_days,
            "sponsor": settings.sponsor,
            "independent_reviewer": settings.independent_reviewer,
            "draft_readers": settings.draft_readers,
            "teams": teams,
        },
    )
    status = 200
    if request.method == "POST":
        if not is_admin:
            messages.error(request, "Only admins can change the review policy.")
            return redirect("reviews:policy")
        severities = _severity_changes(request, form)
        if form.is_valid() and severities is not None:
            data = dict(form.cleaned_data)
            mapping: dict[str, str] = data.pop("teams")
            if not data.get("draft_readers"):  # left out of the post: kept as it is
                data.pop("draft_readers", None)
            try:
                # Both or neither: a refused team map must not leave the policy half-saved.
                with transaction.atomic():
                    services.review_policy_update(actor=request.user, severities=severities, **data)
                    services.service_teams_set(actor=request.user, mapping=mapping)
            except ServiceError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, "The review policy is saved.")
                return redirect("reviews:policy")
        status = 400
    policy = selectors.review_policy(settings)
    rules = [(name, policy.rule(name), name in (settings.overrides or {}))
             for name in Severity.values()]  # fmt: skip
    return render(
        request,
        "reviews/policy.html",
        {"form": form, "rules": rules, "policy": policy, "is_admin": is_admin},
        status=status,
    )


def _severity_changes(
    request: HttpRequest, form: EscalationForm
) -> dict[str, dict[str, Any]] | None:
    """Read the per-severity rows of the policy form, or None after adding the error to it."""
    changes: dict[str, dict[str, Any]] = {}
    for name in Severity.values():
        raw = request.POST.get(f"{name}-due_days", "").strip()
        try:
            due = int(raw)
        except ValueError:
            form.add_error(None, f"{name}: the days are a whole number from 1 to 365 (got {raw!r})")
            return None
        changes[name] = {
            "level": request.POST.get(f"{name}-level", ""),
            "due_days": due,
            "waivable": request.POST.get(f"{name}-waivable") == "on",
        }
    return changes


@require_POST
def waive(request: HttpRequest, key: str) -> HttpResponse:
    """Waive an incident's review with a reason; the role is the one the account holds."""
    incident = incident_get_visible(user=request.user, key=key)
    form = WaiverForm(request.POST)
    if not form.is_valid():
        messages.error(request, "A waiver needs a reason.")
    else:
        try:
            services.review_waive(incident=incident, actor=request.user, **form.cleaned_data)
            messages.success(request, f"{incident.key}'s review is waived; the ledger shows why.")
        except ServiceError as exc:
            messages.error(request, exc.message)
    return redirect("reviews:ledger")


@require_POST
def withdraw(request: HttpRequest, key: str) -> HttpResponse:
    """Withdraw a waiver."""
    incident = incident_get_visible(user=request.user, key=key)
    try:
        services.review_waiver_withdraw(incident=incident, actor=request.user)
        messages.success(request, f"{incident.key} owes its review again.")
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("reviews:ledger")
