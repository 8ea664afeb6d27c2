"""The teams page: admins create, rename and delete teams, add and remove people, and map
services; nobody else reaches it, and a refused change is a 4xx that changes nothing."""

from __future__ import annotations

from typing import Any

from django.test import Client

from nofault.web.accounts.models import Team
from nofault.web.accounts.selectors import service_team_map
from nofault.web.incidents.selectors import incident_list_visible
from tests.web.factories import make_incident

BACKEND = "django.contrib.auth.backends.ModelBackend"


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user, backend=BACKEND)
    return client


def test_an_admin_builds_a_team_with_people_and_services(
    admin: Any, author: Any, reviewer: Any
) -> None:
    web = _client(admin)
    assert web.post("/accounts/teams/", {"name": "Payments"}).status_code == 302
    team = Team.objects.get(name="Payments")
    url = f"/accounts/teams/{team.pk}/"
    for person in (author, reviewer):
        assert web.post(url, {"action": "add_person", "person": person.pk}).status_code == 302
    assert web.post(url, {"action": "remove_person", "person": reviewer.pk}).status_code == 302
    assert list(team.members.all()) == [author]
    assert web.post(url, {"action": "add_service", "service": " Checkout-API "}).status_code == 302
    assert service_team_map() == {"checkout-api": "Payments"}

    # The team's incidents follow the map: a restricted one is visible to the team's people.
    make_incident(admin, key="INC-T1", services=["checkout-api"], restricted=True)
    assert list(incident_list_visible(user=author, filters={"team": "Payments"}).values_list(
        "key", flat=True)) == ["INC-T1"]  # fmt: skip

    page = web.get("/accounts/teams/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Payments" in html and "checkout-api" in html and author.username in html

    assert web.post(url, {"action": "rename", "name": "Billing"}).status_code == 302
    assert service_team_map() == {"checkout-api": "Billing"}  # the services follow the name
    assert web.post(url, {"action": "delete"}).status_code == 302
    assert not Team.objects.exists() and service_team_map() == {}
    assert author.__class__.objects.filter(pk=author.pk).exists()


REFUSED = [
    {"action": "rename", "name": ""},
    {"action": "rename", "name": "Other"},  # taken: 409
    {"action": "add_person", "person": "²"},
    {"action": "add_person", "person": "99999999999999999999"},
    {"action": "add_service", "service": "a,b"},
    {"action": "add_service", "service": "x" * 201},
    {"action": "explode"},
]


def test_a_refused_change_is_a_4xx_and_changes_nothing(admin: Any) -> None:
    team = Team.objects.create(name="Payments")
    Team.objects.create(name="Other")
    web = _client(admin)
    for data in REFUSED:
        response = web.post(f"/accounts/teams/{team.pk}/", data)
        assert response.status_code in (400, 409), data
        assert Team.objects.get(pk=team.pk).name == "Payments" and service_team_map() == {}


def test_only_admins_reach_the_teams_page(
    admin: Any, facilitator: Any, author: Any, viewer: Any
) -> None:
    team = Team.objects.create(name="Payments")
    for person in (facilitator, author, viewer):
        web = _client(person)
        assert web.get("/accounts/teams/").status_code == 404
        assert web.post("/accounts/teams/", {"name": "Mine"}).status_code == 404
        refused = web.post(f"/accounts/teams/{team.pk}/", {"action": "delete"})
        assert refused.status_code == 404
    anonymous = Client().post(f"/accounts/teams/{team.pk}/", {"action": "delete"})
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert list(Team.objects.values_list("name", flat=True)) == ["Payments"]
    assert _client(admin).get("/accounts/teams/").status_code == 200
