"""Admins issue and revoke SCIM clients' tokens on a page; nobody else reaches it."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client

from nofault.web.audit.models import AuditEvent
from nofault.web.scim.models import ScimToken
from tests.web.scim.conftest import MODEL_BACKEND, ScimClient


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user, backend=MODEL_BACKEND)
    return client


def test_an_admin_issues_a_token_that_works_once_shown_and_revokes_it(admin: Any) -> None:
    web = _client(admin)
    issued = web.post("/accounts/scim/", {"action": "issue", "name": "entra"})
    assert issued.status_code == 200
    secret = re.search(r'<code id="scim-secret">([^<]+)</code>', issued.content.decode())[1]
    assert ScimToken.objects.get().key_hash != secret  # only the hash is kept
    assert secret not in web.get("/accounts/scim/").content.decode()  # shown once
    assert ScimClient(secret).call("get", "Users").status_code == 200
    used = re.search(
        r"<td>entra</td><td>[^<]+</td><td>([^<]+)</td>", web.get("/accounts/scim/").content.decode()
    )
    assert used and used[1] != "never"  # the page says when the provider last called
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert "token.create" in actions
    assert web.post("/accounts/scim/", {"action": "revoke", "name": "entra"}).status_code == 302
    assert ScimClient(secret).call("get", "Users").status_code == 401
    assert "token.revoke" in set(AuditEvent.objects.values_list("action", flat=True))
    unknown = web.post("/accounts/scim/", {"action": "revoke", "name": "entra"})
    assert unknown.status_code == 400
    assert web.post("/accounts/scim/", {"action": "issue", "name": ""}).status_code == 400


def test_only_admins_reach_the_token_page(facilitator: Any, author: Any, viewer: Any) -> None:
    for person in (facilitator, author, viewer):
        web = _client(person)
        assert web.get("/accounts/scim/").status_code == 404
        assert web.post("/accounts/scim/", {"action": "issue", "name": "mine"}).status_code == 404
    assert Client().get("/accounts/scim/").status_code == 302
    assert not ScimToken.objects.exists()
