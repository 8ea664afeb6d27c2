"""Incident sources against every payload the vendors published, and their signature vectors."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import sys
import textwrap
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pydantic import SecretStr

from nofault.web.integrations import registry, sources
from nofault.web.integrations.sources import all_sources, get_source
from nofault.web.integrations.sources.alertmanager.settings import AlertmanagerSettings
from nofault.web.integrations.sources.base import (
    BodyTooLarge,
    DeliveryRejected,
    EventType,
    IncidentEvent,
    IncidentSource,
    MalformedBody,
    MalformedHeader,
    SourceDisabled,
    SourceSettings,
    Unauthenticated,
    WrongShape,
    check_size,
    epoch_time,
    parse_time,
)
from nofault.web.integrations.sources.grafana.settings import GrafanaSettings
from nofault.web.integrations.sources.opsgenie.settings import OpsgenieSettings
from nofault.web.integrations.sources.pagerduty.settings import PagerDutySettings
from nofault.web.integrations.sources.rootly.settings import RootlySettings

from .conftest import PAYLOADS

VECTORS = json.loads((PAYLOADS / "pagerduty" / "signature_vectors.json").read_text())
PD = get_source("pagerduty")
ALL_FILES = sorted(p.relative_to(PAYLOADS).as_posix() for p in PAYLOADS.rglob("*.json"))
# The incident payloads, by the source that reads them; every other file is some other shape.
INCIDENT_FILES = {
    "pagerduty": [f for f in ALL_FILES if f.startswith("pagerduty/") and "signature" not in f],
    "opsgenie": [f for f in ALL_FILES if f.startswith("opsgenie/")],
    "alertmanager": [f for f in ALL_FILES if f.startswith("alertmanager/")],
    "grafana": [f for f in ALL_FILES if f.startswith("grafana/")],
    "squadcast": [f for f in ALL_FILES if f.startswith("squadcast/")],
    "rootly": [f for f in ALL_FILES if f.startswith("rootly/")],
}


def body(name: str) -> bytes:
    return (PAYLOADS / name).read_bytes()


def pd_settings(*secrets: str) -> PagerDutySettings:
    return PagerDutySettings(secrets=[SecretStr(s) for s in secrets])


# --- registry --------------------------------------------------------------------------


def test_registry_finds_every_vendor_folder() -> None:
    found = all_sources()
    assert set(found) == {
        "pagerduty",
        "opsgenie",
        "alertmanager",
        "grafana",
        "squadcast",
        "rootly",
    }
    for name, source in found.items():
        assert isinstance(source, IncidentSource)
        assert source.name == name
        assert issubclass(source.settings_model, SourceSettings)


def test_a_new_vendor_folder_is_found_without_touching_anything_else(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    vendor = tmp_path / "acmealerts"
    vendor.mkdir()
    (vendor / "__init__.py").write_text(
        textwrap.dedent("""
        class _Acme:
            name = "acmealerts"
        SOURCE = _Acme()
    """)
    )
    monkeypatch.setattr(sources, "__path__", [*sources.__path__, str(tmp_path)])
    try:
        found = registry.discover(sources, "SOURCE")
    finally:
        sys.modules.pop("nofault.web.integrations.sources.acmealerts", None)
    assert "acmealerts" in found and "pagerduty" in found


def test_every_payload_file_is_read_by_some_test() -> None:
    read = {f for files in INCIDENT_FILES.values() for f in files}
    others = {f for f in ALL_FILES if f not in read}
    # Trackers' and Slack's shapes are exercised by their stand-in servers; the rest below.
    assert others == {
        f for f in ALL_FILES if f.split("/")[0] in {"github", "jira", "slack"} or "signature" in f
    }


# --- PagerDuty signatures --------------------------------------------------------------


@pytest.mark.parametrize("vector", VECTORS["vectors"], ids=lambda v: v["source_test"])
def test_pagerduty_signature_vectors(vector: dict[str, object]) -> None:
    raw = body(f"pagerduty/{vector['body_file']}")
    headers = {"X-PagerDuty-Signature": str(vector["X-PagerDuty-Signature"])}
    settings = pd_settings(str(vector["secret"]))
    if vector["expected_valid"]:
        PD.verify(headers, raw, settings)
    else:
        with pytest.raises(Unauthenticated) as caught:
            PD.verify(headers, raw, settings)
        assert caught.value.status == 401


def test_pagerduty_accepts_any_entry_during_rotation_and_either_secret() -> None:
    valid = next(v for v in VECTORS["vectors"] if v["source_test"] == "TriggerIncident")
    raw = body("pagerduty/incident.triggered.json")
    good = valid["X-PagerDuty-Signature"]
    rotation = f"v1={'0' * 64},{good}, v2=deadbeef"
    PD.verify({"x-pagerduty-signature": rotation}, raw, pd_settings(valid["secret"]))
    PD.verify({"X-PagerDuty-Signature": good}, raw, pd_settings("old-secret", valid["secret"]))


def test_pagerduty_rotation_header_from_the_docs_parses_both_entries() -> None:
    from nofault.web.integrations.sources.pagerduty.source import signatures

    header = VECTORS["scheme"]["docs_example_header_two_secrets_rotation"]
    assert len(signatures(header)) == 2


@pytest.mark.parametrize(
    ("headers", "raw", "error"),
    [
        ({}, b"{}", MalformedHeader),
        ({"X-PagerDuty-Signature": ""}, b"{}", MalformedHeader),
        ({"X-PagerDuty-Signature": "garbage"}, b"{}", MalformedHeader),
        ({"X-PagerDuty-Signature": "v2=abcd"}, b"{}", MalformedHeader),
        ({"X-PagerDuty-Signature": "v1=abcd"}, b"", MalformedBody),
        ({"X-PagerDuty-Signature": "v1=abcd"}, b"{}", Unauthenticated),
    ],
)
def test_pagerduty_rejects_bad_headers_as_go_pagerduty_does(
    headers: dict[str, str], raw: bytes, error: type[DeliveryRejected]
) -> None:
    with pytest.raises(error):
        PD.verify(headers, raw, pd_settings("secret"))


def test_pagerduty_without_secret_is_disabled_and_a_reformatted_body_fails() -> None:
    valid = next(v for v in VECTORS["vectors"] if v["source_test"] == "TriggerIncident")
    raw = body("pagerduty/incident.triggered.json")
    headers = {"X-PagerDuty-Signature": valid["X-PagerDuty-Signature"]}
    with pytest.raises(SourceDisabled) as caught:
        PD.verify(headers, raw, PagerDutySettings())
    assert caught.value.status == 403
    reformatted = json.dumps(json.loads(raw)).encode()
    with pytest.raises(Unauthenticated):
        PD.verify(headers, reformatted, pd_settings(valid["secret"]))


# --- PagerDuty parsing -----------------------------------------------------------------


def test_pagerduty_trigger_ack_resolve_are_one_incident() -> None:
    events = [
        PD.parse(body(f"pagerduty/incident.{kind}.json"))[0]
        for kind in ("triggered", "acknowledged", "resolved", "annotated")
    ]
    assert {e.dedup_key for e in events} == {"Q2CKYRLH85UNN4"}
    assert [e.type for e in events] == [
        EventType.TRIGGER,
        EventType.ACKNOWLEDGE,
        EventType.RESOLVE,
        EventType.ANNOTATE,
    ]
    trigger = events[0]
    assert trigger.occurred_at == datetime(2025, 4, 7, 3, 47, 13, 414000, tzinfo=UTC)
    assert trigger.started_at == datetime(2025, 4, 7, 3, 47, 13, tzinfo=UTC)
    assert trigger.title == "Test"
    assert trigger.severity == "SEV4" and trigger.raw_severity == "low"
    assert trigger.services == ("Webhook Tester",)
    assert trigger.responders == ("Ben",)
    assert trigger.link == "https://aldaviva.pagerduty.com/incidents/Q2CKYRLH85UNN4"
    assert events[2].responders == ("Ben",)  # assignees are empty after the resolve
    assert events[3].note == "Resolution Note: I'm resolving it"
    assert events[0].occurred_at < events[1].occurred_at < events[2].occurred_at


def test_pagerduty_priority_beats_urgency_and_type_drift_is_accepted() -> None:
    documented = PD.parse(body("pagerduty/incident.priority_updated.json"))[0]
    go_vector = PD.parse(body("pagerduty/incident.priority_updated.go-pagerduty.json"))[0]
    for event in (documented, go_vector):
        assert event.type is EventType.ANNOTATE
        assert event.severity == "SEV1" and event.raw_severity == "P1"
        assert event.teams == ("Engineering",)
        assert event.dedup_key == "PGR0VU2"
    assert go_vector.started_at is None  # created_at is missing from the Go vector


def test_pagerduty_ping_yields_no_incident() -> None:
    assert PD.parse(body("pagerduty/pagey.ping.json")) == []


def test_pagerduty_delivery_id_prefers_the_webhook_id() -> None:
    raw = body("pagerduty/incident.triggered.json")
    assert PD.delivery_id({"X-Webhook-Id": "abc"}, raw) == "abc"
    assert PD.delivery_id({}, raw) == "01FKZSRAPTMF55RE69G8BQHGC6"


def test_severity_table_is_configurable() -> None:
    settings = PagerDutySettings(severity_map={"LOW": "SEV5"}, default_severity="SEV2")
    assert PD.parse(body("pagerduty/incident.triggered.json"), settings)[0].severity == "SEV5"
    am = get_source("alertmanager")
    raw = body("alertmanager/firing.json")
    assert am.parse(raw)[0].severity == "SEV1"
    assert (
        am.parse(raw, AlertmanagerSettings(severity_map={"critical": "SEV2"}))[0].severity == "SEV2"
    )


# --- Opsgenie ----------------------------------------------------------------------------


def test_opsgenie_create_from_the_docs() -> None:
    event = get_source("opsgenie").parse(body("opsgenie/create.docs-example.json"))[0]
    assert event.type is EventType.TRIGGER
    assert event.dedup_key == "052652ac-5d1c-464a-812a-7dd18bbfba8c"
    assert event.title == "test alert"  # the leading space is gone
    assert event.occurred_at == datetime(2015, 1, 5, 10, 3, 11, 104000, tzinfo=UTC)
    assert event.teams == ("team1", "team2")
    assert event.severity == "SEV3"


@pytest.mark.parametrize(
    ("action", "kind"),
    [
        ("Acknowledge", EventType.ACKNOWLEDGE),
        ("Close", EventType.RESOLVE),
        ("AddNote", EventType.ANNOTATE),
        ("UnAcknowledge", EventType.TRIGGER),
    ],
)
def test_opsgenie_acknowledge_and_close(action: str, kind: EventType) -> None:
    data = json.loads(body("opsgenie/create.docs-example.json"))
    data["action"] = action
    data["alert"]["priority"] = "P2"
    data["alert"]["entity"] = "checkout"
    event = get_source("opsgenie").parse(json.dumps(data).encode())[0]
    assert event.type is kind
    assert event.severity == "SEV2"
    assert event.services == ("checkout",)
    # updatedAt is in nanoseconds
    assert event.occurred_at == datetime(2015, 1, 5, 10, 3, 13, 166002, tzinfo=UTC)
    assert event.responders == ("fili@ifountain.com",)


def test_opsgenie_other_actions_yield_nothing() -> None:
    data = json.loads(body("opsgenie/create.docs-example.json"))
    data["action"] = "AssignOwnership"
    assert get_source("opsgenie").parse(json.dumps(data).encode()) == []


def test_opsgenie_token_check() -> None:
    og = get_source("opsgenie")
    settings = OpsgenieSettings(header="X-Nofault-Token", token=SecretStr("s3cret"))
    og.verify({"x-nofault-token": "s3cret"}, b"{}", settings)
    with pytest.raises(Unauthenticated):
        og.verify({"X-Nofault-Token": "wrong"}, b"{}", settings)
    with pytest.raises(Unauthenticated):
        og.verify({}, b"{}", settings)
    with pytest.raises(SourceDisabled):
        og.verify({}, b"{}", OpsgenieSettings())
    og.verify({}, b"{}", OpsgenieSettings(allow_unauthenticated=True))


# --- Alertmanager and Grafana ----------------------------------------------------------


def test_alertmanager_firing_group_is_one_incident() -> None:
    events = get_source("alertmanager").parse(body("alertmanager/firing.json"))
    assert len(events) == 1  # two alerts, one group
    event = events[0]
    assert event.type is EventType.TRIGGER
    assert event.dedup_key == "{}/{}:{}"
    assert event.occurred_at == datetime(2020, 2, 6, 0, 17, 58, 432911, tzinfo=UTC)
    assert event.title == "High CPU core temperature"
    assert event.link == "http://ops1:9093"


def test_alertmanager_resolved_group_ends_at_the_last_alert() -> None:
    data = json.loads(body("alertmanager/firing.json"))
    data["status"] = "resolved"
    data["truncatedAlerts"] = 0
    data["notification_reason"] = "resolved"
    for i, alert in enumerate(data["alerts"]):
        alert["status"] = "resolved"
        alert["endsAt"] = f"2020-02-06T01:0{i}:00.123456789Z"
        alert["labels"]["service"] = "thermal"
    event = get_source("alertmanager").parse(json.dumps(data).encode())[0]
    assert event.type is EventType.RESOLVE
    assert event.occurred_at == datetime(2020, 2, 6, 1, 1, 0, 123456, tzinfo=UTC)
    assert event.services == ("thermal",)
    firing = get_source("alertmanager").parse(body("alertmanager/firing.json"))[0]
    assert event.event_id != firing.event_id and event.dedup_key == firing.dedup_key


def test_grafana_webhook_contact_point() -> None:
    event = get_source("grafana").parse(body("grafana/firing.json"))[0]
    assert event.type is EventType.TRIGGER
    assert event.dedup_key == "My Super Webhook|{}:{}"
    # +02:00 offset, converted to UTC
    assert event.occurred_at == datetime(2021, 10, 12, 7, 51, 3, 157076, tzinfo=UTC)
    assert event.teams == ("blue",)
    assert event.title == "High memory usage (+1 more)"


def test_alertmanager_and_grafana_read_the_same_group_shape_whatever_its_version() -> None:
    """The version is not a field nofault reads: a group is a group (Grafana keys by receiver)."""
    from_grafana = get_source("alertmanager").parse(body("grafana/firing.json"))[0]
    from_alertmanager = get_source("grafana").parse(body("alertmanager/firing.json"))[0]
    assert from_grafana.dedup_key == "{}:{}"
    assert from_alertmanager.dedup_key.endswith("|{}/{}:{}")


def test_bearer_and_basic_credentials() -> None:
    am = get_source("alertmanager")
    bearer = AlertmanagerSettings(token=SecretStr("tok"))
    am.verify({"Authorization": "Bearer tok"}, b"", bearer)
    with pytest.raises(Unauthenticated):
        am.verify({"Authorization": "Bearer nope"}, b"", bearer)
    with pytest.raises(Unauthenticated):
        am.verify({"Authorization": "Basic dG9r"}, b"", bearer)
    basic = GrafanaSettings(username="grafana", token=SecretStr("pw"))
    good = base64.b64encode(b"grafana:pw").decode()
    get_source("grafana").verify({"Authorization": f"Basic {good}"}, b"", basic)
    with pytest.raises(Unauthenticated):
        get_source("grafana").verify({"Authorization": "Bearer pw"}, b"", basic)


# --- Squadcast (a fifth vendor, added as a folder) -------------------------------------


def test_squadcast_lifecycle() -> None:
    sq = get_source("squadcast")
    events = [
        sq.parse(body(f"squadcast/incident.{k}.json"))[0]
        for k in ("triggered", "acknowledged", "resolved")
    ]
    assert [e.type for e in events] == [EventType.TRIGGER, EventType.ACKNOWLEDGE, EventType.RESOLVE]
    assert {e.dedup_key for e in events} == {"633e670ae998089239c9f293"}
    assert events[0].services == ("Service Test2",)
    assert events[2].responders == ("Yash Jain",)


# --- every payload, every source -------------------------------------------------------


@pytest.mark.parametrize("name", ALL_FILES)
def test_every_payload_is_either_read_or_rejected_cleanly_by_every_source(name: str) -> None:
    """A source reads its own payloads; another vendor's gives events, none, or a 4xx reason."""
    raw = body(name)
    for source_name, source in all_sources().items():
        if name in INCIDENT_FILES[source_name]:
            events = source.parse(raw)
            assert all(isinstance(e, IncidentEvent) for e in events)
            assert all(e.occurred_at.tzinfo is not None for e in events)
            assert all(e.source == source_name for e in events)
            if "ping" not in name:
                assert events, name
            continue
        try:
            events = source.parse(raw)
        except DeliveryRejected as exc:
            assert 400 <= exc.status < 500 and exc.reason
        else:
            # Read leniently: a shape that carries this source's needed fields is read
            # (Grafana's and Alertmanager's groups are one shape); never a half event.
            assert all(e.source == source_name and e.dedup_key for e in events)


