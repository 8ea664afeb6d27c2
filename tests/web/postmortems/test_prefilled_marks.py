"""A prefilled timeline row keeps its mark until a person confirms or edits it in the rows
editor, and confirming changes that row's source cell and nothing else in the Markdown."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from django.test import Client

from nofault.core.markdown import parse_text
from nofault.web.postmortems.models import Postmortem
from tests.web.factories import make_incident
from tests.web.postmortems.test_edit_paths import _browser_form, _changed_lines

pytestmark = pytest.mark.django_db

STARTED = datetime(2026, 3, 4, 9, 30, tzinfo=UTC)
DETECTED = datetime(2026, 3, 4, 9, 41, tzinfo=UTC)


def _prefilled_draft(author: Any) -> tuple[Client, Postmortem, str]:
    incident = make_incident(
        author, title="Checkout errors", severity="SEV2", started_at=STARTED, detected_at=DETECTED
    )
    client = Client()
    client.force_login(author)
    assert client.post(f"/postmortems/new/{incident.key}/").status_code == 302
    pm = Postmortem.objects.get(incident=incident)
    return client, pm, f"/postmortems/{pm.pk}/rows/"


def _sources(pm: Postmortem) -> list[str | None]:
    pm.refresh_from_db()
    return [row.source for row in parse_text(pm.source).postmortem.timeline]


def test_confirming_one_row_clears_its_mark_and_changes_nothing_else(author: Any) -> None:
    client, pm, url = _prefilled_draft(author)
    before = pm.source
    assert _sources(pm) == ["prefilled: incident", "prefilled: incident"]
    page = client.get(url).content.decode()
    assert "2 rows came from what nofault knew" in page and 'id="confirm-all"' in page

    fields = _browser_form(client, url)
    fields["timeline-0-confirm"] = "on"
    assert client.post(url, fields).status_code == 302
    assert _sources(pm) == ["incident", "prefilled: incident"]
    changed = _changed_lines(before, pm.source)
    assert len(changed) == 2, changed  # the one row's line, out and in
    assert changed[0].replace("prefilled: incident", "incident") == changed[1].replace("+", "-", 1)
    assert pm.revision == 2

    # Editing the other row's text takes its mark away too.
    fields = _browser_form(client, url)
    fields["timeline-1-text"] = "Checkout alert paged the on-call engineer"
    assert client.post(url, fields).status_code == 302
    assert _sources(pm) == ["incident", "incident"]
    assert "came from what nofault knew" not in client.get(url).content.decode()


def test_confirm_all_clears_every_mark_and_only_the_marks(author: Any) -> None:
    client, pm, url = _prefilled_draft(author)
    before = parse_text(pm.source).postmortem
    fields = _browser_form(client, url)
    fields["confirm_all"] = "1"
    assert client.post(url, fields).status_code == 302
    assert _sources(pm) == ["incident", "incident"]
    after = parse_text(pm.source).postmortem
    assert [(r.time, r.text, r.kind) for r in after.timeline] == [
        (r.time, r.text, r.kind) for r in before.timeline
    ]
    assert after.model_dump(exclude={"sections"}) == before.model_dump(exclude={"sections"})
    # A second confirm-all has nothing left to clear: no new revision.
    revision = pm.revision
    fields = _browser_form(client, url)
    fields["confirm_all"] = "1"
    assert client.post(url, fields).status_code == 302
    pm.refresh_from_db()
    assert pm.revision == revision


def test_rows_inputs_name_their_table_row_and_column(author: Any) -> None:
    client, _, url = _prefilled_draft(author)
    page = client.get(url).content.decode()
    for label in (
        "Timeline, row 2, time",
        "Timeline, row 1, event",
        "Timeline, row 1, confirm",
        "Contributing factors, row 1, factor",
        "Action items, row 1, owner",
    ):
        assert f'aria-label="{label}"' in page, label
    assert "Timeline, row 1, delete" in page
    assert ', row 1"' not in page  # no label without its column
