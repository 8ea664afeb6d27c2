"""The requests Okta sends to a SCIM 2.0 app, in the order its provisioning does them.

Modelled on Okta's "SCIM 2.0 protocol reference" and "Build a SCIM provisioning integration"
(developer.okta.com/docs/api/openapi/okta-scim/guides/scim-20/): a lookup by userName before a
create, a PUT to update, a PATCH replacing `active` to deactivate, groups pushed with POST and
renamed and changed with PATCH (members added as a list, removed by a `members[value eq …]`
path).
"""

from __future__ import annotations

from typing import Any

from django.test import Client

from nofault.web.accounts.models import Team, User
from nofault.web.accounts.services import token_issue
from tests.web.scim.conftest import MODEL_BACKEND, ScimClient

OKTA_USER = {
    "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
    "userName": "test.user@okta.local",
    "name": {"givenName": "Test", "familyName": "User"},
    "emails": [{"primary": True, "value": "test.user@okta.local", "type": "work"}],
    "displayName": "Test User",
    "locale": "en-US",
    "externalId": "00ujl29u0le5T6Aj10h7",
    "groups": [],
    "password": "1mz050nq",
    "active": True,
}


def test_okta_creates_finds_updates_and_deactivates_a_person(scim: ScimClient) -> None:
    lookup = scim.call(
        "get", 'Users?filter=userName eq "test.user@okta.local"&startIndex=1&count=100'
    )
    assert lookup.status_code == 200 and lookup.data["totalResults"] == 0

    made = scim.call("post", "Users", OKTA_USER)
    assert made.status_code == 201, made.data
    uid = made.data["id"]
    assert made.data["userName"] == "test.user@okta.local"
    assert made.data["externalId"] == "00ujl29u0le5T6Aj10h7"
    person = User.objects.get(pk=uid)
    assert (person.email, person.first_name, person.last_name) == (
        "test.user@okta.local", "Test", "User",
    )  # fmt: skip
    assert person.role == "author" and not person.has_usable_password()  # signs in by SSO

    # Okta compares userName without regard to case.
    found = scim.call("get", 'Users?filter=userName eq "Test.User@okta.local"')
    assert found.data["totalResults"] == 1 and found.data["Resources"][0]["id"] == uid
    assert scim.call("get", f"Users/{uid}").data["name"]["familyName"] == "User"

    again = scim.call("post", "Users", OKTA_USER)
    assert again.status_code == 409 and again.data["scimType"] == "uniqueness"

    updated = scim.call(
        "put", f"Users/{uid}", {**OKTA_USER, "name": {"givenName": "Tess", "familyName": "User"}}
    )
    assert updated.status_code == 200 and updated.data["name"]["givenName"] == "Tess"

    # Their browser session and API token stop working when Okta deactivates them.
    browser = Client()
    browser.force_login(person, backend=MODEL_BACKEND)
    token = token_issue(user=person)
    assert browser.get("/incidents/").status_code == 200
    off = scim.patch(f"Users/{uid}", {"op": "replace", "value": {"active": False}})
    assert off.status_code == 200 and off.data["active"] is False
    assert not User.objects.get(pk=uid).is_active
    assert browser.get("/incidents/").status_code == 302
    assert (
        Client().get("/api/incidents/", headers={"Authorization": f"Token {token}"}).status_code
        == 401
    )

    back = scim.patch(f"Users/{uid}", {"op": "replace", "value": {"active": True}})
    assert back.status_code == 200 and User.objects.get(pk=uid).is_active


def test_okta_pushes_a_group_renames_it_and_changes_its_members(
    scim: ScimClient, author: Any, reviewer: Any
) -> None:
    made = scim.call(
        "post", "Groups",
        {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "displayName": "Test SCIMv2", "members": []},
    )  # fmt: skip
    assert made.status_code == 201, made.data
    gid = made.data["id"]
    assert scim.call("get", 'Groups?filter=displayName eq "Test SCIMv2"').data["totalResults"] == 1

    renamed = scim.patch(
        f"Groups/{gid}", {"op": "replace", "value": {"id": gid, "displayName": "Payments"}}
    )
    assert renamed.status_code == 200 and Team.objects.get(pk=gid).name == "Payments"

    added = scim.patch(
        f"Groups/{gid}",
        {"op": "add", "path": "members", "value": [
            {"value": str(author.pk), "display": author.username},
            {"value": str(reviewer.pk), "display": reviewer.username},
        ]},
    )  # fmt: skip
    assert added.status_code == 200
    assert {m["value"] for m in added.data["members"]} == {str(author.pk), str(reviewer.pk)}
    assert list(author.teams.values_list("name", flat=True)) == ["Payments"]

    removed = scim.patch(
        f"Groups/{gid}", {"op": "remove", "path": f'members[value eq "{author.pk}"]'}
    )
    assert removed.status_code == 200
    assert list(Team.objects.get(pk=gid).members.all()) == [reviewer]
    groups = scim.call("get", f"Users/{reviewer.pk}").data["groups"]
    assert [g["display"] for g in groups] == ["Payments"]

    assert scim.call("delete", f"Groups/{gid}").status_code == 204
    assert not Team.objects.filter(pk=gid).exists() and User.objects.filter(pk=reviewer.pk).exists()
