"""Statements built once run with server-bound parameters and are prepared per connection."""

from __future__ import annotations

import pytest
from django.db import connection

from nofault.web.actions import selectors as action_selectors
from nofault.web.incidents.selectors import fetch_built
from nofault.web.postmortems import selectors as pm_selectors
from tests.web.factories import make_incident, make_postmortem, make_user

pytestmark = pytest.mark.django_db

STATUSES = ["open", "in_progress", "done", "wont_do"]


def test_fetch_built_gives_names_and_rows() -> None:
    make_postmortem(make_user("author"))
    names, rows = fetch_built("SELECT COUNT(*) AS n, %s AS word FROM actions_actionitem", ["x"])
    assert names == ["n", "word"] and rows == [(2, "x")]


@pytest.mark.postgresql
def test_page_statements_are_prepared_once_and_answer_as_before() -> None:
    owner = make_user("author")
    outsider = make_user("author")
    open_pm = make_postmortem(owner)
    hidden = make_postmortem(owner, make_incident(owner, restricted=True))
    connection.ensure_connection()
    assert connection.connection.prepare_threshold is not None  # settings turn it on
    first = None
    for _ in range(connection.connection.prepare_threshold + 3):
        cards = action_selectors.action_item_cards_visible(
            user=outsider, statuses=STATUSES, limit=9
        )
        counts = action_selectors.action_item_counts_visible(
            user=outsider, statuses=STATUSES, cap=100
        )
        board = action_selectors.action_item_board_visible(
            user=outsider, statuses=STATUSES, limit=9, cap=100
        )
        page = pm_selectors.postmortem_for_page(user=owner, pk=hidden.pk)
        answer = (
            cards, counts, board, page.pk, pm_selectors.postmortem_page_lists(postmortem=page)
        )  # fmt: skip
        assert first is None or answer == first
        first = answer
    assert {c["postmortem_id"] for rows in cards.values() for c in rows} == {open_pm.pk}
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any('"nofault_card"' in s for s in prepared)
    assert any('"nofault_count"."n"' in s for s in prepared)
    assert any('"nofault_column"."status", (SELECT COUNT(*)' in s for s in prepared)
    assert any('"postmortems_postmortem"."id"' in s and "$1" in s for s in prepared)
    # Django's query log still shows a prepared statement's SQL.
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        pm_selectors.postmortem_for_page(user=owner, pk=hidden.pk)
    assert [q["sql"][:40] for q in ctx.captured_queries] == [
        'SELECT "postmortems_postmortem"."id" AS '
    ]
    with pytest.raises(Exception, match="no such postmortem"):
        pm_selectors.postmortem_for_page(user=outsider, pk=hidden.pk)
