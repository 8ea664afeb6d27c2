"""Postmortem pages: the editor with live findings, review, revisions, rows, import, export."""

from __future__ import annotations

import difflib
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST
from pydantic import ValidationError

from nofault.core.markdown import parse_text
from nofault.web.accounts.forms import TeamFilterForm
from nofault.web.api_errors import ConflictError, ServiceError
from nofault.web.audit.services import export_record
from nofault.web.choices import Role
from nofault.web.incidents.selectors import incident_get_visible
from nofault.web.paging import whole_number
from nofault.web.postmortems import exports, fragments, imports, linting, selectors, services
from nofault.web.postmortems.forms import (
    ActionRowForm,
    CommentForm,
    FactorRowForm,
    ImportForm,
    LintForm,
    SourceForm,
    SubmitForReviewForm,
    TimelineRowForm,
    row_formset,
)
from nofault.web.postmortems.models import Approval, Postmortem
from nofault.web.postmortems.prefill import is_prefilled
from nofault.web.rendering import markdown_to_html
from nofault.web.reviews import services as review_services


def _editor_context(pm: Postmortem, request: HttpRequest, **extra: Any) -> dict[str, Any]:
    source = extra.pop("source", pm.source)
    report = extra.pop("report", None) or linting.lint_report_cached(pm, source)
    findings = report.findings
    return {
        "postmortem": pm,
        "incident": pm.incident,
        "form": extra.pop("form", None)
        or SourceForm(initial={"source": source, "base_revision": pm.revision}),
        "findings": findings,
        "findings_html": fragments.findings_html(findings),
        "report": report,
        "preview": markdown_to_html(source),
        "can_edit": services.can_edit(postmortem=pm, actor=request.user),
        **extra,
    }


def postmortem_list(request: HttpRequest) -> HttpResponse:
    """Every visible postmortem, by status and team."""
    filters = {k: v for k, v in request.GET.items() if k in ("status", "severity", "team")}
    qs = selectors.postmortem_list_visible(user=request.user, filters=filters)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    context = {"page": page, "filters": filters, "team_form": TeamFilterForm(request.GET)}
    return render(request, "postmortems/list.html", context)


