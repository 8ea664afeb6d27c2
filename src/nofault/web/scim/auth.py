"""SCIM requests answer only to a SCIM client's bearer token: a session never counts."""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse
from django_scim import constants
from django_scim.middleware import SCIMAuthCheckMiddleware

from nofault.web.scim.services import scim_actor, scim_token_check

# The largest SCIM body read (a Group PATCH of a few thousand members fits).
MAX_BODY_BYTES = 1024 * 1024


def scim_error(status: int, detail: str) -> HttpResponse:
    """A SCIM error body (RFC 7644 §3.12) with this status."""
    body = {"schemas": [constants.SchemaURI.ERROR], "status": str(status), "detail": detail}
    return HttpResponse(json.dumps(body), status=status, content_type=constants.SCIM_CONTENT_TYPE)


class ScimBearerAuth(SCIMAuthCheckMiddleware):
    """Let a SCIM request through with a valid SCIM client token, and a bounded body."""

    def process_request(self, request: HttpRequest) -> HttpResponse | None:
        """401 without a known bearer token, 413 for a body past MAX_BODY_BYTES."""
        scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
        token = scim_token_check(secret=secret.strip()) if scheme.lower() == "bearer" else None
        if token is None:
            response = scim_error(401, "a SCIM client's bearer token is required")
            response["WWW-Authenticate"] = 'Bearer realm="nofault SCIM"'
            return response
        length = request.META.get("CONTENT_LENGTH") or "0"
        if not length.isdigit() or int(length) > MAX_BODY_BYTES:
            return scim_error(413, f"a SCIM body is at most {MAX_BODY_BYTES} bytes")
        request.scim_actor = scim_actor(token)
        return None
