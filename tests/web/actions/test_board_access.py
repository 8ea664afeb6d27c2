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


def test_the_list_counts_what_it_may_show() -> None:
    """The list's heading adds up the columns' capped counts: the visible items, exactly
    while under the cap."""
    from django.test import Client

    owner = make_user("author")
    outsider = make_user("author")
    make_postmortem(owner)
    make_postmortem(owner, make_incident(owner, restricted=True))
    for user, expected in ((outsider, 2), (owner, 4)):
        client = Client()
        client.force_login(user)
        html = client.get("/actions/list/").content.decode()
        assert f'Action items <span class="muted">({expected})</span>' in html
        assert html.count('<a class="tracker-link"') == expected
        assert "Page 1" not in html  # one page: no paging links
        done = client.get("/actions/list/?status=done").content.decode()
        assert 'Action items <span class="muted">(0)</span>' in done
        assert "No action items match." in done
        assert "No action items match." in client.get("/actions/list/?page=2").content.decode()


def test_the_board_statement_gives_the_cards_and_counts_of_the_two() -> None:
    """The board's one statement (cards and counts of each column) answers as the cards'
    and the counts' own statements do, empty columns and filters included."""
    owner = make_user("author")
    member, outsider, admin = make_user("viewer"), make_user("author"), make_user("admin")
    make_postmortem(owner)
    hidden = make_postmortem(owner, make_incident(owner, restricted=True))
    hidden.incident.members.add(member)
    for user in (outsider, member, admin):
        for filters in (None, {"owner": "team"}, {"status": "open"}, {"overdue": "yes"}):
            for limit in (1, 5):
                cards, counts = selectors.action_item_board_visible(
                    user=user, statuses=STATUSES, filters=filters, limit=limit, cap=1
                )
                assert cards == selectors.action_item_cards_visible(
                    user=user, statuses=STATUSES, filters=filters, limit=limit
                )
                full = [s for s in STATUSES if len(cards[s]) == limit]
                expected = selectors.action_item_counts_visible(
                    user=user, statuses=full, filters=filters, cap=1
                )
                assert {s: counts[s] for s in full} == expected
                assert all(
                    counts.get(s, len(cards[s])) == len(cards[s]) for s in STATUSES if s not in full
                )


def test_the_filters_form_says_what_was_asked_each_time() -> None:
    """The filters' HTML is kept by the values asked for: each request shows its own."""
    from django.test import Client

    owner = make_user("author")
    make_postmortem(owner)
    client = Client()
    client.force_login(owner)
    for _ in range(2):
        plain = client.get("/actions/").content.decode()
        assert 'name="owner" placeholder="Owner" value=""' in plain
        assert plain.count('class="cardlet') == 2
        mine = client.get("/actions/?owner=team-checkout").content.decode()
        assert 'value="team-checkout"' in mine and mine.count('class="cardlet') == 2
        other = client.get("/actions/list/?owner=nobody").content.decode()
        assert 'value="nobody"' in other and "No action items match." in other
        bad = client.get("/actions/?due_before=not-a-date&owner=x").content.decode()
        assert 'value="not-a-date"' in bad
        assert bad.count('class="cardlet') == 2  # an invalid form filters nothing, as before
