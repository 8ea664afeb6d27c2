"""A team select on the incident list, the postmortem list, the action board and insights:
each keeps only the team's rows, and insights count only the team's incidents."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from nofault.web.accounts.models import Team
from nofault.web.reviews.models import ServiceTeam
from tests.web.factories import make_incident, make_postmortem

BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.fixture
def two_teams(admin: Any, author: Any) -> tuple[Any, Any]:
    """Payments owns checkout, Search owns search-api; a postmortem for an incident of each."""
    Team.objects.create(name="Payments")
    ServiceTeam.objects.create(service="checkout", team="Payments")
    ServiceTeam.objects.create(service="search-api", team="Search")  # a team only the map names
    paying = make_postmortem(
        author, make_incident(author, title="Card declines", services=["Checkout"])
    )
    searching = make_postmortem(
        author, make_incident(author, title="Slow search", services=["search-api"])
    )
    return paying, searching


def _page(user: Any, url: str) -> str:
    client = Client()
    client.force_login(user, backend=BACKEND)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_each_list_offers_the_teams(admin: Any, two_teams: Any) -> None:
    for url in ("/incidents/", "/postmortems/", "/actions/", "/insights/"):
        html = _page(admin, url)
        select = html.split('name="team"')[1].split("</select>")[0]
        assert ">Payments</option>" in select and ">Search</option>" in select, url


def test_a_team_filter_keeps_only_that_teams_rows(admin: Any, two_teams: Any) -> None:
    paying, searching = two_teams
    for url in (
        "/incidents/?team=Payments",
        "/postmortems/?team=Payments",
        "/actions/?team=Payments",
    ):
        html = _page(admin, url)
        assert paying.incident.key in html and searching.incident.key not in html, url
        assert '<option value="Payments" selected>' in html, url
    html = _page(admin, "/incidents/?team=Search")
    assert searching.incident.key in html and paying.incident.key not in html
    nobody = _page(admin, "/postmortems/?team=Nobody")
    assert paying.incident.key not in nobody and searching.incident.key not in nobody


def test_insights_with_a_team_count_only_its_incidents(
    admin: Any, author: Any, two_teams: Any
) -> None:
    make_incident(author, title="Another decline", services=["checkout"])
    client = Client()
    client.force_login(admin, backend=BACKEND)
    everyone = client.get("/api/insights/metrics?period=all").json()
    payments = client.get("/api/insights/metrics?period=all&team=Payments").json()
    search = client.get("/api/insights/metrics?period=all&team=Search").json()
    assert everyone["overall"]["incidents"] == 3
    assert payments["overall"]["incidents"] == 2 and search["overall"]["incidents"] == 1
    assert {s.lower() for s in payments["by"]["service"]} == {"checkout"}
    page = _page(admin, "/insights/?period=all&team=Search")
    first_kpi = page.split('class="kpis"')[1].split('<div class="label">')[:2]
    assert first_kpi[0].endswith('<div class="value">1</div>') and first_kpi[1].startswith(
        "Incidents"
    )
    assert client.get("/api/insights/metrics?team=" + "x" * 201).status_code == 400


def test_insights_cached_for_a_teammate_do_not_show_an_outsider_its_restricted_incidents(
    admin: Any, author: Any, viewer: Any, two_teams: Any
) -> None:
    Team.objects.get(name="Payments").members.add(viewer)
    make_incident(admin, title="Card data leak", services=["checkout"], restricted=True)

    def counted(user: Any) -> int:
        client = Client()
        client.force_login(user, backend=BACKEND)
        return int(client.get("/api/insights/metrics?period=all").json()["overall"]["incidents"])

    assert counted(viewer) == 3  # the team's restricted incident counts for its people
    assert counted(author) == 2  # computed apart, not served from the teammate's figures
