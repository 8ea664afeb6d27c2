"""A prefilled timeline row keeps its mark until a person confirms or edits it, in the rows
editor or in the text by any door (the Markdown editor, the API's PUT of `source` and of
`document`), and taking the mark off changes that row's source cell and nothing else."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from nofault.core import document
from nofault.core.markdown import parse_text, render
from nofault.web.postmortems.models import Postmortem
from nofault.web.postmortems.prefill import clear_marks_of_edited_rows
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


# --- edits in the text, through every door ----------------------------------------------------

DETECTED_ROW = "| 2026-03-04 09:41 UTC | Incident detected | detection | prefilled: incident |"


def _unmarked(line: str) -> str:
    return line.replace("prefilled: incident", "incident")


def test_the_editor_takes_the_mark_off_an_edited_row_only(author: Any) -> None:
    client, pm, _ = _prefilled_draft(author)
    before = pm.source
    assert DETECTED_ROW in before
    url = f"/postmortems/{pm.pk}/edit/"

    # Prose edited, no row touched: both rows keep their marks.
    fields = _browser_form(client, url)
    prose = before.replace("\n## Impact\n", "\nCheckout failed for some buyers.\n\n## Impact\n", 1)
    assert prose != before
    fields["source"] = prose.replace("\n", "\r\n")  # as a browser sends a textarea
    assert client.post(url, fields).status_code == 302
    assert _sources(pm) == ["prefilled: incident", "prefilled: incident"]
    assert pm.source == prose

    # The detection row's text edited: that row alone loses its mark, in its source cell only.
    edited = prose.replace("| Incident detected |", "| Checkout alert paged on-call |")
    fields = _browser_form(client, url)
    fields["source"] = edited.replace("\n", "\r\n")
    assert client.post(url, fields).status_code == 302
    assert _sources(pm) == ["prefilled: incident", "incident"]
    assert pm.source == edited.replace(
        "| Checkout alert paged on-call | detection | prefilled: incident |",
        "| Checkout alert paged on-call | detection | incident |",
    )
    assert pm.revision == 3

    # Restoring the first revision brings it back as it was, marks and all.
    assert client.post(f"/postmortems/{pm.pk}/revisions/1/restore/").status_code == 302
    assert _sources(pm) == ["prefilled: incident", "prefilled: incident"]
    assert pm.source == before and pm.revision == 4


def test_the_api_source_and_document_take_the_mark_off_an_edited_row_only(
    author: Any, api: APIClient
) -> None:
    _, pm, _ = _prefilled_draft(author)
    before = pm.source
    url = f"/api/postmortems/{pm.pk}/"

    # PUT source, the detection row's time corrected.
    edited = before.replace(DETECTED_ROW, DETECTED_ROW.replace("09:41", "09:43"))
    response = api.put(url, {"source": edited, "base_revision": 1}, format="json")
    assert response.status_code == 200
    assert _sources(pm) == ["prefilled: incident", "incident"]
    assert _changed_lines(before, pm.source) == [
        f"-{DETECTED_ROW}",
        f"+{_unmarked(DETECTED_ROW).replace('09:41', '09:43')}",
    ]
    assert response.json()["source"] == pm.source

    # PUT document, the start row's kind changed: its mark goes; the other rows stay as saved.
    saved = pm.source
    doc = api.get(f"{url}document/").json()
    timeline = next(s for s in doc["sections"] if s["kind"] == "timeline")
    assert timeline["events"][0]["source"] == "prefilled: incident"
    timeline["events"][0]["kind"] = "trigger"
    response = api.put(url, {"document": doc, "base_revision": 2}, format="json")
    assert response.status_code == 200
    assert _sources(pm) == ["incident", "incident"]
    started = "| 2026-03-04 09:30 UTC | Incident started | start | prefilled: incident |"
    assert _changed_lines(saved, pm.source) == [
        f"-{started}",
        f"+{_unmarked(started).replace('| start |', '| trigger |')}",
    ]

    # The same document again changes nothing: no revision, the text byte-identical.
    doc = api.get(f"{url}document/").json()
    assert api.put(url, {"document": doc, "base_revision": 3}, format="json").status_code == 200
    revision, text = pm.revision, pm.source
    pm.refresh_from_db()
    assert (pm.revision, pm.source) == (revision, text)


# --- the property: one row edited, only its source cell differs beyond the edit ----------------

_WORD = st.sampled_from(["alert", "fired", "paged", "checkout", "rollback", "latency"])
_ROW = st.builds(
    document.TimelineEvent,
    time=st.sampled_from(["09:30 UTC", "2026-03-04 09:41 UTC", "10:02"]),
    text=st.lists(_WORD, min_size=1, max_size=4).map(" ".join),
    kind=st.none() | st.sampled_from(list(document.EventKind)),
    source=st.sampled_from(["prefilled: incident", "prefilled: alertmanager", "chat", None]),
)


def _text(rows: list[document.TimelineEvent], style: str) -> str:
    doc = parse_text("# Checkout errors\n\n## Summary\n\nA summary.\n\n## Timeline\n").postmortem
    doc.sections = [
        s.model_copy(update={"events": rows, "style": style}) if s.kind == "timeline" else s
        for s in doc.sections
    ]
    return render(doc)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    rows=st.lists(_ROW, min_size=1, max_size=5),
    style=st.sampled_from(["table", "list"]),
    field=st.sampled_from(["time", "text", "kind"]),
    data=st.data(),
)
def test_one_edited_row_changes_only_its_own_source_cell(
    author: Any, rows: list[document.TimelineEvent], style: str, field: str, data: Any
) -> None:
    previous = _text(rows, style)
    index = data.draw(st.integers(0, len(rows) - 1))
    row = rows[index]
    value = {"time": "11:11 UTC", "text": f"{row.text} edited", "kind": document.EventKind.OTHER}
    edited_row = row.model_copy(update={field: value[field]})
    new = _text([*rows[:index], edited_row, *rows[index + 1 :]], style)
    assert parse_text(new).postmortem.timeline[index] == edited_row

    result = clear_marks_of_edited_rows(previous, new)

    def key(r: document.TimelineEvent) -> tuple[Any, ...]:
        return (r.time, r.text, r.kind)

    marked_before = {key(r) for r in rows if (r.source or "").startswith("prefilled:")}
    loses_mark = (edited_row.source or "").startswith("prefilled:") and (
        key(edited_row) not in marked_before
    )
    if not loses_mark:
        assert result == new
        return
    changed = _changed_lines(new, result)
    assert len(changed) == 2, changed  # the edited row's line, out and in
    mark = edited_row.source or ""
    unmarked = mark.removeprefix("prefilled:").strip()
    out, back = changed[0][1:], changed[1][1:]
    if style == "table":
        assert back == out.replace(f"| {mark} |", f"| {unmarked} |"), changed
    else:
        assert back == out.replace(f"(via {mark})", f"(via {unmarked})"), changed
    after = parse_text(result).postmortem.timeline
    assert after[index].source == unmarked
    assert [r for i, r in enumerate(after) if i != index] == [
        r for i, r in enumerate(parse_text(new).postmortem.timeline) if i != index
    ]