@pytest.mark.parametrize("source_name", sorted(INCIDENT_FILES))
@pytest.mark.parametrize(
    ("raw", "error"),
    [
        (b"", MalformedBody),
        (b"   ", MalformedBody),
        (b"{not json", MalformedBody),
        (b"\xff\xfe", MalformedBody),
        (b"[]", WrongShape),
        (b"{}", WrongShape),
        (b'{"event": 1}', WrongShape),
    ],
)
def test_garbage_is_rejected_with_a_reason(
    source_name: str, raw: bytes, error: type[DeliveryRejected]
) -> None:
    with pytest.raises(error) as caught:
        all_sources()[source_name].parse(raw)
    assert caught.value.reason


def test_oversized_bodies_are_refused() -> None:
    with pytest.raises(BodyTooLarge) as caught:
        check_size(b"x" * 11, SourceSettings(max_body_bytes=10))
    assert caught.value.status == 413
    check_size(b"x" * 10, SourceSettings(max_body_bytes=10))


# --- time ------------------------------------------------------------------------------


def test_times() -> None:
    assert parse_time("0001-01-01T00:00:00Z") is None
    assert parse_time("2020-02-06T00:17:58.432911368Z") == datetime(
        2020, 2, 6, 0, 17, 58, 432911, tzinfo=UTC
    )
    assert parse_time("2021-10-12T09:51:03.157076+02:00") == datetime(
        2021, 10, 12, 7, 51, 3, 157076, tzinfo=UTC
    )
    with pytest.raises(WrongShape):
        parse_time("2021-10-12T09:51:03")
    with pytest.raises(WrongShape):
        parse_time("yesterday")
    assert epoch_time(1420452191104) == epoch_time(1420452191104000000)
    assert epoch_time(1420452191) == datetime(2015, 1, 5, 10, 3, 11, tzinfo=UTC)


