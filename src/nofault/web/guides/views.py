"""The guide page: inputs editable by facilitators, the built guide shown, PDF downloadable."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from nofault.web.api_errors import NotAllowedError, ServiceError
from nofault.web.choices import Role
from nofault.web.guides import services
from nofault.web.guides.builder import GuideInputInvalid
from nofault.web.guides.forms import GuideInputsForm
from nofault.web.rendering import sanitise_html


def guide_page(request: HttpRequest) -> HttpResponse:
    """Show the built guide, and the form to change its inputs."""
    inputs = services.guide_inputs_get()
    form = GuideInputsForm(
        request.POST or None,
        initial={"values": inputs.values, "principles": inputs.principles, "config": inputs.config},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.guide_inputs_update(actor=request.user, **form.cleaned_data)
            except GuideInputInvalid as exc:
                form.add_error(exc.field, exc.message)
            except NotAllowedError as exc:
                messages.error(request, exc.message)
                return redirect("guides:page")
            except ServiceError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, "Guide inputs saved; the guide was rebuilt.")
                return redirect("guides:page")
        # Nothing was saved: readers keep the guide built from the stored inputs.
        status = 400
    guide_html, error = None, None
    if inputs.values.strip() or inputs.principles.strip():
        try:
            built = services.guide_build(inputs=inputs, fmt="html-body")
            text = built.content.decode() if isinstance(built.content, bytes) else built.content
            guide_html = sanitise_html(text)
        except ServiceError as exc:
            error = exc.message
    return render(
        request,
        "guides/page.html",
        {
            "form": form,
            "inputs": inputs,
            "guide_html": guide_html,
            "error": error,
            "can_edit": request.user.has_role(Role.FACILITATOR),
        },
        status=status,
    )


def guide_download(request: HttpRequest, fmt: str) -> HttpResponse:
    """Download the guide as PDF, HTML or Markdown; a failed build is an error, never a page."""
    if fmt not in ("pdf", "html", "md"):
        return HttpResponse("unknown format", status=404, content_type="text/plain")
    try:
        built = services.guide_build(inputs=services.guide_inputs_get(), fmt=fmt)
    except ServiceError as exc:
        return HttpResponse(
            f"The guide could not be built as {fmt}: {exc.message}",
            status=exc.status_code,
            content_type="text/plain; charset=utf-8",
        )
    response = HttpResponse(built.content, content_type=built.media_type)
    response["Content-Disposition"] = f'attachment; filename="guide.{fmt}"'
    return response
