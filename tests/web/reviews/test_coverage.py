"""Review policy, waivers and the coverage ledger: pages, API, and access as elsewhere."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from nofault.core.policy import CoverageState, coverage_state
from nofault.web.api_errors import NotAllowedError, ServiceError
from nofault.web.incidents.models import Incident
from nofault.web.reviews import selectors, services
from nofault.web.reviews.models import ServiceTeam, Waiver
from tests.web.factories import PASSWORD, make_incident, make_postmortem, make_sponsor


def login(user: Any) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def ledger(author: Any, reviewer: Any, facilitator: Any) -> dict[str, Incident]:
    """One incident in every state."""
    now = timezone.now()
    missing = make_incident(author, title="Missing one", severity="SEV4", services=["api"])
    overdue = make_incident(author, title="Overdue one", severity="SEV1", services=["db"])
    Incident.objects.filter(pk=overdue.pk).update(postmortem_due=(now - timedelta(days=3)).date())
    drafting = make_postmortem(author).incident
    in_review = make_postmortem(author)
    services.postmortem_submit_for_review(postmortem=in_review, actor=author, reviewers=[reviewer])
    published = make_postmortem(author)
    services.postmortem_submit_for_review(postmortem=published, actor=author, reviewers=[reviewer])
    services.postmortem_approve(postmortem=published, actor=reviewer)
    services.postmortem_publish(postmortem=published, actor=author)
    waived = make_incident(author, title="Drill", severity="SEV4", services=["api"])
    services.review_waive(incident=waived, actor=make_sponsor(facilitator),
                          reason="It was a planned drill with its own write-up.")  # fmt: skip
    return {"missing": missing, "overdue": overdue, "drafting": drafting,
            "in_review": in_review.incident, "published": published.incident, "waived": waived}  # fmt: skip


def test_every_state_shows_on_the_ledger(ledger: dict[str, Incident], admin: Any) -> None:
    states = dict(selectors.coverage_list(user=admin).values_list("key", "coverage"))
    for state, incident in ledger.items():
        assert states[incident.key] == state, state


def test_sql_states_agree_with_the_core(ledger: dict[str, Incident], admin: Any) -> None:
    now = timezone.now()
    for incident in selectors.coverage_list(user=admin).select_related("postmortem"):
        pm = getattr(incident, "postmortem", None)
        due = incident.postmortem_due
        due_at = None
        if due is not None:
            due_at = timezone.make_aware(
                timezone.datetime.combine(due, timezone.datetime.max.time())
            )
        assert incident.coverage == coverage_state(
            postmortem_status=pm.status if pm else None,
            waived=incident.waived,
            due_at=due_at,
            now=now,
        )


def test_a_minor_incident_without_a_review_is_missing_like_a_major_one(
    author: Any, admin: Any
) -> None:
    minor = make_incident(author, title="tiny", severity="SEV5")
    major = make_incident(author, title="big", severity="SEV1")
    states = dict(selectors.coverage_list(user=admin).values_list("key", "coverage"))
    assert states[minor.key] == states[major.key] == CoverageState.MISSING


def test_rates_by_severity_team_and_month(ledger: dict[str, Incident], admin: Any) -> None:
    ServiceTeam.objects.create(service="api", team="team-edge")
    summary = selectors.coverage_summary(user=admin)
    assert summary.total.total == 6 and summary.total.covered == 2
    assert summary.by_team["team-edge"].total == 2 and summary.by_team["team-edge"].covered == 1
    assert summary.by_severity["SEV4"].states == {"missing": 1, "waived": 1}
    month = timezone.now().strftime("%Y-%m")
    assert summary.by_month[month].total == 6


def test_waivers_need_a_reason_and_a_person_who_holds_the_role(
    author: Any, facilitator: Any
) -> None:
    sev4 = make_incident(author, severity="SEV4")
    sev1 = make_incident(author, severity="SEV1")
    with pytest.raises(NotAllowedError):
        services.review_waive(incident=sev4, actor=author, reason="A good reason here.")
    # The policy lets the sponsor waive: a facilitator who is not the sponsor is refused,
    # whatever role they would claim.
    with pytest.raises(ServiceError, match="only the sponsor"):
        services.review_waive(incident=sev4, actor=facilitator, reason="A good reason here.")
    assert not Waiver.objects.exists()
    with pytest.raises(ServiceError, match="reason"):
        services.review_waive(incident=sev4, actor=make_sponsor(facilitator), reason="meh")
    with pytest.raises(ServiceError, match="cannot be waived"):
        services.review_waive(incident=sev1, actor=facilitator, reason="A good reason here.")
    waiver = services.review_waive(incident=sev4, actor=facilitator, reason="A good reason here.")
    assert waiver.role == "sponsor" and waiver.decided_by == facilitator


def test_admins_change_the_policy_and_new_incidents_follow_it(author: Any, admin: Any) -> None:
    before = make_incident(author, severity="SEV3")
    services.review_policy_update(
        actor=admin, severities={"SEV3": {"level": "light", "due_days": 30, "waivable": True}}
    )
    assert selectors.review_policy().rule("SEV3").due_days == 30
    after = make_incident(author, severity="SEV3")
    assert after.postmortem_due is not None and before.postmortem_due is not None
    assert after.postmortem_due > before.postmortem_due
    with pytest.raises(NotAllowedError):
        services.review_policy_update(actor=author, severities={})


def test_due_dates_come_from_the_guide(author: Any) -> None:
    incident = make_incident(author, severity="SEV1")
    expected = selectors.review_policy().requirement("SEV1", incident.created_at).due_at.date()
    assert incident.postmortem_due == expected


def test_restricted_incidents_only_for_members(
    secret: dict[str, Any], author: Any, admin: Any
) -> None:
    key = secret["incident"].key
    assert not selectors.coverage_list(user=author).filter(key=key).exists()
    assert selectors.coverage_list(user=admin).filter(key=key).exists()
    assert selectors.coverage_list(user=secret["owner"]).filter(key=key).exists()
    assert selectors.coverage_summary(user=author).total.total == 0
    page = login(author).get("/reviews/")
    assert page.status_code == 200 and secret["marker"] not in page.content.decode()
    api = login(author).get("/api/coverage")
    assert secret["marker"] not in api.content.decode() and api.json()["count"] == 0
    assert secret["marker"] in login(admin).get("/api/coverage").content.decode()


def test_the_rates_follow_each_change_at_once(
    ledger: dict[str, Incident], secret: dict[str, Any], author: Any, facilitator: Any, admin: Any
) -> None:
    def states() -> dict[str, int]:
        return selectors.coverage_summary(user=author).total.states

    assert states()["waived"] == 1 and states()["published"] == 1  # asked twice: kept
    services.review_waiver_withdraw(incident=ledger["waived"], actor=facilitator)
    assert "waived" not in states()
    in_review = ledger["in_review"].postmortem
    services.postmortem_approve(postmortem=in_review, actor=in_review.reviewers.get())
    services.postmortem_publish(postmortem=in_review, actor=author)
    assert states()["published"] == 2 and "in_review" not in states()
    before = selectors.coverage_summary(user=author).total.total
    secret["incident"].members.add(author)  # now a member of the restricted incident
    assert selectors.coverage_summary(user=author).total.total == before + 1
    services.service_teams_set(actor=admin, mapping={"api": "team-renamed"})
    assert "team-renamed" in selectors.coverage_summary(user=author).by_team


def test_ledger_page_and_api(ledger: dict[str, Incident], facilitator: Any, admin: Any) -> None:
    page = login(facilitator).get("/reviews/").content.decode()
    assert 'data-state="missing"' in page and "planned drill" in page and "Waive review" in page
    data = login(admin).get("/api/coverage?state=waived").json()
    assert data["count"] == 1 and data["incidents"][0]["waiver"]["role"] == "sponsor"
    assert data["total"]["total"] == 6
    assert login(admin).get("/api/coverage?state=bogus").status_code == 400
    assert Client().get("/api/coverage").status_code in (401, 403)


def test_ledger_heading_counts_the_incidents_the_person_may_see(
    ledger: dict[str, Incident], secret: dict[str, Any], author: Any, admin: Any
) -> None:
    def heading(user: Any, query: str = "") -> int:
        page = login(user).get("/reviews/" + query).content.decode()
        found = re.search(r'Review coverage <span class="muted">\((\d+)\)', page)
        assert found, page
        return int(found.group(1))

    everything = Incident.objects.count()
    assert heading(admin) == everything
    assert heading(author) == everything - 1  # the restricted incident is not theirs
    assert heading(author, "?state=waived") == 1 and heading(author, "?severity=SEV1") == 1
    secret["incident"].members.add(author)
    assert heading(author) == everything and heading(author, "?severity=SEV1") == 2


def test_ledger_rows_offer_waiver_forms_to_those_who_decide_waivers(
    ledger: dict[str, Incident], facilitator: Any, author: Any
) -> None:
    def row(user: Any, state: str) -> str:
        page = login(user).get("/reviews/").content.decode()
        found = re.search(
            rf'<tr class="[^"]*" data-key="[^"]+" data-state="{state}">.*?</tr>', page, re.S
        )
        assert found, state
        return found.group(0)

    waived = row(facilitator, "waived")
    assert "Withdraw waiver" in waived and 'name="csrfmiddlewaretoken"' in waived
    assert f"/reviews/incidents/{ledger['waived'].key}/withdraw/" in waived
    assert "Waive review" not in row(facilitator, "published")
    assert "<form" not in row(author, "waived") and "<form" not in row(author, "missing")
    withdraw = login(facilitator).post(f"/reviews/incidents/{ledger['waived'].key}/withdraw/")
    assert withdraw.status_code == 302 and not Waiver.objects.filter(incident=ledger["waived"])


def test_policy_page_saves_for_admins_only(admin: Any, author: Any) -> None:
    form = {"facilitator_after_days": 1, "sponsor_after_days": 3, "repeat_every_hours": 12,
            "digest_weekday": 0, "recurrence_window_days": 60, "sponsor": "ada",
            "teams": "api = team-edge\ndb = team-data",
            **{f"SEV{n}-level": "full" for n in range(1, 6)},
            **{f"SEV{n}-due_days": 5 for n in range(1, 6)}}  # fmt: skip
    assert login(author).post("/reviews/policy/", form).status_code == 302
    assert selectors.policy_settings().sponsor == ""
    assert login(admin).post("/reviews/policy/", form).status_code == 302
    assert selectors.policy_settings().sponsor == "ada"
    assert dict(ServiceTeam.objects.values_list("service", "team")) == {
        "api": "team-edge",
        "db": "team-data",
    }
    assert "changed" in login(admin).get("/reviews/policy/").content.decode()
