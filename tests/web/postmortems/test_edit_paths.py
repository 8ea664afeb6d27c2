"""Every edit path changes only what it was asked to, and a save that changes nothing keeps
the source byte-identical: the rows form, the editor, the API's PUT of `source` and of
`document`, and a Markdown export imported back.

The rows form is filled from its rendered HTML, as a browser fills it, so a value the page
shows differently from how it reads it back (a due date in a display format) is caught.
"""

from __future__ import annotations

import difflib
from datetime import date
from html.parser import HTMLParser
from typing import Any

from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from nofault.core import document
from nofault.core.markdown import parse_text, render
from nofault.web.accounts.services import token_issue
from nofault.web.postmortems import imports, linting
from tests.web.factories import PASSWORD, SOURCE, make_incident, make_postmortem


class _FormReader(HTMLParser):
    """The name/value pairs a browser submits for each of the page's POST forms."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, str]] = []
        self.fields: dict[str, str] = {}
        self._select: str | None = None
        self._first_option: str | None = None
        self._chosen = False
        self._textarea: str | None = None
        self._in_form = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "").lower() == "post":
            self._in_form = True
            self.fields = {}
            self.forms.append(self.fields)
        if not self._in_form:
            return
        if tag == "input" and "name" in a:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.fields[a["name"]] = a.get("value", "on")
            elif kind not in ("submit", "button"):
                self.fields[a["name"]] = a.get("value", "")
        elif tag == "select":
            self._select, self._first_option, self._chosen = a.get("name"), None, False
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if self._first_option is None:
                self._first_option = value
            if "selected" in a:
                self.fields[self._select] = value
                self._chosen = True
        elif tag == "textarea":
            self._textarea = a.get("name")
            self.fields[self._textarea or ""] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self._select:
            if not self._chosen:
                self.fields[self._select] = self._first_option or ""
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self._in_form = False

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.fields[self._textarea] += data


def _browser_form(client: Client, url: str) -> dict[str, str]:
    reader = _FormReader()
    response = client.get(url)
    assert response.status_code == 200
    reader.feed(response.content.decode())
    return max(reader.forms, key=len)  # the page's own form, not the log-out button


def _client(user: Any) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _changed_lines(old: str, new: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(old.split("\n"), new.split("\n"), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def _blank_row(fields: dict[str, str], prefix: str) -> int:
    return int(fields[f"{prefix}-TOTAL_FORMS"]) - 1


# --- the reported loss, step by step ---------------------------------------------------------


def test_adding_one_timeline_event_keeps_every_other_row_and_due_date(author: Any) -> None:
    pm = make_postmortem(author)
    before = pm.source
    client = _client(author)
    url = f"/postmortems/{pm.pk}/rows/"
    fields = _browser_form(client, url)
    assert fields["actions-0-due"] == "2020-01-01"  # an ISO date an <input type=date> can show
    row = _blank_row(fields, "timeline")
    fields[f"timeline-{row}-time"] = "2026-01-05 14:30 UTC"
    fields[f"timeline-{row}-text"] = "Configuration rolled back"
    response = client.post(url, fields)
    assert response.status_code == 302
    pm.refresh_from_db()
    assert _changed_lines(before, pm.source) == [
        "+| 2026-01-05 14:30 UTC | Configuration rolled back |  |  |"
    ]
    doc = parse_text(pm.source).postmortem
    assert len(doc.timeline) == 3 and len(doc.contributing_factors) == 1
    assert [a.due for a in doc.action_items] == [date(2020, 1, 1), date(2099, 1, 1)]
    page = client.get(url).content.decode()
    assert "timeline: 1 added or changed" in page


def test_saving_rows_unchanged_keeps_the_source_and_makes_no_revision(author: Any) -> None:
    pm = make_postmortem(author)
    before, revision = pm.source, pm.revision
    client = _client(author)
    url = f"/postmortems/{pm.pk}/rows/"
    response = client.post(url, _browser_form(client, url), follow=True)
    assert "Nothing changed" in response.content.decode()
    pm.refresh_from_db()
    assert pm.source == before and pm.revision == revision


def test_a_save_whose_text_would_not_read_back_is_refused_and_saves_nothing(author: Any) -> None:
    pm = make_postmortem(author)
    before, revision = pm.source, pm.revision
    client = _client(author)
    url = f"/postmortems/{pm.pk}/rows/"
    fields = _browser_form(client, url)
    # A row whose text holds a heading would split the section when written back.
    fields["factors-0-text"] = "Changes skip the canary.\n\n## Injected heading"
    response = client.post(url, fields)
    assert response.status_code == 400
    assert "nothing was saved" in response.content.decode()
    pm.refresh_from_db()
    assert pm.source == before and pm.revision == revision


def test_deleting_a_row_removes_only_that_row(author: Any) -> None:
    pm = make_postmortem(author)
    before = pm.source
    client = _client(author)
    url = f"/postmortems/{pm.pk}/rows/"
    fields = _browser_form(client, url)
    fields["actions-0-DELETE"] = "on"
    assert client.post(url, fields).status_code == 302
    pm.refresh_from_db()
    changed = _changed_lines(before, pm.source)
    assert len(changed) == 1 and changed[0].startswith("-| A1 |")


def test_the_rows_page_offers_several_blank_rows_and_labels_its_inputs(author: Any) -> None:
    pm = make_postmortem(author)
    fields = _browser_form(_client(author), f"/postmortems/{pm.pk}/rows/?add=5")
    assert fields["timeline-TOTAL_FORMS"] == "7"
    page = _client(author).get(f"/postmortems/{pm.pk}/rows/").content.decode()
    assert 'aria-label="Timeline, row 1, time"' in page


# --- property: every edit path over generated postmortems -----------------------------------

_WORDS = (
    st.text(
        alphabet=st.sampled_from(list("abcdefghijklmnopqrstuvwxyz ABCXYZ0123456789.,:;'()-/_*|[]")),
        min_size=1,
        max_size=40,
    )
    .map(str.strip)
    .filter(lambda t: t and t[0].isalnum() and t[-1].isalnum())
)

_EVENTS = st.lists(
    st.builds(
        document.TimelineEvent,
        time=st.sampled_from(["14:02 UTC", "2026-03-01 09:15 UTC", "15:40"]),
        text=_WORDS,
        kind=st.none() | st.sampled_from(list(document.EventKind)),
        source=st.none() | st.sampled_from(["pagerduty", "chat"]),
    ),
    max_size=5,
)
_FACTORS = st.lists(
    st.builds(
        document.ContributingFactor,
        id=st.just("F"),
        text=_WORDS,
        category=st.none() | st.sampled_from(list(document.FactorCategory)),
    ),
    max_size=4,
).map(lambda fs: [f.model_copy(update={"id": f"F{n}"}) for n, f in enumerate(fs, start=1)])
_ACTIONS = st.lists(
    st.builds(
        document.ActionItem,
        id=st.just("A"),
        text=_WORDS,
        type=st.none() | st.sampled_from(list(document.ActionType)),
        owner=st.none() | st.sampled_from(["team-db", "sre"]),
        person=st.none() | st.sampled_from(["kim", "lee"]),
        due=st.none() | st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
        status=st.sampled_from([document.ActionStatus.OPEN, document.ActionStatus.DONE]),
        factors=st.lists(st.sampled_from(["F1", "F2"]), max_size=2, unique=True),
    ),
    max_size=4,
).map(lambda xs: [a.model_copy(update={"id": f"A{n}"}) for n, a in enumerate(xs, start=1)])


def _source(
    key: str, events: list[Any], factors: list[Any], actions: list[Any], spaced: bool
) -> str:
    doc = parse_text(SOURCE.format(key=key, title="Checkout errors")).postmortem
    doc.sections = [
        s.model_copy(update={"events": events}) if s.kind == document.SectionKind.TIMELINE
        else s.model_copy(update={"factors": factors}) if s.kind == document.SectionKind.CONTRIBUTING_FACTORS
        else s.model_copy(update={"items": actions}) if s.kind == document.SectionKind.ACTION_ITEMS
        else s
        for s in doc.sections
    ]  # fmt: skip
    text = render(doc)
    if spaced:
        # A team's own spacing: blank lines doubled and a trailing note after the last section.
        text = text.replace("\n\n## ", "\n\n\n## ") + "\n<!-- kept as written -->\n"
    return text


_PROPERTY = settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@_PROPERTY
@given(events=_EVENTS, factors=_FACTORS, actions=_ACTIONS, spaced=st.booleans(), data=st.data())
def test_every_edit_path_keeps_what_it_was_not_asked_to_change(
    author: Any, events: Any, factors: Any, actions: Any, spaced: bool, data: Any
) -> None:
    incident = make_incident(author)
    source = _source(incident.key, events, factors, actions, spaced)
    pm = make_postmortem(author, incident=incident, source=source)
    assert pm.source == source
    client = _client(author)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token_issue(user=author)}")
    rows_url = f"/postmortems/{pm.pk}/rows/"

    # Nothing changed, through each door: the source stays byte-identical, no revision.
    assert client.post(rows_url, _browser_form(client, rows_url)).status_code == 302
    editor = _browser_form(client, f"/postmortems/{pm.pk}/edit/")
    editor["source"] = editor["source"].replace("\n", "\r\n")  # as a browser sends a textarea
    assert client.post(f"/postmortems/{pm.pk}/edit/", editor).status_code == 302
    url = f"/api/postmortems/{pm.pk}/"
    assert api.put(url, {"source": source, "base_revision": 1}, format="json").status_code == 200
    doc = api.get(f"/api/postmortems/{pm.pk}/document/").json()
    assert api.put(url, {"document": doc, "base_revision": 1}, format="json").status_code == 200
    exported = client.get(f"/postmortems/{pm.pk}/export.md")
    assert exported.status_code == 200
    report = imports.postmortem_import(actor=author, filename="back.md", data=exported.content)
    assert [draft.postmortem.pk for draft in report.drafts] == [pm.pk]
    pm.refresh_from_db()
    assert pm.source == source and pm.revision == 1

    # One row changed through the rows form: only that row's line changes.
    fields = _browser_form(client, rows_url)
    section = data.draw(st.sampled_from(["timeline", "factors", "actions"]))
    held = {"timeline": events, "factors": factors, "actions": actions}[section]
    if held:
        index = data.draw(st.integers(0, len(held) - 1))
        fields[f"{section}-{index}-text"] = "Edited row text"
        expect_lines = 2
    else:
        index = _blank_row(fields, section)
        fields.update({f"{section}-{index}-text": "Edited row text", f"{section}-{index}-time": "16:00",
                       f"{section}-{index}-id": "X1", f"{section}-{index}-status": "open"})  # fmt: skip
        expect_lines = None
    response = client.post(rows_url, fields)
    assert response.status_code == 302, response.content.decode()[:3000]
    pm.refresh_from_db()
    changed = _changed_lines(source, pm.source)
    if expect_lines is not None:
        assert len(changed) == expect_lines and "Edited row text" in changed[-1], changed
    else:
        assert all(line.startswith("+") for line in changed), changed
    after = parse_text(pm.source).postmortem
    before = parse_text(source).postmortem
    assert after.model_dump(exclude={"sections"}) == before.model_dump(exclude={"sections"})

    # One field changed through the API's document: only that part changes.
    doc = api.get(f"/api/postmortems/{pm.pk}/document/").json()
    doc["services"] = ["checkout-api"]
    saved_before = pm.source
    assert (
        api.put(url, {"document": doc, "base_revision": pm.revision}, format="json").status_code
        == 200
    )
    pm.refresh_from_db()
    changed = _changed_lines(saved_before, pm.source)
    assert changed and all(("services" in c or "checkout-api" in c) for c in changed), changed


def test_blame_findings_come_first_in_a_report(author: Any) -> None:
    text = (
        "## Impact\n\nSomething happened.\n\n## Analysis\n\n"
        "Later, Dave forgot to renew the certificate.\n"
    )
    report = linting.postmortem_lint(source=text)
    categories = [f.category for f in report.findings]
    assert "blame" in categories and len(set(categories)) > 1
    first_other = next(i for i, c in enumerate(categories) if c != "blame")
    assert all(c != "blame" for c in categories[first_other:])
