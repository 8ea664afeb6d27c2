"""Error pages (JSON under /api/)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render


def _page(request: HttpRequest, status: int, reason: str, title: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"reason": reason, "detail": title}, status=status)
    return render(request, "error.html", {"status": status, "title": title}, status=status)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404."""
    return _page(request, 404, "not_found", "Not found")


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """403."""
    return _page(request, 403, "forbidden", "Not allowed")


def server_error(request: HttpRequest) -> HttpResponse:
    """500."""
    return _page(request, 500, "error", "Something went wrong on our side")
