"""Teams: admins manage them, people belong to them, and a restricted incident is visible to
its team (the people of the team its services map to)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from nofault.web.accounts.models import Team
from nofault.web.incidents.selectors import incident_list_visible
from nofault.web.postmortems.selectors import postmortem_list_visible
from nofault.web.reviews.models import ServiceTeam
from tests.web.factories import PASSWORD, make_incident, make_postmortem, make_user


def _api(user: Any) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_admins_manage_teams_through_the_api(admin: Any, author: Any, reviewer: Any) -> None:
    api = _api(admin)
    made = api.post("/api/teams/", {"name": "Payments", "members": ["alex"]}, format="json")
    assert made.status_code == 201 and made.json()["members"] == ["alex"]
    pk = made.json()["id"]
    clash = api.post("/api/teams/", {"name": "payments"}, format="json")
    assert clash.status_code == 409
    unknown = api.put(
        f"/api/teams/{pk}/", {"name": "Payments", "members": ["nobody"]}, format="json"
    )
    assert unknown.status_code == 400 and "nobody" in unknown.json()["detail"]
    changed = api.put(
        f"/api/teams/{pk}/", {"name": "Payments", "members": ["alex", "sam"]}, format="json"
    )
    assert changed.status_code == 200 and changed.json()["members"] == ["alex", "sam"]
    assert [t["name"] for t in api.get("/api/teams/").json()["results"]] == ["Payments"]
    assert set(Team.objects.get(pk=pk).members.values_list("username", flat=True)) == {
        "alex",
        "sam",
    }
    # Anyone else is refused, reading or writing.
    assert _api(author).get("/api/teams/").status_code == 403
    assert _api(author).post("/api/teams/", {"name": "Mine"}, format="json").status_code == 403
    assert api.delete(f"/api/teams/{pk}/").status_code == 204
    assert not Team.objects.exists()


@pytest.mark.usefixtures("drafts_open")
def test_a_restricted_incident_is_visible_to_its_team(admin: Any, author: Any) -> None:
    teammate = make_user("viewer", "tess")
    outsider = make_user("author", "otto")
    ServiceTeam.objects.create(service="checkout", team="Payments")
    Team.objects.create(name="Payments").members.add(teammate)
    Team.objects.create(name="Search").members.add(outsider)
    secret = make_incident(author, title="Card leak", services=["Checkout"], restricted=True)
    make_postmortem(author, secret)
    other = make_incident(author, title="Index lag", services=["search-api"], restricted=True)
    assert set(incident_list_visible(user=teammate)) == {secret}
    assert list(postmortem_list_visible(user=teammate, filters={})) == [secret.postmortem]
    assert not incident_list_visible(user=outsider).exists()
    assert not postmortem_list_visible(user=outsider, filters={}).exists()
    client = Client()
    assert client.login(username="tess", password=PASSWORD)
    assert client.get(f"/incidents/{secret.key}/").status_code == 200
    assert client.get(f"/incidents/{other.key}/").status_code == 404
    assert _api(teammate).get(f"/api/postmortems/{secret.postmortem.pk}/").status_code == 200
    assert _api(outsider).get(f"/api/postmortems/{secret.postmortem.pk}/").status_code == 404


def test_the_people_page_shows_each_persons_teams(admin: Any, author: Any) -> None:
    Team.objects.create(name="Payments").members.add(author)
    client = Client()
    assert client.login(username=admin.username, password=PASSWORD)
    page = client.get("/accounts/people/").content.decode()
    assert '<th scope="col">Teams</th>' in page
    row = page.split("<td>alex")[1].split("</tr>")[0]
    assert "Payments" in row


def test_lists_and_the_board_filter_by_team(admin: Any, author: Any) -> None:
    ServiceTeam.objects.create(service="checkout", team="Payments")
    ServiceTeam.objects.create(service="search-api", team="Search")
    paying = make_postmortem(author, make_incident(author, services=["Checkout", "web"]))
    searching = make_postmortem(author, make_incident(author, services=["search-api"]))
    api = _api(admin)
    incidents = api.get("/api/incidents/?team=Payments").json()["results"]
    assert [i["id"] for i in incidents] == [paying.incident.key]
    postmortems = api.get("/api/postmortems/?team=Search").json()["results"]
    assert [p["id"] for p in postmortems] == [searching.pk]
    items = api.get("/api/action-items/?team=Payments").json()["results"]
    assert items and {i["postmortem"] for i in items} == {paying.pk}
    assert api.get("/api/incidents/?team=Nobody").json()["count"] == 0
    client = Client()
    client.force_login(admin)
    page = client.get("/postmortems/?team=Search").content.decode()
    assert f"/postmortems/{searching.pk}/" in page and f"/postmortems/{paying.pk}/" not in page
    board = client.get("/actions/list/?team=Search").content.decode()
    assert searching.incident.key in board and paying.incident.key not in board
