"""A SCIM client: a token issued as `nofault scim token` issues it, and JSON over the test
client with SCIM's content type."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from nofault.web.scim.services import scim_token_create

SCIM = "application/scim+json"
PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


class ScimClient:
    """Sends SCIM requests with a bearer token, as an identity provider does."""

    def __init__(self, token: str) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {token}"}

    def call(self, method: str, path: str, body: Any = None) -> Any:
        """Send one request to /scim/v2/<path>; the response has `.data` when it is JSON."""
        data = body if isinstance(body, (str, bytes)) else json.dumps(body) if body else ""
        response = getattr(self.client, method)(
            f"/scim/v2/{path}", data=data, content_type=SCIM, headers=self.headers
        )
        response.data = json.loads(response.content) if response.content else None
        return response

    def patch(self, path: str, *operations: dict[str, Any]) -> Any:
        """A PATCH with these operations."""
        return self.call("patch", path, {"schemas": [PATCH_OP], "Operations": list(operations)})


@pytest.fixture
def scim(db: Any) -> ScimClient:
    """A SCIM client with a fresh token."""
    return ScimClient(scim_token_create(name="okta"))
