"""The review policy form: a bad value is refused at save, by field and reason, nothing half-saved."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from nofault.web.reviews import selectors
from nofault.web.reviews.models import ServiceTeam

pytestmark = pytest.mark.django_db


def _form(**changes: Any) -> dict[str, Any]:
    form: dict[str, Any] = {
        "facilitator_after_days": 1,
        "sponsor_after_days": 3,
        "repeat_every_hours": 12,
        "digest_weekday": 0,
        "recurrence_window_days": 60,
        "sponsor": "ada",
        "teams": "api = team-edge",
        **{f"SEV{n}-level": "full" for n in range(1, 6)},
        **{f"SEV{n}-due_days": 5 for n in range(1, 6)},
    }
    form.update(changes)
    return form


def _post(user: Any, form: dict[str, Any]) -> Any:
    client = Client()
    client.force_login(user)
    return client.post("/reviews/policy/", form)


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({"SEV2-due_days": "ten"}, "SEV2: the days are a whole number"),
        ({"SEV3-due_days": "0"}, "SEV3: due days are 1 to 365"),
        ({"SEV1-level": "deep"}, "SEV1: level is full or light"),
        ({"teams": "api = team-edge\nthe database team"}, "line 2: write"),
        ({"sponsor_after_days": 0, "facilitator_after_days": 2}, "reminded after the facilitator"),
        ({"digest_weekday": 9}, "less than or equal to 6"),
        ({"sponsor": "nobody"}, "sponsor: no active person is called &#x27;nobody&#x27;"),
        (
            {"teams": "api = team-edge\nAPI = team-core"},
            "line 2: &#x27;API&#x27; is already mapped",
        ),
        ({"teams": "x" * 201 + " = team-x"}, "line 1: a service name is at most 200 characters"),
        ({"teams": "api = " + "t" * 201}, "line 1: a team name is at most 200 characters"),
    ],
)
def test_a_bad_value_is_refused_and_nothing_is_saved(
    admin: Any, change: dict[str, Any], says: str
) -> None:
    ServiceTeam.objects.create(service="web", team="team-web")
    response = _post(admin, _form(**change))
    assert response.status_code == 400
    assert says in response.content.decode()
    assert "The review policy is saved" not in response.content.decode()
    assert selectors.policy_settings().sponsor == ""
    assert not selectors.policy_settings().overrides
    assert dict(ServiceTeam.objects.values_list("service", "team")) == {"web": "team-web"}


def test_a_good_form_saves_both_parts(admin: Any) -> None:
    assert _post(admin, _form(sponsor="ADA")).status_code == 302
    assert selectors.policy_settings().sponsor == "ada"  # as the account spells it
    assert dict(ServiceTeam.objects.values_list("service", "team")) == {"api": "team-edge"}
