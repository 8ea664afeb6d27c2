"""A group in the role map gives its members that role, and leaving it takes the role away;
the last active admin keeps theirs, so a sync locks nobody out."""

from __future__ import annotations

from typing import Any

from nofault.web.accounts.models import User
from tests.web.scim.conftest import ScimClient


def _role(user: Any) -> str:
    return str(User.objects.get(pk=user.pk).role)


def test_roles_follow_the_groups_in_the_role_map(
    scim: ScimClient, settings: Any, admin: Any, author: Any, viewer: Any
) -> None:
    settings.NOFAULT_SCIM_ROLE_MAP = {"SRE-Leads": "facilitator", "nofault-admins": "admin"}
    leads = scim.call("post", "Groups", {"displayName": "sre-leads"}).data["id"]
    admins = scim.call("post", "Groups", {"displayName": "nofault-admins"}).data["id"]
    add = {
        "op": "add",
        "path": "members",
        "value": [{"value": str(author.pk)}, {"value": str(viewer.pk)}],
    }
    assert scim.patch(f"Groups/{leads}", add).status_code == 200
    assert (_role(author), _role(viewer)) == (
        "facilitator",
        "facilitator",
    )  # names match in any case
    assert (
        scim.patch(
            f"Groups/{admins}",
            {"op": "add", "path": "members", "value": [{"value": str(author.pk)}]},
        ).status_code
        == 200
    )
    assert _role(author) == "admin"  # the highest role any group gives
    assert (
        scim.patch(
            f"Groups/{leads}", {"op": "remove", "path": f'members[value eq "{viewer.pk}"]'}
        ).status_code
        == 200
    )
    assert _role(viewer) == "author"  # no mapped group left: NOFAULT_SCIM_DEFAULT_ROLE
    out = {"op": "remove", "path": "members", "value": [{"value": str(author.pk)}]}
    assert scim.patch(f"Groups/{admins}", out).status_code == 200
    assert _role(author) == "facilitator"
    # The one admin, put in the group and then losing it, stays admin: nobody is locked out.
    join = {"op": "add", "path": "members", "value": [{"value": str(admin.pk)}]}
    assert scim.patch(f"Groups/{admins}", join).status_code == 200
    assert scim.call("delete", f"Groups/{admins}").status_code == 204
    assert _role(admin) == "admin"


def test_without_a_role_map_roles_stay_as_admins_set_them(scim: ScimClient, viewer: Any) -> None:
    team = scim.call("post", "Groups", {"displayName": "nofault-admins"}).data["id"]
    scim.patch(
        f"Groups/{team}", {"op": "add", "path": "members", "value": [{"value": str(viewer.pk)}]}
    )
    assert _role(viewer) == "viewer"
