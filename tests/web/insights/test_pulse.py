"""The pulse: one anonymous answer each, results only in aggregate from three answers."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.db import connection, models

from nofault.web.api_errors import ServiceError
from nofault.web.insights import selectors, services
from nofault.web.insights.models import PulseComments, PulseParticipation, PulseTally
from tests.web.factories import make_user
from tests.web.insights.conftest import login

pytestmark = pytest.mark.django_db

GOOD = {"safe_to_share": 5, "systems_not_people": 4, "learned": 3}


def test_answer_once_and_results_from_three(published: Any) -> None:
    people = [make_user("viewer") for _ in range(3)]
    services.pulse_answer(postmortem=published, actor=people[0], scores=GOOD, comment="Zebra")
    with pytest.raises(ServiceError) as refused:
        services.pulse_answer(postmortem=published, actor=people[0], scores=GOOD)
    assert refused.value.reason == "already_answered"
    services.pulse_answer(postmortem=published, actor=people[1], scores=GOOD)
    hidden = selectors.pulse_results(postmortem=published)
    assert hidden == {"answered": 2, "shown": False, "needed": 3}
    services.pulse_answer(postmortem=published, actor=people[2],
                          scores={"safe_to_share": 2, "systems_not_people": 4, "learned": 3},
                          comment="apple")  # fmt: skip
    shown = selectors.pulse_results(postmortem=published)
    assert shown["shown"] and shown["answered"] == 3
    safe = next(s for s in shown["statements"] if s["key"] == "safe_to_share")
    assert safe["mean"] == 4.0 and safe["distribution"] == [0, 1, 0, 0, 2]
    assert shown["comments"] == ["apple", "Zebra"]  # sorted, not in the order written


def test_invalid_answers_are_refused(published: Any, postmortem: Any) -> None:
    person = make_user("viewer")
    for scores in ({}, {**GOOD, "learned": 6}, {**GOOD, "learned": 0}, {"safe_to_share": 3}):
        with pytest.raises(ServiceError):
            services.pulse_answer(postmortem=published, actor=person, scores=scores)
    with pytest.raises(ServiceError):  # a draft's review meeting has not happened
        services.pulse_answer(postmortem=postmortem, actor=person, scores=GOOD)
    assert not PulseParticipation.objects.exists() and not PulseTally.objects.exists()


def _user_model() -> Any:
    return apps.get_model("accounts", "User")


def test_answers_cannot_be_joined_back_to_people(published: Any) -> None:
    """No answer row names a person, a time, or an order that would line up with participation."""
    for model in (PulseTally, PulseComments):
        for f in model._meta.get_fields():
            assert not (f.is_relation and f.related_model is _user_model()), (model, f.name)
            assert not isinstance(f, models.DateField | models.DateTimeField), (model, f.name)
    # Participation says who answered, never what or when.
    names = {f.name for f in PulseParticipation._meta.get_fields()}
    assert names == {"id", "postmortem", "user"}
    # At the database level too: no column of the answer tables holds a user id.
    people = [make_user("viewer") for _ in range(4)]
    for person, score in zip(people, (1, 2, 4, 5), strict=True):
        services.pulse_answer(postmortem=published, actor=person,
                              scores={**GOOD, "learned": score}, comment=f"c{score}")  # fmt: skip
    with connection.cursor() as cursor:
        for table in (PulseTally._meta.db_table, PulseComments._meta.db_table):
            columns = [
                c.name for c in connection.introspection.get_table_description(cursor, table)
            ]
            assert not any("user" in c for c in columns), columns
            relations = connection.introspection.get_relations(cursor, table)
            assert all(target != _user_model()._meta.db_table for _, target in relations.values())
    # A tally counts people per score: there is no row per answer to match up with anyone.
    assert PulseTally.objects.filter(statement="learned").count() == 4
    assert set(PulseTally.objects.values_list("count", flat=True)) <= {1, 4}
    assert PulseComments.objects.get().comments == ["c1", "c2", "c4", "c5"]


def test_admin_page_shows_only_aggregates(published: Any, admin: Any) -> None:
    people = [make_user("viewer", f"pulse-person-{i}") for i in range(3)]
    for i, person in enumerate(people):
        services.pulse_answer(postmortem=published, actor=person,
                              scores={**GOOD, "learned": i + 1}, comment=f"remark {i}")  # fmt: skip
    page = login(admin).get(f"/insights/pulse/{published.pk}/").content.decode()
    assert "3 people answered" in page and "remark 0" in page
    assert not any(p.username in page for p in people)


def test_page_answer_flow(published: Any) -> None:
    person = make_user("viewer")
    client = login(person)
    assert "pulse-form" in client.get(f"/insights/pulse/{published.pk}/").content.decode()
    response = client.post(f"/insights/pulse/{published.pk}/", {**GOOD, "comment": "ok"})
    assert response.status_code == 302
    page = client.get(f"/insights/pulse/{published.pk}/").content.decode()
    assert "pulse-form" not in page and "1 of the 3 answers" in page
    assert client.post(f"/insights/pulse/{published.pk}/", GOOD).status_code == 409
    assert "answered" in client.get("/insights/pulse/").content.decode()


def test_trend_per_team_needs_three(published: Any, viewer: Any) -> None:
    people = [make_user("viewer") for _ in range(2)]
    for person in people:
        services.pulse_answer(postmortem=published, actor=person, scores=GOOD)
    assert selectors.pulse_trend(user=viewer)["teams"] == {}
    services.pulse_answer(postmortem=published, actor=make_user("viewer"), scores=GOOD)
    trend = selectors.pulse_trend(user=viewer)
    ((team, per_quarter),) = trend["teams"].items()
    assert team == "team-checkout"
    assert next(iter(per_quarter.values()))["safe_to_share"] == 5.0
    assert "<svg" in trend["charts"][team]


def test_restricted_review_pulse_is_hidden(secret: dict[str, Any]) -> None:
    outsider = login(make_user("viewer"))
    assert outsider.get(f"/insights/pulse/{secret['postmortem'].pk}/").status_code == 404
    assert "ZZSECRET" not in outsider.get("/insights/pulse/").content.decode()


def test_the_insights_page_shows_a_teams_pulse_once_three_answered(
    published: Any, viewer: Any, settings: Any
) -> None:
    settings.NOFAULT_INSIGHTS_STALE_SECONDS = 0  # every answer shows at once
    client = login(viewer)
    assert (
        "No team has three or more pulse answers yet." in client.get("/insights/").content.decode()
    )
    for _ in range(3):
        services.pulse_answer(postmortem=published, actor=make_user("viewer"), scores=GOOD)
    page = client.get("/insights/").content.decode()
    assert "No team has three" not in page and "Pulse of team-checkout" in page
