"""The client address of the request being answered, for the audit events it records.

Services record events without a request in hand; this keeps the address the login throttle
would read (behind NOFAULT_TRUSTED_PROXIES, the nearest untrusted hop of X-Forwarded-For)
for the length of the request.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.http import HttpRequest, HttpResponse

_address: ContextVar[str] = ContextVar("audit_address", default="")


def current_address() -> str:
    """The address of the request being answered (empty outside a request)."""
    return _address.get()


def address_of(request: Any) -> str:
    """A request's client address, read as the login throttle reads it."""
    # Imported here: the account services record events, and this module must not pull
    # them in while they load.
    from nofault.web.accounts.forms import client_ip

    return client_ip(request)[:64]


class ClientAddressMiddleware:
    """Keep the request's client address while it is answered."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _address.set(address_of(request))
        try:
            return self.get_response(request)
        finally:
            _address.reset(token)
