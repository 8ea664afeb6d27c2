"""Full-text search: matches, highlights, filters, kept in sync on save, restricted never shown."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from rest_framework.test import APIClient

from nofault.web.accounts.services import token_issue
from nofault.web.postmortems import services as pm_services
from nofault.web.search.selectors import fts5_query, search
from tests.web.factories import SOURCE, make_incident, make_postmortem, make_user
from tests.web.insights.conftest import login

pytestmark = pytest.mark.django_db


def test_backend_is_the_databases_own() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'search_searchentry_document'"
            )
            assert "gin" in cursor.fetchone()[0].lower()
        else:
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'search_fts'")
            assert "fts5" in cursor.fetchone()[0].lower()


def test_finds_postmortems_incidents_and_actions_with_highlights(
    published: Any, viewer: Any
) -> None:
    result = search(user=viewer, query="canary")
    kinds = {h.kind for h in result.hits}
    assert {"postmortem", "action"} <= kinds
    assert result.total == len(result.hits)
    assert any("<mark>" in str(h.snippet) or "<mark>" in str(h.title) for h in result.hits)
    incident_hits = search(
        user=viewer, query="checkout configuration", filters={"kind": "incident"}
    )
    assert [h.incident_key for h in incident_hits.hits] == [published.incident.key]


def test_stemming_matches_other_forms(published: Any, viewer: Any) -> None:
    assert search(user=viewer, query="pushes").total >= 1  # "push" in the text


@pytest.mark.usefixtures("drafts_open")
def test_filters(published: Any, viewer: Any, author: Any) -> None:
    other = make_incident(author, title="Search outage", severity="SEV4", services=["search"])
    make_postmortem(author, other)
    every = search(user=viewer, query="canary").total
    assert search(user=viewer, query="canary", filters={"severity": "SEV4"}).total < every
    assert {
        h.severity for h in search(user=viewer, query="canary", filters={"severity": "SEV4"}).hits
    } == {"SEV4"}
    assert all(
        h.incident_key == other.key
        for h in search(user=viewer, query="canary", filters={"service": "search"}).hits
    )
    assert (
        search(
            user=viewer, query="canary", filters={"category": "process", "kind": "postmortem"}
        ).total
        == 2
    )
    assert search(user=viewer, query="canary", filters={"category": "people"}).total == 0
    assert {
        h.status for h in search(user=viewer, query="canary", filters={"status": "published"}).hits
    } == {"published"}
    assert (
        search(
            user=viewer, query="canary", filters={"team": "team-checkout", "kind": "action"}
        ).total
        >= 2
    )
    assert search(user=viewer, query="canary", filters={"since": "2999-01-01"}).total == 0
    assert search(user=viewer, query="", filters={"severity": "SEV4"}).total >= 1


@pytest.mark.usefixtures("drafts_open")
def test_kept_in_sync_on_save(author: Any, viewer: Any) -> None:
    pm = make_postmortem(author)
    assert search(user=viewer, query="zebrafish").total == 0
    source = pm.source.replace("checkout requests failed", "zebrafish requests failed")
    pm_services.postmortem_save(
        postmortem=pm, actor=author, source=source, base_revision=pm.revision
    )
    assert search(user=viewer, query="zebrafish", filters={"kind": "postmortem"}).total == 1
    source = source.replace("zebrafish", "walrus")
    pm_services.postmortem_save(
        postmortem=pm, actor=author, source=source, base_revision=pm.revision
    )
    assert search(user=viewer, query="zebrafish").total == 0
    assert search(user=viewer, query="walrus").total == 1


def test_matches_are_escaped(author: Any, viewer: Any) -> None:
    incident = make_incident(author, title="Payload <script>alert(1)</script> oddity")
    text = SOURCE.format(key=incident.key, title="XSS <img src=x onerror=alert(1)> oddity")
    make_postmortem(author, incident, text)
    result = search(user=viewer, query="oddity")
    html = "".join(str(h.title) + str(h.snippet) for h in result.hits)
    assert "<script>" not in html and "<img" not in html and "&lt;" in html
    page = login(viewer).get("/search/?q=oddity").content.decode()
    assert "<script>alert" not in page and "<img src=x" not in page


def test_odd_queries_do_not_fail(published: Any, viewer: Any) -> None:
    for q in [
        '"',
        "AND OR NOT",
        "*",
        "canary)",
        "-",
        "NEAR(a b)",
        "col:umn",
        "ü",
        "\x00x",
        "a" * 600,
    ]:
        search(user=viewer, query=q)
    assert fts5_query('a "b" c*') == '"a" "b" "c"*'


@pytest.mark.usefixtures("drafts_open")
def test_restricted_never_in_results_or_counts(secret: dict[str, Any], published: Any) -> None:
    outsider = make_user("author")
    queries = ["zzsecret", "ZZSECRET credential", "credential leak", "rotate keys", "canary", ""]
    client = login(outsider)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token_issue(user=outsider)}")
    for q in queries:
        for filters in (
            {},
            {"severity": "SEV1"},
            {"service": "zzsecretsvc"},
            {"team": "team-zzsecret"},
        ):
            result = search(user=outsider, query=q, filters=filters)
            assert all(h.incident_key != secret["incident"].key for h in result.hits)
            params = "&".join(f"{k}={v}" for k, v in filters.items())
            page = client.get(f"/search/?q={q}&{params}").content.decode()
            data = api.get(f"/api/search?q={q}&{params}").json()
            # What the person typed is echoed back; what matched must hold nothing of it.
            for body in (page.split('id="results"', 1)[1], str(data["results"])):
                assert "zzsecret" not in body.lower()
                assert not re.search(rf"\b{secret['incident'].key}\b", body)
    # Counts: only the public postmortem's entries are counted.
    assert search(user=outsider, query="zzsecret").total == 0
    assert search(user=outsider, query="", filters={"severity": "SEV1"}).total == 0
    # Members and admins find it.
    member = make_user("viewer")
    secret["incident"].members.add(member)
    for user in (member, make_user("admin"), secret["owner"]):
        assert search(user=user, query="zzsecret").total >= 3


def test_api(published: Any, api: APIClient) -> None:
    data = api.get("/api/search?q=canary&kind=action&limit=1").json()
    assert data["count"] == 1 and len(data["results"]) == 1
    assert "<mark>" in data["results"][0]["title_html"]
    assert APIClient().get("/api/search?q=canary").status_code == 401


def test_page_htmx_partial(published: Any, viewer: Any) -> None:
    client = login(viewer)
    page = client.get("/search/?q=canary")
    assert (
        page.status_code == 200
        and "<mark>" in page.content.decode()
        and "<form" in page.content.decode()
    )
    partial = client.get("/search/?q=canary", HTTP_HX_REQUEST="true").content.decode()
    assert "<form" not in partial and "result" in partial


def test_ranking_is_bounded_but_counts_are_not(author: Any, viewer: Any, monkeypatch: Any) -> None:
    """PostgreSQL ranks only the most recent matches; the count still covers every match."""
    from datetime import UTC, datetime

    from nofault.web.search import selectors

    monkeypatch.setattr(selectors, "RANK_CANDIDATES", 2)
    for year in (2021, 2022, 2023, 2024):
        make_incident(author, title=f"Zebra outage of {year}",
                      started_at=datetime(year, 5, 1, tzinfo=UTC))  # fmt: skip
    result = search(user=viewer, query="zebra")
    assert result.total == 4
    years = sorted(str(h.occurred.year) for h in result.hits if h.occurred)
    expected = (
        ["2023", "2024"] if connection.vendor == "postgresql" else ["2021", "2022", "2023", "2024"]
    )
    assert years == expected


def test_recent_matches_are_read_newest_first_across_stretches_of_time(
    author: Any, viewer: Any, monkeypatch: Any
) -> None:
    """Counts and the ranked candidates are the same however the dates spread out."""
    from datetime import UTC, datetime, timedelta

    from nofault.web.search import selectors

    monkeypatch.setattr(selectors, "RANK_CANDIDATES", 3)
    monkeypatch.setattr(selectors, "FIRST_WINDOW_DAYS", 2)
    now = datetime.now(UTC)
    ages = (0, 1, 5, 40, 41, 400, 3_000)
    for days in ages:
        make_incident(author, title=f"Walrus outage {days} days ago",
                      started_at=now - timedelta(days=days, hours=1))  # fmt: skip
    result = search(user=viewer, query="walrus")
    assert result.total == len(ages) and not result.capped
    shown = sorted(h.occurred for h in result.hits if h.occurred)
    if connection.vendor == "postgresql":  # the three most recent are ranked
        assert len(shown) == 3 and shown[0] >= (now - timedelta(days=5, hours=2)).date()
    else:
        assert len(shown) == len(ages)
    monkeypatch.setattr(selectors, "COUNT_CAP", 4)
    capped = search(user=viewer, query="walrus")
    assert capped.total == 4 and capped.capped


def test_list_filters_match_whole_names(author: Any, viewer: Any) -> None:
    make_incident(author, title="Narwhal outage", services=["pay", "checkout-api"])
    make_incident(author, title="Narwhal slowdown", services=["payments"])
    assert search(user=viewer, query="narwhal", filters={"service": "pay"}).total == 1
    assert search(user=viewer, query="narwhal", filters={"service": "PAYMENTS"}).total == 1
    assert search(user=viewer, query="narwhal", filters={"service": "checkout"}).total == 0
    assert search(user=viewer, query="narwhal", filters={"service": "pay,checkout-api"}).total == 1


def test_team_filter_offers_only_teams_the_person_may_see(
    secret: dict[str, Any], published: Any
) -> None:
    from nofault.web.search.selectors import facet_values

    outsider = make_user("author")
    assert "team-checkout" in facet_values(user=outsider)["teams"]
    assert "team-zzsecret" not in facet_values(user=outsider)["teams"]
    assert "team-zzsecret" not in login(outsider).get("/search/").content.decode()
    member = make_user("viewer")
    secret["incident"].members.add(member)
    for user in (member, make_user("admin")):
        assert "team-zzsecret" in facet_values(user=user)["teams"]
    assert facet_values(user=AnonymousUser())["teams"] == []
    assert search(user=AnonymousUser(), query="canary").total == 0
    assert search(user=AnonymousUser(), query="", filters={"kind": "action"}).total == 0


def test_more_results_link_stops_at_the_last_ranked_match(
    author: Any, viewer: Any, monkeypatch: Any
) -> None:
    from datetime import UTC, datetime

    from nofault.web.search import selectors

    monkeypatch.setattr(selectors, "RANK_CANDIDATES", 2)
    monkeypatch.setattr(selectors, "PAGE_SIZE", 1)
    for year in (2021, 2022, 2023):
        make_incident(author, title=f"Okapi outage of {year}",
                      started_at=datetime(year, 5, 1, tzinfo=UTC))  # fmt: skip
    client = login(viewer)
    second = client.get("/search/?q=okapi&offset=1").content.decode()
    assert "3 results" in second and "Okapi" in second
    has_third = "More results" in second
    assert has_third == (connection.vendor != "postgresql")  # PostgreSQL shows two, ranked
