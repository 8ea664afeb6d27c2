"""The action board's counts follow an incident's restriction however it changes.

These tests change the incident every way there is (services, a queryset update) and check
the board against the access-filtered list each time.
"""

from __future__ import annotations

from typing import Any

import pytest

from nofault.web.actions import selectors
from nofault.web.incidents import services as incident_services
from nofault.web.incidents.models import Incident
from tests.web.factories import make_incident, make_postmortem, make_user

pytestmark = pytest.mark.django_db

STATUSES = ["open", "in_progress", "done", "wont_do"]


def _board_ids(user: Any) -> set[int]:
    cards = selectors.action_item_cards_visible(user=user, statuses=STATUSES, limit=50)
    return {c["postmortem_id"] for rows in cards.values() for c in rows}


def _counts_match_list(user: Any, filters: dict[str, str] | None = None) -> None:
    listed = selectors.action_item_list_visible(user=user, filters=filters)
    for cap in (0, 1, 100):
        counts = selectors.action_item_counts_visible(
            user=user, statuses=STATUSES, filters=filters, cap=cap
        )
        for status in STATUSES:
            assert counts[status] == min(listed.filter(status=status).count(), cap + 1), (
                status,
                cap,
                filters,
            )


def _sees(user: Any, pm: Any) -> bool:
    """Whether the board's counts take in the postmortem's items (and match the list)."""
    _counts_match_list(user)
    listed = selectors.action_item_list_visible(user=user)
    in_list = listed.filter(postmortem=pm).exists()
    assert (pm.pk in _board_ids(user)) is in_list
    return in_list


def test_counts_follow_the_incident_restricted_and_opened_again() -> None:
    owner = make_user("author")
    outsider, member = make_user("author"), make_user("viewer")
    make_postmortem(owner)
    incident = make_incident(owner)
    pm = make_postmortem(owner, incident)
    incident.members.add(member)
    assert _sees(outsider, pm) and _sees(member, pm)

    incident_services.incident_update(incident=incident, actor=owner, restricted=True)
    assert not _sees(outsider, pm)
    assert _sees(member, pm)

    incident_services.incident_member_remove(incident=incident, actor=owner, user=member)
    assert not _sees(member, pm)
    incident_services.incident_member_add(incident=incident, actor=owner, user=outsider)
    assert _sees(outsider, pm)
    incident_services.incident_member_remove(incident=incident, actor=owner, user=outsider)

    # A queryset update bypasses the model's save (and any signal): the flag still follows.
    Incident.objects.filter(pk=incident.pk).update(restricted=False)
    assert _sees(outsider, pm)
    Incident.objects.filter(pk=incident.pk).update(restricted=True)
    assert not _sees(outsider, pm)


def test_a_postmortem_written_for_a_restricted_incident_is_hidden_at_once() -> None:
    owner = make_user("author")
    outsider = make_user("author")
    pm = make_postmortem(owner, make_incident(owner, restricted=True))
    assert not _sees(outsider, pm)
    assert _sees(owner, pm)  # the creator is a member
    assert _sees(make_user("admin"), pm)


def test_counts_with_filters_match_the_list() -> None:
    owner = make_user("author")
    outsider = make_user("author")
    make_postmortem(owner)
    hidden = make_postmortem(owner, make_incident(owner, restricted=True))
    item = hidden.action_items.first()
    assert item is not None
    for user in (outsider, owner, make_user("admin")):
        for filters in (
            {"owner": item.owner or "x"},
            {"overdue": "yes"},
            {"due_before": "2100-01-01"},
            {"postmortem": str(hidden.pk)},
            {"status": "open", "owner": "a"},
        ):
            _counts_match_list(user, filters)
