"""Action cards and rows: what each input (the row, the day, the buttons, the zone) shows."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from django.utils import timezone

from nofault.web.actions import fragments
from nofault.web.actions.selectors import CARD_FIELDS


def _item(**changes: Any) -> dict[str, Any]:
    row = dict.fromkeys(CARD_FIELDS)
    row.update(id=7, key="A1", text="Canary <config>", owner="team-a", due=date(2026, 3, 1),
               status="open", postmortem_id=3, postmortem__incident__key="INC-9")  # fmt: skip
    row.update(changes)
    return row


def test_the_day_the_buttons_and_the_row_each_change_the_html() -> None:
    before, after = date(2026, 2, 1), date(2026, 4, 1)
    closed = _item(status="done", closed_at=datetime(2026, 3, 2, 23, 30, tzinfo=UTC),
                   closed_by__username="sam")  # fmt: skip
    for build in (fragments.action_cards, fragments.action_rows):
        seen = set()
        for items in ([_item()], [_item(text="Other & text")], [closed], [_item(due=None)]):
            for today in (before, after):
                for can_change in (True, False):
                    html = str(build(items, today=today, can_change=can_change))
                    assert html == str(build(items, today=today, can_change=can_change))
                    seen.add(html)
        assert len(seen) > 8


def test_what_each_input_changes() -> None:
    card = str(fragments.action_cards([_item()], today=date(2026, 2, 1), can_change=True))
    assert "Canary &lt;config&gt;" in card and 'class="cardlet "' in card
    # Each button and link names its item for a screen reader's list of controls.
    assert 'Close<span class="visually-hidden"> A1 of INC-9</span></button>' in card
    assert 'Tracker<span class="visually-hidden"> A1 of INC-9</span></a>' in card
    assert "overdue" not in card
    late = str(fragments.action_cards([_item()], today=date(2026, 4, 1), can_change=True))
    assert 'class="cardlet overdue"' in late
    assert "overdue, due" in late  # in words, not by colour alone
    row = str(fragments.action_rows([_item()], today=date(2026, 4, 1), can_change=True))
    assert "overdue, due" in row
    viewer = str(fragments.action_cards([_item()], today=date(2026, 4, 1), can_change=False))
    assert "close-item" not in viewer
    closed = _item(status="done", closed_at=datetime(2026, 3, 2, 23, 30, tzinfo=UTC),
                   closed_by__username="sam")  # fmt: skip
    with timezone.override("Pacific/Auckland"):  # 12:30 on the 3rd there
        there = str(fragments.action_cards([closed], today=date(2026, 4, 1), can_change=True))
    with timezone.override("UTC"):
        here = str(fragments.action_cards([closed], today=date(2026, 4, 1), can_change=True))
    assert "closed by sam on 2026-03-03" in there
    assert "closed by sam on 2026-03-02" in here
