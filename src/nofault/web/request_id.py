"""A request id on every request: taken from `X-Request-ID` or made, sent back, logged.

A proxy in front may already name the request; its id is kept when it is short and plain,
so one id follows the request through the proxy's log and ours. A 500 shows the id, in its
JSON body or its page, so a person reporting it can quote it and an operator can find the
log line.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

HEADER = "X-Request-ID"
_MAX_CHARS = 64
_PLAIN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")
_current: ContextVar[str] = ContextVar("request_id", default="-")


def request_id_of(given: str | None) -> str:
    """Keep a short, plain id the client or proxy sent; make a new one otherwise."""
    if given and len(given) <= _MAX_CHARS and all(c in _PLAIN for c in given):
        return given
    return uuid.uuid4().hex


def current_request_id() -> str:
    """The id of the request being answered (`-` outside a request)."""
    return _current.get()


class RequestIdMiddleware:
    """Give each request an id, answer with it in `X-Request-ID`, and log under it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_of(request.headers.get(HEADER))
        request.request_id = request_id
        token = _current.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response[HEADER] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Put the current request's id on every log record, as `request_id`."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Add the id; never drop a record."""
        record.request_id = _current.get()
        return True
