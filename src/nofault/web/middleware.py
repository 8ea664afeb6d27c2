"""Pages need a login; the API answers for itself (JSON 401/403), static files are public."""

from __future__ import annotations

import gc
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url

PUBLIC_PREFIXES = (
    "/api/",
    "/static/",
    "/accounts/login/",
    # Forgot-password, and the pages a signed invitation or reset link opens.
    "/accounts/reset/",
    "/accounts/invite/",
    "/healthz",
    # Readiness answers orchestrators; /metrics asks for its own bearer token.
    "/readyz",
    "/metrics",
    "/webhooks/",
    # SCIM answers only to a provisioning client's bearer token (nofault.web.scim.auth).
    "/scim/",
)


class LoginRequiredMiddleware:
    """Send anyone not logged in to the login page, except for public paths."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.user.is_authenticated and not request.path.startswith(PUBLIC_PREFIXES):
            if request.headers.get("HX-Request"):
                response = HttpResponse(status=401)
                response["HX-Redirect"] = resolve_url(settings.LOGIN_URL)
                return response
            return redirect_to_login(request.get_full_path(), resolve_url(settings.LOGIN_URL))
        return self.get_response(request)


class FreezeWarmObjectsMiddleware:
    """After each of a process's first requests, put the objects still alive out of the
    garbage collector's way (`gc.freeze`): settings, URLconf, templates, the linter's rules.

    Otherwise a full collection now and then walks all of them (over 100 ms with the linter
    loaded) in the middle of someone's request: those pauses were the slowest live lints.
    Garbage is collected first, so only live objects are frozen.
    """

    WARM_REQUESTS = 20

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        global _warm_requests_left
        if _warm_requests_left > 0:
            _warm_requests_left -= 1
            gc.collect()
            gc.freeze()
        return response


_warm_requests_left = FreezeWarmObjectsMiddleware.WARM_REQUESTS
