"""The insights figures: what each person may see, the period, waivers, groups and the chart."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from nofault.web.incidents.models import Incident
from nofault.web.insights import selectors
from nofault.web.insights.figures import page_figures
from nofault.web.reviews.services import review_waive
from tests.web.factories import make_incident, make_postmortem, make_sponsor, make_user
from tests.web.insights.conftest import publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(author: Any) -> dict[str, Any]:
    """Published SEV1, waived SEV4 (two services), restricted SEV1 draft, a SEV2 of 400 days ago."""
    now = timezone.now()
    public = make_incident(author, title="Checkout errors", severity="SEV1", services=["checkout"],
                           started_at=now)  # fmt: skip
    publish(make_postmortem(author, public), author)
    waived = make_incident(author, title="Drill", severity="SEV4",
                           services=["checkout", "payments"], started_at=now)  # fmt: skip
    review_waive(incident=waived, actor=make_sponsor(make_user("facilitator")),
                 reason="A planned drill with its own write-up.")  # fmt: skip
    hidden = make_incident(author, title="Key leak", severity="SEV1", restricted=True)
    make_postmortem(author, hidden)
    old = make_incident(author, title="Old outage", severity="SEV2")
    then = now - timedelta(days=400)
    Incident.objects.filter(pk=old.pk).update(created_at=then, started_at=then)
    return {"author": author}


def _figures(user: Any, period: str) -> dict[str, Any]:
    return selectors.insight_figures(user=user, period=period)


def test_a_viewer_counts_the_public_incidents_of_the_period(cases: Any, viewer: Any) -> None:
    figures = _figures(viewer, "12m")
    overall = figures["overall"]
    assert (overall["incidents"], overall["postmortems"], overall["published"]) == (2, 1, 1)
    # The published review and the waived one both count as done.
    assert (overall["reviews_done"], overall["review_coverage"]) == (2, 1.0)
    assert overall["actions"] == 2
    tables = {dim: dict(rows) for dim, rows in figures["tables"].items()}
    assert {k: m["incidents"] for k, m in tables["severity"].items()} == {"SEV1": 1, "SEV4": 1}
    # An incident naming two services counts in both.
    assert {k: m["incidents"] for k, m in tables["service"].items()} == {
        "checkout": 2, "payments": 1
    }  # fmt: skip
    assert _figures(viewer, "all")["overall"]["incidents"] == 3  # the old one too


def test_a_member_and_an_admin_count_the_restricted_incident(cases: Any) -> None:
    member = _figures(cases["author"], "12m")["overall"]
    assert (member["incidents"], member["postmortems"], member["published"]) == (3, 2, 1)
    assert member["review_coverage"] == round(2 / 3, 4)
    assert _figures(make_user("admin"), "all")["overall"]["incidents"] == 4


def test_the_stacked_chart_counts_each_severity_per_month(cases: Any) -> None:
    today = timezone.localdate()
    found = page_figures(user=make_user("admin"), since=None, until=today, today=today)
    month = f"{today.year}-{today.month:02d}"
    then = timezone.now() - timedelta(days=400)
    # The restricted one has no start: it counts in the month of its postmortem's writing.
    assert found.incidents_by_severity_month["SEV1"] == {month: 2}
    assert found.incidents_by_severity_month["SEV4"] == {month: 1}
    assert found.incidents_by_severity_month["SEV2"] == {f"{then.year}-{then.month:02d}": 1}
    assert list(found.groups["month"]) == [f"{then.year}-{then.month:02d}", month]


def test_an_anonymous_caller_sees_no_figures(cases: Any) -> None:
    today = timezone.localdate()
    got = page_figures(user=AnonymousUser(), since=None, until=today, today=today)
    assert all(not groups for groups in got.groups.values())


def test_no_incidents_no_groups(viewer: Any) -> None:
    today = timezone.localdate()
    got = page_figures(user=viewer, since=None, until=today, today=today)
    assert got.groups == {"overall": {}, "severity": {}, "service": {}, "team": {}, "month": {}}
    assert _figures(viewer, "12m")["overall"]["incidents"] == 0
