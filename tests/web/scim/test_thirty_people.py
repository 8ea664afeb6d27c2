"""End to end: an identity provider provisions 30 people into teams over real HTTP, and the
People page lists each with the role their groups give and their teams."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from django.test import Client

from nofault.web.scim.services import scim_token_create
from tests.web.scim.conftest import MODEL_BACKEND, PATCH_OP, SCIM

TEAMS = ["Payments", "Search", "Checkout"]


@pytest.mark.django_db(transaction=True)
def test_thirty_people_arrive_by_scim_with_roles_and_teams(
    live_server: Any, admin: Any, settings: Any
) -> None:
    settings.NOFAULT_SCIM_ROLE_MAP = {"sre-leads": "facilitator", "nofault-admins": "admin"}
    token = scim_token_create(name="entra")
    headers = {"Authorization": f"Bearer {token}", "Content-Type": SCIM}
    with httpx.Client(base_url=f"{live_server.url}/scim/v2", headers=headers, timeout=30) as idp:
        groups = {}
        for name in [*TEAMS, "sre-leads"]:
            made = idp.post("/Groups", json={"displayName": name, "members": []})
            assert made.status_code == 201, made.text
            groups[name] = made.json()["id"]
        people = {}
        for n in range(30):
            body = {
                "userName": f"person{n:02d}@example.org",
                "name": {"givenName": "Person", "familyName": f"{n:02d}"},
                "emails": [
                    {"primary": True, "type": "work", "value": f"person{n:02d}@example.org"}
                ],
                "active": True,
            }
            made = idp.post("/Users", json=body)
            assert made.status_code == 201, made.text
            people[n] = made.json()["id"]
        for index, team in enumerate(TEAMS):  # ten people a team
            members = [{"value": people[n]} for n in range(30) if n % 3 == index]
            ops = [{"op": "add", "path": "members", "value": members}]
            changed = idp.patch(
                f"/Groups/{groups[team]}", json={"schemas": [PATCH_OP], "Operations": ops}
            )
            assert changed.status_code == 200 and len(changed.json()["members"]) == 10
        leads = [{"value": people[n]} for n in (0, 1)]
        ops = [{"op": "Add", "path": "members", "value": leads}]
        assert (
            idp.patch(
                f"/Groups/{groups['sre-leads']}", json={"schemas": [PATCH_OP], "Operations": ops}
            ).status_code
            == 200
        )
        listed = idp.get("/Users", params={"count": 100}).json()
        assert listed["totalResults"] == 31  # the admin who was there, and the thirty

    browser = Client()
    browser.force_login(admin, backend=MODEL_BACKEND)
    page = browser.get("/accounts/people/").content.decode()
    for n in range(30):
        row = next(r for r in page.split("<tr>") if r.strip().startswith(f"<td>person{n:02d}@"))
        role = "facilitator" if n in (0, 1) else "author"
        assert re.search(rf'<option value="{role}" selected>', row), (n, role)
        team = TEAMS[n % 3]
        teams = sorted([team, "sre-leads"]) if n in (0, 1) else [team]
        assert f"<td>{', '.join(teams)}</td>" in row, (n, row)
        assert "invited" in row  # no password: they sign in through the provider
