"""SCIM answers only to a SCIM client's token, and a malformed request is a 4xx with SCIM's
error body, never a 500."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from nofault.web.accounts.models import User
from nofault.web.scim.services import scim_token_revoke
from tests.web.scim.conftest import MODEL_BACKEND, SCIM, ScimClient

ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"


def test_without_a_valid_token_scim_answers_401_even_to_a_logged_in_admin(
    scim: ScimClient, admin: Any
) -> None:
    assert ScimClient("scim_not-a-token").call("get", "Users").status_code == 401
    browser = Client()
    browser.force_login(admin, backend=MODEL_BACKEND)  # a session is no SCIM credential
    refused = browser.get("/scim/v2/Users")
    assert refused.status_code == 401 and refused.json()["schemas"] == [ERROR]
    assert "Bearer" in refused["WWW-Authenticate"]
    assert scim.call("get", "Users").status_code == 200
    scim_token_revoke(name="okta")
    assert scim.call("get", "Users").status_code == 401


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("post", "Users", "{not json", 400),
        ("post", "Users", "[1, 2]", 400),
        ("post", "Users", b"\xff\xfe", 400),
        ("post", "Users", "[" * 5000 + "]" * 5000, 400),
        ("post", "Users", {"name": {"givenName": "A"}}, 400),
        ("post", "Users", {"userName": "has space"}, 400),
        ("post", "Users", {"userName": 7}, 400),
        ("post", "Users", {"userName": "a", "name": "A B"}, 400),
        ("post", "Users", {"userName": "a", "emails": ["a@x.org"]}, 400),
        ("post", "Users", {"userName": "a", "emails": [{"value": "not-mail"}]}, 400),
        ("post", "Users", {"userName": "a", "active": "maybe"}, 400),
        ("post", "Users", {"userName": "a", "name": {"givenName": "A\x00"}}, 400),
        ("get", "Users?startIndex=0", None, 400),
        ("get", "Users?startIndex=99999999999999999999", None, 400),
        ("get", "Users?count=-1", None, 400),
        ("get", "Users?filter=userName eq", None, 400),
        ("get", "Users?filter=" + "a" * 2000, None, 400),
        ("get", "Users/abc", None, 404),
        ("get", "Users/²", None, 404),
        ("get", "Users/99999999999999999999999", None, 404),
        ("get", "Users/424242", None, 404),
        ("post", "Groups", {"members": []}, 400),
        ("post", "Groups", {"displayName": "T", "members": [{"value": "abc"}]}, 400),
        ("post", "Groups", {"displayName": "T", "members": [{"value": "424242"}]}, 400),
        ("post", "Groups", {"displayName": "T", "members": "all"}, 400),
        ("get", "Bulk", None, 501),
    ],
)
def test_a_malformed_request_is_a_4xx_with_a_scim_error(
    scim: ScimClient, method: str, path: str, body: Any, status: int
) -> None:
    response = scim.call(method, path, body)
    assert response.status_code == status, response.content
    if status != 501:
        assert response.data["schemas"] == [ERROR] and response.data["detail"]


MALFORMED_PATCHES = [
    None,
    "replace",
    [],
    ["replace"],
    [{"path": "active", "value": False}],
    [{"op": "move", "path": "active", "value": False}],
    [{"op": "replace", "value": False}],
    [{"op": "replace", "path": "active[[", "value": False}],
    [{"op": "replace", "path": "active", "value": "no"}],
    [{"op": "replace", "path": "userName", "value": "sam"}],  # taken: 409
    [{"op": "add", "path": "emails", "value": [{"value": "x"}]}],
    # a good operation before a bad one is undone with it
    [{"op": "replace", "path": "name.givenName", "value": "Al"}, {"op": "bad"}],
]


def test_a_malformed_patch_changes_nothing(scim: ScimClient, author: Any, reviewer: Any) -> None:
    before = User.objects.filter(pk=author.pk).values().get()
    for operations in MALFORMED_PATCHES:
        body = {
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": operations,
        }
        response = scim.call("patch", f"Users/{author.pk}", body)
        assert response.status_code in (400, 409), (operations, response.content)
        assert response.data["schemas"] == [ERROR]
        assert User.objects.filter(pk=author.pk).values().get() == before, operations


def test_a_body_past_the_bound_is_refused_before_it_is_read(scim: ScimClient) -> None:
    response = scim.client.post(
        "/scim/v2/Users", data="x" * (1024 * 1024 + 1), content_type=SCIM, headers=scim.headers
    )
    assert response.status_code == 413


def test_discovery_endpoints_describe_the_service(scim: ScimClient) -> None:
    config = scim.call("get", "ServiceProviderConfig").data
    assert config["patch"]["supported"] and config["filter"]["supported"]
    assert config["authenticationSchemes"][0]["type"] == "oauthbearertoken"
    types = {t["id"]: t["endpoint"] for t in scim.call("get", "ResourceTypes").data["Resources"]}
    assert types == {"User": "/scim/v2/Users", "Group": "/scim/v2/Groups"}
    schemas = {s["id"] for s in scim.call("get", "Schemas").data["Resources"]}
    assert "urn:ietf:params:scim:schemas:core:2.0:User" in schemas