def test_events_must_be_aware() -> None:
    with pytest.raises(ValueError, match="aware"):
        IncidentEvent(
            source="x",
            dedup_key="k",
            event_id="e",
            type=EventType.TRIGGER,
            occurred_at=datetime(2020, 1, 1),
        )


# --- Rootly (signed t=…,v1=…; its webhook and its deliveries feed carry one incident shape) ---

ROOTLY_FEED = "rootly/rec_deliveries.alert_created_and_incident_created.json"


def rootly_signed(raw: bytes, secret: str = "rootly-secret", t: str = "1761514500") -> str:
    digest = hmac.new(secret.encode(), t.encode() + raw, hashlib.sha256).hexdigest()
    return f"t={t},v1={digest}"


def rootly_webhook(event_type: str, **changes: object) -> bytes:
    """A webhook body as Rootly's docs show it, around the feed's incident resource."""
    feed = json.loads(body(ROOTLY_FEED))
    (incident,) = [e["data"] for e in feed["events"] if e["event_type"] == "incident.created"]
    event = {
        "id": f"evt-{event_type}",
        "type": event_type,
        "issued_at": "2025-10-26T14:40:00-07:00",
    }
    return json.dumps({"event": event, "data": {**incident, **changes}}).encode()


def test_rootly_signature() -> None:
    rootly = get_source("rootly")
    raw = rootly_webhook("incident.created")
    settings = RootlySettings(secrets=[SecretStr("old"), SecretStr("rootly-secret")])
    rootly.verify({"X-Rootly-Signature": rootly_signed(raw)}, raw, settings)
    with pytest.raises(Unauthenticated):
        retimed = rootly_signed(raw).replace("t=1761514500", "t=1761514501")
        rootly.verify({"X-Rootly-Signature": retimed}, raw, settings)
    with pytest.raises(Unauthenticated):
        rootly.verify({"X-Rootly-Signature": rootly_signed(raw)}, raw + b" ", settings)
    for bad in ("", "v1=abc", "t=1", "t=1,v2=abc"):
        with pytest.raises(MalformedHeader):
            rootly.verify({"X-Rootly-Signature": bad}, raw, settings)
    with pytest.raises(SourceDisabled):
        rootly.verify({"X-Rootly-Signature": rootly_signed(raw)}, raw, RootlySettings())


