"""The figures the database aggregates equal the core's `metrics_by` over the same records."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from nofault.core.insights.metrics import compute_metrics, metrics_by
from nofault.web.actions.models import ActionItem
from nofault.web.incidents.models import Incident
from nofault.web.insights.facts import facts_rebuild
from nofault.web.insights.figures import figures_by_dimension, incidents_by_severity_and_month
from nofault.web.insights.models import PostmortemDigest
from nofault.web.insights.records import incident_records, postmortem_records
from nofault.web.postmortems.models import Postmortem
from nofault.web.reviews.models import Waiver
from tests.web.factories import make_incident, make_postmortem, make_sponsor, make_user

pytestmark = pytest.mark.django_db

TEAMS = ("team-checkout", "team-data", "", "team-web")
SERVICES = (["checkout"], ["checkout", "payments"], [], ["search"], ["payments", "payments"])


def _varied(author: Any, member: Any, count: int = 24) -> None:
    """Incidents with and without reviews, waived, restricted, timed to the second, late items."""
    from nofault.web.reviews.services import review_waive

    rng = random.Random(4)
    now = timezone.now()
    facilitator = make_user("facilitator")
    for n in range(count):
        incident = make_incident(author, title=f"Case {n}", severity=("SEV1", "SEV2", "SEV4")[n % 3],
                                 services=SERVICES[n % len(SERVICES)])  # fmt: skip
        start = now - timedelta(days=rng.randint(0, 500), seconds=rng.randint(0, 86_399),
                                microseconds=rng.choice((0, 250_000, 999_999)))  # fmt: skip
        times: dict[str, Any] = {"created_at": start + timedelta(minutes=5)}
        if n % 7 != 3:  # some incidents have no times at all
            times.update(
                started_at=start,
                detected_at=start + timedelta(seconds=rng.choice((3, 63, 183, 9, 600, -30))),
                mitigated_at=start + timedelta(seconds=rng.randint(60, 9_000)),
                resolved_at=start + timedelta(seconds=rng.randint(3_000, 90_000)),
            )
        if n % 5 == 0:
            times["restricted"] = True
        Incident.objects.filter(pk=incident.pk).update(**times)
        if n % 10 == 0:
            incident.members.add(member)
        if n % 4 == 3:
            if n % 3 == 2:  # SEV4: the policy lets a sponsor waive it
                review_waive(incident=incident, actor=make_sponsor(facilitator),
                             reason="A planned drill with its own write-up.")  # fmt: skip
            continue
        pm = make_postmortem(author, incident)
        status = ("published", "published", "in_review", "draft")[n % 4]
        published_at = start + timedelta(days=rng.randint(-2, 30), hours=rng.randint(0, 23))
        Postmortem.objects.filter(pk=pm.pk).update(
            status=status, published_at=published_at if status == "published" else None,
            depth_score=rng.choice((None, 0.5, 0.51, 0.725, 0.8333)),
            blame_count=rng.randint(0, 3),
        )  # fmt: skip
        PostmortemDigest.objects.filter(postmortem=pm).update(
            team=TEAMS[n % len(TEAMS)],
            related_incidents=["INC-1"] if n % 3 == 0 else [],
            blame_first_draft=rng.choice((None, 0, 1, 2)),
            blame_at_publication=rng.choice((None, 0, 1)),
        )
        for k, item in enumerate(pm.action_items.all()):
            state = rng.choice(("open", "in_progress", "done", "done", "wont_do"))
            due = (start + timedelta(days=rng.randint(-5, 600))).date() if k or n % 2 else None
            closed = start + timedelta(days=rng.randint(0, 60), seconds=rng.randint(0, 86_399))
            ActionItem.objects.filter(pk=item.pk).update(
                status=state, due=due, created_at=start + timedelta(hours=rng.randint(0, 48)),
                closed_at=closed if state in ("done", "wont_do") else None,
            )  # fmt: skip
    assert Waiver.objects.exists()
    # The rows above were changed with update(), past the signal receivers: rewrite the
    # figures rows as `insights_refresh --facts` does (test_facts checks the receivers).
    facts_rebuild()


def _core(user: Any, since: Any, today: Any) -> dict[str, dict[str, Any]]:
    pms = postmortem_records(user=user, since=since, until=today)
    incs = incident_records(user=user, since=since, until=today)
    out = {"overall": {"": compute_metrics(pms, incs, today=today)}}
    for dim in ("severity", "service", "team", "month"):
        out[dim] = metrics_by(dim, pms, incs, today=today)
    return out


@pytest.mark.parametrize("who", ["admin", "member", "viewer"])
def test_database_figures_equal_the_cores(author: Any, who: str) -> None:
    member = make_user("viewer")
    _varied(author, member)
    user = {"admin": make_user("admin"), "member": member, "viewer": make_user("viewer")}[who]
    today = timezone.localdate()
    for since in (None, today - timedelta(days=365)):
        expected = _core(user, since, today)
        got = figures_by_dimension(user=user, since=since, until=today, today=today)
        for dim, groups in expected.items():
            assert list(got[dim]) == list(groups), dim
            for key, metrics in groups.items():
                assert got[dim][key].as_dict() == metrics.as_dict(), (dim, key)
        counts = incidents_by_severity_and_month(user=user, since=since, until=today, today=today)
        for severity in expected["severity"]:
            pms = [p for p in postmortem_records(user=user, since=since, until=today)
                   if (p.severity or "unknown") == severity]  # fmt: skip
            incs = [i for i in incident_records(user=user, since=since, until=today)
                    if (i.severity or "unknown") == severity]  # fmt: skip
            per_month = metrics_by("month", pms, incs, today=today)
            assert {m: g.incidents for m, g in per_month.items()} == counts[severity]


def test_an_anonymous_caller_sees_no_figures(author: Any) -> None:
    from django.contrib.auth.models import AnonymousUser

    _varied(author, make_user("viewer"))
    today = timezone.localdate()
    got = figures_by_dimension(user=AnonymousUser(), since=None, until=today, today=today)
    assert got == {"overall": {}, "severity": {}, "service": {}, "team": {}, "month": {}}


def test_no_incidents_no_groups(viewer: Any) -> None:
    today = timezone.localdate()
    got = figures_by_dimension(user=viewer, since=None, until=today, today=today)
    assert got == {"overall": {}, "severity": {}, "service": {}, "team": {}, "month": {}}
