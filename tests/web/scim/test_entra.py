"""The requests Microsoft Entra ID's provisioning service sends, as its SCIM guide shows them.

Modelled on "Tutorial: Develop and plan provisioning for a SCIM endpoint in Microsoft Entra ID"
(learn.microsoft.com/entra/identity/app-provisioning/use-scim-to-provision-users-and-groups),
section "User operations" and "Group operations": a lookup by userName, a create with the
enterprise extension, PATCH with a path and capitalised ops ("Replace", "Add", "Remove"),
`active` as the string "False" (as Entra ID sends it unless told to follow RFC 7644),
members added and removed as value lists, and DELETE.
"""

from __future__ import annotations

from typing import Any

from nofault.web.accounts.models import Team, User
from tests.web.scim.conftest import ScimClient

ENTRA_USER = {
    "schemas": [
        "urn:ietf:params:scim:schemas:core:2.0:User",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
    ],
    "externalId": "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
    "userName": "Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1",
    "active": True,
    "emails": [{"primary": True, "type": "work", "value": "Test_User_fd0ea19b@testuser.com"}],
    "meta": {"resourceType": "User"},
    "name": {
        "formatted": "givenName familyName",
        "familyName": "familyName",
        "givenName": "givenName",
    },
    "roles": [],
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"employeeNumber": "701984"},
}


def test_entra_creates_updates_disables_and_deletes_a_person(scim: ScimClient) -> None:
    query = 'Users?filter=userName eq "Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1"'
    assert scim.call("get", query).data["Resources"] == []
    made = scim.call("post", "Users", ENTRA_USER)
    assert made.status_code == 201, made.data
    uid = made.data["id"]
    assert scim.call("get", query).data["Resources"][0]["externalId"] == ENTRA_USER["externalId"]

    updated = scim.patch(
        f"Users/{uid}",
        {"op": "Replace", "path": 'emails[type eq "work"].value', "value": "updatedEmail@microsoft.com"},
        {"op": "Replace", "path": "name.familyName", "value": "updatedFamilyName"},
        {"op": "Add", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department", "value": "SRE"},
    )  # fmt: skip
    assert updated.status_code == 200, updated.data
    person = User.objects.get(pk=uid)
    assert (person.email, person.last_name) == ("updatedEmail@microsoft.com", "updatedFamilyName")

    disabled = scim.patch(f"Users/{uid}", {"op": "Replace", "path": "active", "value": "False"})
    assert disabled.status_code == 200 and disabled.data["active"] is False
    enabled = scim.patch(f"Users/{uid}", {"op": "Replace", "path": "active", "value": True})
    assert enabled.data["active"] is True

    # Entra ID deletes a person when they leave the app's scope; nofault keeps their history.
    assert scim.call("delete", f"Users/{uid}").status_code == 204
    assert not User.objects.get(pk=uid).is_active
    assert scim.call("get", f"Users/{uid}").data["active"] is False


def test_entra_creates_a_group_renames_it_and_changes_its_members(
    scim: ScimClient, author: Any, reviewer: Any
) -> None:
    made = scim.call(
        "post", "Groups",
        {
            "schemas": [
                "urn:ietf:params:scim:schemas:core:2.0:Group",
                "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group",
            ],
            "externalId": "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159",
            "displayName": "displayName",
            "meta": {"resourceType": "Group"},
        },
    )  # fmt: skip
    assert made.status_code == 201, made.data
    gid = made.data["id"]
    found = scim.call(
        "get", 'Groups?excludedAttributes=members&filter=displayName eq "displayName"'
    )
    assert [g["externalId"] for g in found.data["Resources"]] == [
        "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159"
    ]

    renamed = scim.patch(
        f"Groups/{gid}", {"op": "Replace", "path": "displayName", "value": "Checkout"}
    )
    assert renamed.status_code == 200 and Team.objects.get(pk=gid).name == "Checkout"

    added = scim.patch(
        f"Groups/{gid}",
        {"op": "Add", "path": "members", "value": [{"$ref": None, "value": str(author.pk)}]},
        {"op": "Add", "path": "members", "value": [{"$ref": None, "value": str(reviewer.pk)}]},
    )
    assert added.status_code == 200
    assert set(Team.objects.get(pk=gid).members.all()) == {author, reviewer}
    removed = scim.patch(
        f"Groups/{gid}",
        {"op": "Remove", "path": "members", "value": [{"$ref": None, "value": str(author.pk)}]},
    )
    assert removed.status_code == 200
    assert list(Team.objects.get(pk=gid).members.all()) == [reviewer]

    assert scim.call("delete", f"Groups/{gid}").status_code == 204
    assert scim.call("get", f"Groups/{gid}").status_code == 404