def test_rootly_feed_gives_its_incident_and_ignores_its_alert() -> None:
    (event,) = get_source("rootly").parse(body(ROOTLY_FEED))
    assert (event.dedup_key, event.type, event.title) == (
        "incident-uuid-1",
        EventType.TRIGGER,
        "Production API Gateway Outage",
    )
    assert event.severity == "SEV1" and event.services == ("API Gateway",)
    assert event.occurred_at == datetime(2025, 10, 26, 21, 35, tzinfo=UTC)
    assert event.started_at == datetime(2025, 10, 26, 21, 34, tzinfo=UTC)


def test_rootly_webhook_lifecycle() -> None:
    rootly = get_source("rootly")
    created = rootly.parse(rootly_webhook("incident.created"))[0]
    assert created.type is EventType.TRIGGER and created.dedup_key == "incident-uuid-1"
    assert created.occurred_at == datetime(2025, 10, 26, 21, 40, tzinfo=UTC)  # -07:00 to UTC
    updated = rootly.parse(rootly_webhook("incident.updated", status="resolved"))[0]
    assert updated.type is EventType.RESOLVE
    mitigated = rootly.parse(rootly_webhook("incident.mitigated", status="mitigated"))[0]
    assert mitigated.type is EventType.ANNOTATE
    assert rootly.parse(rootly_webhook("incident_post_mortem.published")) == []
    assert rootly.delivery_id({}, rootly_webhook("incident.created")) == "evt-incident.created"
