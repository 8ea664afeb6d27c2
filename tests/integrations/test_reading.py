"""Lenient reading of vendors' fields: whatever type a value comes in, it reads or is None."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nofault.web.integrations.sources import get_source
from nofault.web.integrations.sources.base import MAX_DEDUP_KEY, EventType, WrongShape
from nofault.web.integrations.sources.reading import (
    as_labels,
    as_mapping,
    as_text,
    as_texts,
    as_time,
)

from .conftest import PAYLOADS

WHEN = datetime(2015, 1, 5, 10, 3, 11, tzinfo=UTC)


@pytest.mark.parametrize(
    "value",
    [
        1420452191,
        1420452191.0,
        "1420452191",
        1420452191000,
        "1420452191000",
        1420452191000000,
        1420452191000000000,
        "2015-01-05T10:03:11Z",
        "2015-01-05T10:03:11.000000000Z",
        "2015-01-05T12:03:11+02:00",
        "2015-01-05 10:03:11",
        "2015-01-05T10:03:11",
        "Mon, 05 Jan 2015 10:03:11 GMT",
        "2015-01-05 10:03:11 +0000 UTC",  # Go's time.Time.String()
        "2015-01-05 12:03:11.000000000 +0200 EET m=+8560.285724134",
        ["2015-01-05T10:03:11Z"],
    ],
)
def test_a_time_reads_from_epoch_units_and_iso_8601(value: Any) -> None:
    assert as_time(value) == WHEN


@pytest.mark.parametrize(
    "value",
    [None, "", "  ", "0001-01-01T00:00:00Z", "0001-01-01 00:00:00 +0000 UTC", "yesterday", True, {}, [], [1, 2], float("nan"),
     float("inf"), -5, 10**400, "9" * 400, "2015-13-45T99:99:99Z"],
)  # fmt: skip
def test_an_unreadable_time_is_none(value: Any) -> None:
    assert as_time(value) is None


def test_text_reads_strings_numbers_and_one_item_lists() -> None:
    assert as_text("P1") == "P1" and as_text(1000) == "1000" and as_text(1000.0) == "1000"
    assert as_text(1.5) == "1.5" and as_text(True) == "true" and as_text(["x"]) == "x"
    assert as_text(None) is None and as_text({"a": 1}) is None and as_text(["a", "b"]) is None
    assert as_text(float("nan")) is None and as_text(10**5000) is None
    assert as_text("a\x00b") == "ab"
    assert as_text(json.loads('"\\ud800x"')).encode("utf-8")  # storable: no lone surrogate
    assert as_texts(["a", 1, None, {}, ""]) == ("a", "1") and as_texts("one") == ("one",)
    assert as_labels({"severity": 1, "team": ["ops"], "bad": {}}) == {
        "severity": "1",
        "team": "ops",
    }
    assert as_mapping([{"a": 1}]) == {"a": 1} and as_mapping("x") == {} and as_mapping(None) == {}


@settings(max_examples=200, deadline=None)
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
                    lambda inner: st.lists(inner, max_size=3)
                    | st.dictionaries(st.text(), inner, max_size=3), max_leaves=8))  # fmt: skip
def test_readers_never_raise(value: Any) -> None:
    as_text(value), as_time(value), as_texts(value), as_labels(value), as_mapping(value)


@pytest.mark.parametrize("text", ["²", "1²", "-٣", "१२३.4"])
def test_digits_other_than_ascii_are_not_an_epoch(text: str) -> None:
    """Unicode digits ('²', Arabic-Indic, Devanagari) pass str.isdigit but are no epoch number."""
    assert as_time(text) is None


def _doc(name: str) -> dict[str, Any]:
    return json.loads((PAYLOADS / name).read_text())


def test_fields_nofault_reads_are_read_in_other_types() -> None:
    """A number for a string, an epoch for an ISO time, one object for a list: all still read."""
    pd = _doc("pagerduty/incident.triggered.json")
    pd["event"]["occurred_at"] = 1743997633414  # epoch milliseconds for RFC 3339
    pd["event"]["data"]["id"] = 12345  # a number for a string
    pd["event"]["data"]["service"] = [pd["event"]["data"]["service"]]  # one-item list
    pd["event"]["data"]["assignees"] = pd["event"]["data"]["assignees"][0]  # object for list
    pd["event"]["data"]["priority"] = "P1"  # a name for a reference: read as its summary
    (event,) = get_source("pagerduty").parse(json.dumps(pd).encode())
    assert event.dedup_key == "12345" and event.services == ("Webhook Tester",)
    assert event.occurred_at == datetime(2025, 4, 7, 3, 47, 13, 414000, tzinfo=UTC)
    assert event.responders and event.severity == "SEV1" and event.raw_severity == "P1"

    og = _doc("opsgenie/create.docs-example.json")
    og["alert"]["createdAt"] = "2015-01-05T10:03:11.104Z"
    og["alert"]["tags"], og["alert"]["teams"] = None, "team-1"
    og["alert"]["priority"] = ["P2"]
    (event,) = get_source("opsgenie").parse(json.dumps(og).encode())
    assert event.occurred_at == datetime(2015, 1, 5, 10, 3, 11, 104000, tzinfo=UTC)
    assert event.teams == ("team-1",) and event.severity == "SEV2"

    am = _doc("alertmanager/firing.json")
    am["truncatedAlerts"] = "0"
    am["version"] = 4
    for alert in am["alerts"]:
        alert["labels"]["severity"] = ["critical"]
        alert["labels"]["replica"] = 2
        alert["startsAt"] = 1580948278  # epoch seconds
    (event,) = get_source("alertmanager").parse(json.dumps(am).encode())
    assert event.severity == "SEV1" and event.started_at == datetime(2020, 2, 6, 0, 17, 58,
                                                                     tzinfo=UTC)  # fmt: skip

    sq = _doc("squadcast/incident.triggered.json")
    sq["data"]["resource_data"]["service"] = "Service Test2"  # a name for an object
    sq["data"]["team"] = 42  # not even a name: read as a name all the same
    sq["data"]["resource_data"]["id"] = ["633e670ae998089239c9f293"]
    sq["version"] = 2
    (event,) = get_source("squadcast").parse(json.dumps(sq).encode())
    assert event.dedup_key == "633e670ae998089239c9f293"
    assert event.services == ("Service Test2",) and event.teams == ("42",)


@pytest.mark.parametrize(
    ("source", "name", "path", "field"),
    [
        ("pagerduty", "incident.triggered.json", ("event", "data", "id"), "event.data.id"),
        ("pagerduty", "incident.triggered.json", ("event", "occurred_at"), "event.occurred_at"),
        ("opsgenie", "create.docs-example.json", ("alert", "alertId"), "alert.alertId"),
        ("alertmanager", "firing.json", ("alerts",), "alerts[].startsAt"),
        ("squadcast", "incident.triggered.json", ("event", "timestamp"), "event.timestamp"),
    ],
)
def test_an_unreadable_needed_field_is_named(
    source: str, name: str, path: tuple[str, ...], field: str
) -> None:
    doc = _doc(f"{source}/{name}")
    parent = doc
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = {"unreadable": True}
    with pytest.raises(WrongShape, match=re.escape(field)):
        get_source(source).parse(json.dumps(doc).encode())


def test_a_huge_group_key_is_shortened_but_stays_distinct() -> None:
    am = _doc("alertmanager/firing.json")
    keys = []
    for tail in ("a", "b"):
        am["groupKey"] = "k" * 100_000 + tail
        keys.append(get_source("alertmanager").parse(json.dumps(am).encode())[0].dedup_key)
    assert all(len(k) <= MAX_DEDUP_KEY for k in keys) and keys[0] != keys[1]


def test_a_group_without_its_key_or_times_is_keyed_by_what_it_sent_and_timed_on_receipt() -> None:
    """Grafana test notifications leave out groupKey, and some alerts carry only a status."""
    received = datetime(2026, 5, 27, 15, 40, tzinfo=UTC)
    keyless = {"receiver": "webhook", "status": "firing", "alerts": [
        {"labels": {"alertname": "TestAlert", "instance": "Grafana"}, "fingerprint": "57c6",
         "startsAt": "2026-05-27 15:36:00.112013015 +0000 UTC m=+8560.285724134",
         "endsAt": "0001-01-01 00:00:00 +0000 UTC"}]}  # fmt: skip
    grafana = get_source("grafana")
    (event,) = grafana.parse(json.dumps(keyless).encode(), received_at=received)
    assert event.started_at == datetime(2026, 5, 27, 15, 36, 0, 112013, tzinfo=UTC)
    assert event.title == "TestAlert" and event.dedup_key.startswith("webhook|alerts:")
    again = grafana.parse(json.dumps(keyless).encode(), received_at=received)[0]
    assert again.dedup_key == event.dedup_key
    timeless = {
        "status": "firing",
        "groupLabels": {"team": "ops"},
        "alerts": [{"status": "firing"}],
    }
    (event,) = get_source("alertmanager").parse(json.dumps(timeless).encode(), received_at=received)
    assert event.occurred_at == received and event.dedup_key.startswith("labels:")
    with pytest.raises(WrongShape, match="startsAt"):
        get_source("alertmanager").parse(json.dumps(timeless).encode())


def test_pagerduty_events_about_an_incident_it_references_annotate_it() -> None:
    """A status update (or a workflow run) names its incident in `data.incident`."""
    doc = _doc("pagerduty/incident.annotated.json")
    data = doc["event"]["data"]
    doc["event"]["event_type"] = "incident.status_update_published"
    doc["event"]["data"] = {"id": "PE8V", "type": "incident_status_update",
                            "message": "Investigating", "incident": data["incident"]}  # fmt: skip
    (event,) = get_source("pagerduty").parse(json.dumps(doc).encode())
    assert event.type is EventType.ANNOTATE and event.dedup_key == data["incident"]["id"]
    assert event.note == "Investigating"
    doc["event"]["data"] = {"id": "W1", "type": "incident_workflow_instance"}
    assert get_source("pagerduty").parse(json.dumps(doc).encode()) == []


def test_grafana_legacy_rule_alerts_fire_and_end_one_incident() -> None:
    """Grafana's dashboard alerting (before unified alerting) sends one rule's state, no time."""
    rule = {"dashboardId": 7, "panelId": 2, "orgId": 1, "ruleId": 12, "ruleName": "Disk full",
            "ruleUrl": "https://grafana.example/d/abc?viewPanel=2", "state": "alerting",
            "title": "[Alerting] Disk full", "message": "Disk above 95%",
            "tags": {"severity": "critical", "service": "storage"},
            "evalMatches": [{"value": 96.5, "metric": "disk", "tags": None}]}  # fmt: skip
    grafana = get_source("grafana")
    at = datetime(2026, 1, 2, 3, 4, tzinfo=UTC)
    (fired,) = grafana.parse(json.dumps(rule).encode(), received_at=at)
    assert (fired.type, fired.title, fired.severity) == (EventType.TRIGGER, "Disk full", "SEV1")
    assert fired.occurred_at == at and fired.services == ("storage",)
    (ended,) = grafana.parse(json.dumps({**rule, "state": "ok"}).encode(), received_at=at)
    assert ended.type is EventType.RESOLVE and ended.dedup_key == fired.dedup_key
    assert grafana.parse(json.dumps({**rule, "state": "paused"}).encode(), received_at=at) == []
