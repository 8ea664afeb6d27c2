"""Errors services raise, and the API's handler that turns client errors into JSON with a reason."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from rest_framework import exceptions
from rest_framework.response import Response


class ServiceError(Exception):
    """A service refused a request for a reason the caller can fix (a 4xx, never a 500)."""

    status_code = 400
    reason = "invalid"

    def __init__(self, message: str, *, reason: str | None = None, status_code: int | None = None):
        super().__init__(message)
        self.message = message
        if reason:
            self.reason = reason
        if status_code:
            self.status_code = status_code


class ConflictError(ServiceError):
    """A save was based on a stale revision."""

    status_code = 409
    reason = "conflict"


class NotAllowedError(ServiceError):
    """The actor's role or membership does not allow this."""

    status_code = 403
    reason = "forbidden"


_REASONS = {
    400: "invalid",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    429: "throttled",
}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Turn a client's error into JSON with a `reason` and a 4xx status; leave a bug a 500."""
    from rest_framework.views import exception_handler as drf_exception_handler

    if isinstance(exc, ServiceError):
        return Response({"reason": exc.reason, "detail": exc.message}, status=exc.status_code)
    if isinstance(exc, ValidationError):
        exc = exceptions.ValidationError(exc.messages)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        # Not the client's error: a bug or a value the database refused is a 500, logged by
        # Django with the request id and answered by `errors.server_error`.
        return None
    detail = response.data
    if isinstance(detail, dict) and set(detail) == {"detail"}:
        detail = detail["detail"]
    response.data = {"reason": _REASONS.get(response.status_code, "error"), "detail": detail}
    return response
