"""Error pages (JSON under /api/)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render


def _page(request: HttpRequest, status: int, reason: str, title: str) -> HttpResponse:
    request_id = getattr(request, "request_id", None)
    if request.path.startswith("/api/"):
        body = {"reason": reason, "detail": title}
        if status >= 500 and request_id:
            body["request_id"] = request_id
        return JsonResponse(body, status=status)
    shown_id = request_id if status >= 500 else None
    context = {"status": status, "title": title, "request_id": shown_id}
    return render(request, "error.html", context, status=status)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404."""
    return _page(request, 404, "not_found", "Not found")


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """403."""
    return _page(request, 403, "forbidden", "Not allowed")


def server_error(request: HttpRequest) -> HttpResponse:
    """500: a bug of ours, logged with the request id the answer shows."""
    return _page(request, 500, "server_error", "Something went wrong on our side")