@require_POST
def postmortem_create(request: HttpRequest, key: str) -> HttpResponse:
    """Start the incident's postmortem from the template."""
    incident = incident_get_visible(user=request.user, key=key)
    try:
        pm = services.postmortem_create(incident=incident, actor=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("incidents:detail", key=key)
    return redirect("postmortems:edit", pk=pm.pk)


def postmortem_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The postmortem rendered, with its review panel."""
    pm = selectors.postmortem_get_visible(user=request.user, pk=pk, with_people=True)
    return render(request, "postmortems/detail.html", _review_context(pm, request))


def _review_context(pm: Postmortem, request: HttpRequest, **extra: Any) -> dict[str, Any]:
    findings = linting.stored_findings(pm)
    items, comments = selectors.postmortem_page_lists(postmortem=pm)
    context = {
        "postmortem": pm,
        "incident": pm.incident,
        "body": selectors.postmortem_body_html(postmortem=pm),
        "findings": findings,
        "findings_html": fragments.findings_html(findings),
        "comments_html": fragments.comments_html(comments),
        "comment_form": CommentForm(),
        "can_edit": services.can_edit(postmortem=pm, actor=request.user),
        "can_reopen": request.user.has_role(Role.FACILITATOR),
        "action_items_html": fragments.action_item_rows(items, today=timezone.localdate()),
        **extra,
    }
    if pm.status == "draft":
        context["submit_form"] = SubmitForReviewForm()
    elif pm.status == "in_review":  # who reviews and who approved: only a review shows them
        approvals = {a.reviewer_id: a for a in pm.approvals.all()}
        reviewers = list(pm.reviewers.order_by("username"))
        mine = approvals.get(request.user.pk)
        context.update(
            reviewers=[(r, approvals.get(r.pk)) for r in reviewers],
            is_reviewer=any(r.pk == request.user.pk for r in reviewers),
            my_verdict=mine.verdict if mine else "",
            missing=[
                r
                for r in reviewers
                if r.pk not in approvals or approvals[r.pk].verdict != Approval.APPROVED
            ],
        )
    return context


def postmortem_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The editor: source on the left, live findings and preview on the right."""
    pm = selectors.postmortem_get_visible(user=request.user, pk=pk)
    if request.method != "POST":
        return render(request, "postmortems/editor.html", _editor_context(pm, request))
    form = SourceForm(request.POST)
    if not form.is_valid():
        return render(
            request, "postmortems/editor.html", _editor_context(pm, request, form=form), status=400
        )
    source = form.cleaned_data["source"]
    base = form.cleaned_data["base_revision"]
    # Browsers send a textarea's lines ending in CRLF: a source kept with LF endings keeps them,
    # so that saving what was loaded changes nothing.
    if "\r\n" not in pm.source:
        source = source.replace("\r\n", "\n")
    try:
        services.postmortem_save(
            postmortem=pm,
            actor=request.user,
            source=source,
            base_revision=base,
            message=form.cleaned_data.get("message") or "",
        )
    except ConflictError:
        pm.refresh_from_db()
        return render(
            request, "postmortems/conflict.html", _conflict_context(pm, source, base), status=409
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
        ctx = _editor_context(pm, request, form=form, source=source)
        return render(request, "postmortems/editor.html", ctx, status=exc.status_code)
    if pm.revision == base:
        messages.info(request, "Nothing changed, so no revision was saved.")
        return redirect("postmortems:edit", pk=pm.pk)
    messages.success(request, f"Saved revision {pm.revision}.")
    return redirect("postmortems:edit", pk=pm.pk)


def _conflict_context(pm: Postmortem, mine: str, base: int) -> dict[str, Any]:
    theirs = pm.source
    diff = "".join(
        difflib.unified_diff(
            theirs.splitlines(keepends=True),
            mine.splitlines(keepends=True),
            f"revision {pm.revision} (saved by someone else)",
            "your text",
            n=2,
        )
    )
    latest = pm.revisions.select_related("author").first()
    return {
        "postmortem": pm,
        "incident": pm.incident,
        "mine": mine,
        "base": base,
        "diff": diff,
        "latest": latest,
        "form": SourceForm(initial={"source": mine, "base_revision": pm.revision}),
    }


@require_POST
def lint_preview(request: HttpRequest) -> HttpResponse:
    """HTMX: lint the posted text and return the findings, score and preview."""
    refusal = linting.lint_body_refusal(request.META.get("CONTENT_LENGTH"))
    if refusal:
        return HttpResponse(refusal.message, status=refusal.status_code, content_type="text/plain")
    form = LintForm(request.POST)
    source = form.data.get("source", "") if form.is_bound else ""
    try:
        report = linting.postmortem_lint(source=str(source))
    except ServiceError as exc:
        return HttpResponse(exc.message, status=exc.status_code, content_type="text/plain")
    findings = report.findings
    return render(
        request,
        "postmortems/_live.html",
        {
            "findings": findings,
            "findings_html": fragments.findings_html(findings),
            "report": report,
            "preview": markdown_to_html(source),
        },
    )


def rule_doc(request: HttpRequest, code: str) -> HttpResponse:
    """A rule's documentation, as opened from a finding."""
    text = linting.rule_doc(code)
    if text is None:
        raise Http404("no such rule")
    template = (
        "postmortems/_rule_doc.html"
        if request.headers.get("HX-Request")
        else "postmortems/rule_doc.html"
    )
    return render(
        request, template, {"code": code, "doc": markdown_to_html(text, front_matter=False)}
    )


def _act(request: HttpRequest, pm: Postmortem, call: Any, success: str) -> HttpResponse:
    try:
        call()
    except ServiceError as exc:
        messages.error(request, exc.message)
        if exc.reason == "blame_findings_remain":
            request.session[f"blame_warning_{pm.pk}"] = True
    else:
        messages.success(request, success)
    return redirect("postmortems:detail", pk=pm.pk)


@require_POST
def postmortem_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Send the draft to review with the chosen reviewers."""
    pm = selectors.postmortem_get_visible(user=request.user, pk=pk)
    form = SubmitForReviewForm(request.POST)
    # An id past the database's integer range fails in the query, not in the form: such a
    # choice is no reviewer at all.
    plausible = all(
        whole_number(raw, maximum=2**62) not in (None, 2**62)
        for raw in request.POST.getlist("reviewers")
    )
    reviewers = list(form.cleaned_data["reviewers"]) if plausible and form.is_valid() else []
    return _act(
        request,
        pm,
        lambda: review_services.postmortem_submit_for_review(
            postmortem=pm, actor=request.user, reviewers=reviewers
        ),
        "Submitted for review.",
    )


@require_POST
def postmortem_comment(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a comment."""
    pm = selectors.postmortem_get_visible(user=request.user, pk=pk)
    body = str(request.POST.get("body", ""))
    return _act(
        request,
        pm,
        lambda: review_services.postmortem_comment_add(
            postmortem=pm, actor=request.user, body=body
        ),
        "Comment added.",
    )


@require_POST
def postmortem_approve(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve as an assigned reviewer."""
    pm = selectors.postmortem_get_visible(user=request.user, pk=pk)
    return _act(
        request,
        pm,
        lambda: review_services.postmortem_approve(postmortem=pm, actor=request.user),
        "Approved.",
    )


@require_POST
def postmortem_request_changes(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask for changes as an assigned reviewer, saying which in a comment."""
    pm = selectors.postmortem_get_visible(user=request.user, pk=pk)
    body = str(request.POST.get("body", ""))
    return _act(
        request,
        pm,
        lambda: review_services.postmortem_request_changes(
            postmortem=pm, actor=request.user, body=body
        ),
        "Changes requested.",
    )


@require_POST
def postmortem_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish once approved."""
    pm = selectors.postmortem_get_visible(user=request.user, pk=pk)
    accept = request.POST.get("accept_blame_findings") in ("on", "true", "1")
    return _act(
        request,
        pm,
        lambda: review_services.postmortem_publish(
            postmortem=pm, actor=request.user, accept_blame_findings=accept
        ),
        "Published.",
    )


@require_POST
def postmortem_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    """Return to draft."""
    pm = selectors.postmortem_get_visible(user=request.user, pk=pk)
    return _act(
        request,
        pm,
        lambda: review_services.postmortem_reopen(postmortem=pm, actor=request.user),
        "Reopened as a draft.",
    )


def revision_list(request: HttpRequest, pk: int) -> HttpResponse:
    """Every save, newest first."""
    pm = selectors.postmortem_get_visible(user=request.user, pk=pk)
    revisions = pm.revisions.select_related("author")
    return render(
        request,
        "postmortems/revisions.html",
        {"postmortem": pm, "incident": pm.incident, "revisions": revisions},
    )


def revision_detail(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """One revision: its diff and its source."""
    pm = selectors.postmortem_get_visible(user=request.user, pk=pk)
    revision = pm.revisions.filter(number=number).select_related("author").first()
    if revision is None:
        raise Http404("no such revision")
    return render(
        request,
        "postmortems/revision.html",
        {
            "postmortem": pm,
            "incident": pm.incident,
            "revision": revision,
            "can_edit": services.can_edit(postmortem=pm, actor=request.user),
        },
    )


@require_POST
def revision_restore(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """Make an earlier revision current again."""
    pm = selectors.postmortem_get_visible(user=request.user, pk=pk)
    try:
        services.postmortem_restore(postmortem=pm, actor=request.user, number=number)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("postmortems:revisions", pk=pm.pk)
    messages.success(request, f"Restored revision {number} as revision {pm.revision}.")
    return redirect("postmortems:edit", pk=pm.pk)


def _rows_extra(request: HttpRequest) -> int:
    """How many blank rows to offer for new entries (`?add=N`, 1 to 20)."""
    raw = request.GET.get("add", "")
    return min(whole_number(raw, default=1) or 1, 20)


def _rows_summary(before: list[Any], after: list[Any], what: str) -> str | None:
    if before == after:
        return None
    kept = sum(1 for value in after if value in before)
    added = len(after) - kept
    removed = len(before) - kept
    parts = [f"{n} {verb}" for n, verb in ((added, "added or changed"), (removed, "removed")) if n]
    return f"{what}: " + ", ".join(parts)


def postmortem_rows(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit the timeline, contributing factors and action items as rows."""
    pm = selectors.postmortem_get_visible(user=request.user, pk=pk)
    doc = parse_text(pm.source).postmortem
    initial_timeline = [e.model_dump(mode="json") for e in doc.timeline]
    initial_factors = [f.model_dump(mode="json") for f in doc.contributing_factors]
    initial_actions = [
        {
            **a.model_dump(mode="json", exclude={"factors"}),
            "factors": ", ".join(a.factors),
            "due": a.due,
        }
        for a in doc.action_items
    ]
    data = request.POST if request.method == "POST" else None
    extra = _rows_extra(request)
    timeline = row_formset(TimelineRowForm, extra)(
        data, initial=initial_timeline, prefix="timeline", values=doc.timeline
    )
    factors = row_formset(FactorRowForm, extra)(
        data, initial=initial_factors, prefix="factors", values=doc.contributing_factors
    )
    actions = row_formset(ActionRowForm, extra)(
        data, initial=initial_actions, prefix="actions", values=doc.action_items
    )
    status = 200
    if request.method == "POST":
        raw_base = request.POST.get("base_revision", "")
        base = whole_number(raw_base, default=-1)
        base = -1 if base is None else base
        if timeline.is_valid() and factors.is_valid() and actions.is_valid():
            new_timeline = timeline.rows(confirm_all="confirm_all" in request.POST)
            new_factors, new_actions = factors.rows(), actions.rows()
            changes = [
                change
                for change in (
                    _rows_summary(doc.timeline, new_timeline, "timeline"),
                    _rows_summary(doc.contributing_factors, new_factors, "contributing factors"),
                    _rows_summary(doc.action_items, new_actions, "action items"),
                )
                if change
            ]
            revision = pm.revision
            try:
                services.postmortem_structure_save(
                    postmortem=pm,
                    actor=request.user,
                    base_revision=base,
                    timeline=new_timeline,
                    factors=new_factors,
                    actions=new_actions,
                )
            except ConflictError:
                messages.error(
                    request, "Someone saved this postmortem since you opened it; reload the rows."
                )
                status = 409
            except (ServiceError, ValidationError) as exc:
                messages.error(request, getattr(exc, "message", str(exc)))
                status = 400
            else:
                if pm.revision == revision:
                    messages.info(request, "Nothing changed, so no revision was saved.")
                else:
                    messages.success(
                        request, f"Saved revision {pm.revision} ({'; '.join(changes)})."
                    )
                return redirect("postmortems:rows", pk=pm.pk)
        else:
            status = 400
    return render(
        request,
        "postmortems/rows.html",
        {
            "postmortem": pm,
            "incident": pm.incident,
            "timeline": timeline,
            "factors": factors,
            "actions": actions,
            "prefilled_rows": sum(1 for event in doc.timeline if is_prefilled(event)),
            "can_edit": services.can_edit(postmortem=pm, actor=request.user),
        },
        status=status,
    )


def postmortem_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """Download as Markdown, HTML or PDF."""
    pm = selectors.postmortem_get_visible(user=request.user, pk=pk)
    export_record(actor=request.user, postmortem=pm, fmt=fmt)
    return export_response(pm, fmt)


def export_response(pm: Postmortem, fmt: str) -> HttpResponse:
    """The download response for one format."""
    if fmt == "md":
        response = HttpResponse(pm.source, content_type="text/markdown; charset=utf-8")
    elif fmt == "html":
        response = HttpResponse(exports.export_html(pm), content_type="text/html; charset=utf-8")
    elif fmt == "pdf":
        import io

        return FileResponse(
            io.BytesIO(exports.export_pdf(pm)),
            as_attachment=True,
            filename=exports.export_filename(pm, "pdf"),
            content_type="application/pdf",
        )
    else:
        raise Http404("unknown format")
    response["Content-Disposition"] = f'attachment; filename="{exports.export_filename(pm, fmt)}"'
    return response


@csrf_exempt
def postmortem_import(request: HttpRequest) -> HttpResponse:
    """Upload an export (Markdown, Google Docs, Confluence, Notion, HTML, or a zip of them).

    The role and the declared size are checked before the body is read (the body is never
    read past its Content-Length). Reading it is what the CSRF check does first, so that
    check runs after them, in `_import_upload`.
    """
    if request.method == "POST":
        if not request.user.has_role(Role.AUTHOR):
            return _import_refused(request, "viewers cannot import postmortems", 403)
        limit = imports.max_upload_bytes()
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = limit + 1
        if declared > limit:
            return _import_refused(request, f"the upload is larger than {limit // 2**20} MB", 413)
    return _import_upload(request)


@csrf_protect
def _import_upload(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = imports.import_job_create(
                actor=request.user, filename=upload.name or "upload", data=upload.read()
            )
        except ServiceError as exc:
            form.add_error("file", exc.message)
            status = exc.status_code
        else:
            return redirect("postmortems:import_job", pk=job.pk)
    elif request.method == "POST":
        status = 400
    recent = imports.import_jobs_recent(actor=request.user)
    return render(
        request, "postmortems/import.html", {"form": form, "recent": recent}, status=status
    )


def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    """One of my uploads: queued, running, done (with its drafts) or failed (with the reason).

    Its status block asks again every second until the import has ended (HTMX swaps it).
    """
    job = imports.import_job_get(actor=request.user, pk=pk)
    status, reason = imports.import_job_state(job)
    context = {"job": job, "status": status, "reason": reason, "report": job.report}
    if request.headers.get("HX-Request"):
        return render(request, "postmortems/_import_job.html", context)
    return render(request, "postmortems/import.html", {"form": ImportForm(), **context})


def _import_refused(request: HttpRequest, message: str, status: int) -> HttpResponse:
    context = {"form": ImportForm(), "error": message}
    return render(request, "postmortems/import.html", context, status=status)
