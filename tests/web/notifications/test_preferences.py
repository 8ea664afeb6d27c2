"""The notification preferences form refuses a value it could not use, says which and why,
and keeps the preferences saved before."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from nofault.web.notifications.services import preference, preference_set


@pytest.mark.parametrize(
    ("slack_id", "reason"),
    [
        ("not an id!", "A Slack member id is U or W followed by letters and digits"),
        ("U0123\x00ABCD", "Null characters are not allowed"),
        ("", "Slack messages need your Slack member id"),
        ("U" + "1" * 60, "at most 40 characters"),
    ],
)
def test_a_slack_member_id_it_cannot_use_is_refused(
    author: Any, slack_id: str, reason: str
) -> None:
    preference_set(user=author, email=True, slack=True, slack_id="U0123ABCD")
    client = Client()
    client.force_login(author)
    response = client.post("/notifications/", {"slack": "on", "slack_id": slack_id})
    page = response.content.decode()
    assert response.status_code == 400 and reason in page and "Slack member id:" in page
    chosen = preference(author)
    assert (chosen.email, chosen.slack, chosen.slack_id) == (True, True, "U0123ABCD")


def test_an_id_typed_in_lower_case_is_kept_as_slack_writes_it(author: Any) -> None:
    client = Client()
    client.force_login(author)
    assert (
        client.post("/notifications/", {"slack": "on", "slack_id": " w07xyz "}).status_code == 302
    )
    assert preference(author).slack_id == "W07XYZ"
