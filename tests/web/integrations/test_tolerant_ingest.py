"""Property tests: every source's published payloads, mutated, are never refused once authentic.

Each example takes one of the vendor's published payloads (read from ../shared/payloads, never
copied here), changes the types of some fields, drops keys, adds keys, and puts unicode and
huge strings in, then sends it over HTTP to the app, authenticated. Whatever was changed, the
answer is a 2xx and the delivery is stored; when no field the source needs was touched it is
applied, as the unchanged payload is.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nofault.web.integrations.models import DeliveryStatus, WebhookDelivery
from tests.integrations.conftest import PAYLOADS

PD_SECRET = "property-test-secret"
ROOTLY_SECRET = "property-test-rootly"
TOKENS = {
    "alertmanager": "am-token",
    "grafana": "gf-token",
    "opsgenie": "og-token",
    "squadcast": "sq-token",
}
FILES = {
    "pagerduty": sorted(
        p.name for p in (PAYLOADS / "pagerduty").glob("*.json") if "signature" not in p.name
    ),
    "rootly": sorted(p.name for p in (PAYLOADS / "rootly").glob("*.json")),
    **{name: sorted(p.name for p in (PAYLOADS / name).glob("*.json")) for name in TOKENS},
}
# The fields each source cannot apply an event without (paths; `*` is any list item). A
# mutation at one of these, or above one, may leave the delivery unapplied; any other must not.
NEEDED: dict[str, list[tuple[str, ...]]] = {
    "pagerduty": [
        ("event", "event_type"),
        ("event", "resource_type"),
        ("event", "occurred_at"),
        ("event", "data", "type"),
        ("event", "data", "id"),
        ("event", "data", "incident", "id"),
    ],
    "opsgenie": [("action",), ("alert", "alertId"), ("alert", "createdAt"), ("alert", "updatedAt")],
    "alertmanager": [
        ("groupKey",),
        ("status",),
        ("alerts", "*", "status"),
        ("alerts", "*", "startsAt"),
        ("alerts", "*", "endsAt"),
    ],
    "squadcast": [
        ("event", "type"),
        ("event", "timestamp"),
        ("data", "resource_type"),
        ("data", "resource_data", "id"),
    ],
}
NEEDED["grafana"] = NEEDED["alertmanager"]
# Rootly's deliveries feed: each event's type, time and incident id (an event whose type turns
# into an incident's from an alert's reads the alert as an incident).
NEEDED["rootly"] = [
    ("events", "*", "event_type"),
    ("events", "*", "timestamp"),
    ("events", "*", "data", "id"),
    ("events", "*", "data", "updated_at"),
    ("events", "*", "data", "resolved_at"),
    ("events", "*", "data", "cancelled_at"),
]

Path = tuple[str | int, ...]


def paths(value: Any, prefix: Path = ()) -> list[Path]:
    """Every path to a value inside a JSON document (not the root)."""
    found: list[Path] = []
    items: Any = (
        value.items()
        if isinstance(value, dict)
        else enumerate(value)
        if isinstance(value, list)
        else ()
    )
    for key, child in items:
        found.append((*prefix, key))
        found += paths(child, (*prefix, key))
    return found


def touches_needed(source: str, path: Path) -> bool:
    """Whether changing `path` may change a field the source needs (it is one, or holds one)."""
    for needed in NEEDED[source]:
        if len(path) <= len(needed) and all(
            (n == "*" and isinstance(p, int)) or n == p for p, n in zip(path, needed, strict=False)
        ):
            return True
    return False


texts = st.text(st.characters(codec="utf-8"), max_size=40) | st.sampled_from(
    ["\x00", "\ud800", "é" * 3, "𝕏🚨", "‮rtl", "", " "]
)
scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | texts
new_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
    max_leaves=6,
)
HUGE = "x" * (100 * 1024)


def retyped(value: Any) -> list[Any]:
    """Other types the same value might be sent as."""
    out: list[Any] = [None, [value], {"value": value}, str(value), True]
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        out.append(int(value))
    if isinstance(value, int | float) and not isinstance(value, bool):
        out += [str(value), float(value), int(value)]
    return out


@st.composite
def mutations(draw: st.DrawFn, source: str) -> tuple[str, bytes, bool]:
    """A published payload of `source` with up to four changes; whether a needed field changed."""
    name = draw(st.sampled_from(FILES[source]))
    doc = json.loads((PAYLOADS / source / name).read_text())
    touched = False
    for _ in range(draw(st.integers(1, 4))):
        where = paths(doc)
        if not where:
            break
        path = draw(st.sampled_from(where))
        parent = doc
        for key in path[:-1]:
            parent = parent[key]
        key = path[-1]
        kind = draw(st.sampled_from(["retype", "drop", "add", "unicode", "huge", "replace"]))
        if kind == "add" and isinstance(parent, dict):
            parent[f"x-{draw(texts)}"] = draw(new_values)  # never a field a source reads
            continue
        touched = touched or touches_needed(source, path)
        if kind == "retype":
            parent[key] = draw(st.sampled_from(retyped(parent[key])))
        elif kind == "drop" and isinstance(parent, dict):
            del parent[key]
        elif kind == "drop":
            parent.pop(key)
        elif kind == "unicode":
            parent[key] = (
                f"{parent[key]}{draw(texts)}" if isinstance(parent[key], str) else draw(texts)
            )
        elif kind == "huge":
            parent[key] = HUGE
        else:
            parent[key] = draw(new_values)
    return name, json.dumps(doc).encode(), touched


def signed(source: str, body: bytes) -> dict[str, str]:
    if source == "pagerduty":
        digest = hmac.new(PD_SECRET.encode(), body, hashlib.sha256).hexdigest()
        return {"HTTP_X_PAGERDUTY_SIGNATURE": f"v1={digest}"}
    if source == "rootly":
        digest = hmac.new(ROOTLY_SECRET.encode(), b"1761514500" + body, hashlib.sha256).hexdigest()
        return {"HTTP_X_ROOTLY_SIGNATURE": f"t=1761514500,v1={digest}"}
    header = (
        "HTTP_AUTHORIZATION" if source in ("alertmanager", "grafana") else "HTTP_X_NOFAULT_TOKEN"
    )
    token = TOKENS[source]
    return {header: f"Bearer {token}" if header == "HTTP_AUTHORIZATION" else token}


def original_outcome(client: Client, source: str, name: str) -> str:
    body = (PAYLOADS / source / name).read_bytes()
    if source == "pagerduty":
        body = json.dumps(json.loads(body)).encode()
    answer = client.post(
        f"/webhooks/{source}", body, content_type="application/json", **signed(source, body)
    )
    assert answer.status_code == 202, answer.content
    return str(answer.json()["status"])


@pytest.fixture
def configured(settings: Any) -> None:
    settings.NOFAULT_INTEGRATIONS = {
        "sources": {
            "pagerduty": {"secrets": [PD_SECRET]},
            "rootly": {"secrets": [ROOTLY_SECRET]},
            "alertmanager": {"token": "am-token"},
            "grafana": {"token": "gf-token"},
            "opsgenie": {"header": "X-Nofault-Token", "token": "og-token"},
            "squadcast": {"header": "X-Nofault-Token", "token": "sq-token"},
        }
    }


def check_source(source: str) -> Callable[..., None]:
    @settings(
        max_examples=30,
        deadline=None,
        derandomize=True,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
        ],
    )
    @given(mutated=mutations(source))
    def run(client: Client, configured: None, mutated: tuple[str, bytes, bool]) -> None:
        name, body, touched = mutated
        answer = client.post(
            f"/webhooks/{source}", body, content_type="application/json", **signed(source, body)
        )
        assert answer.status_code == 202, answer.content
        stored = WebhookDelivery.objects.get(pk=answer.json()["delivery"])
        assert bytes(stored.body) == body
        assert stored.status != DeliveryStatus.FAILED, stored.reason
        if stored.status == DeliveryStatus.UNAPPLIED:
            assert stored.reason
            assert touched, f"unapplied though no needed field changed: {stored.reason}"
        if not touched:
            expected = original_outcome(client, source, name)
            if expected != DeliveryStatus.IGNORED:
                assert stored.status in (DeliveryStatus.PROCESSED, DeliveryStatus.DUPLICATE)
                assert stored.incident_keys

    return run


@pytest.mark.django_db
@pytest.mark.parametrize("source", sorted(FILES))
def test_mutated_published_payloads_are_stored_and_applied_when_readable(
    client: Client, configured: None, source: str
) -> None:
    check_source(source)(client, configured)


garbage = (
    st.binary(max_size=2000)
    | new_values.map(lambda v: json.dumps(v).encode())
    | st.integers(1, 5000).map(lambda depth: b'{"a":[' * depth + b"]}" * depth)
)


@pytest.mark.django_db
@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(source=st.sampled_from(sorted(FILES)), body=garbage, authentic=st.booleans())
def test_any_body_is_a_4xx_unstored_from_strangers_and_a_stored_202_when_authentic(
    client: Client, configured: None, source: str, body: bytes, authentic: bool
) -> None:
    credentials = signed(source, body) if authentic else {"HTTP_AUTHORIZATION": "Bearer nope"}
    before = WebhookDelivery.objects.count()
    answer = client.post(
        f"/webhooks/{source}", body, content_type="application/json", **credentials
    )
    if authentic:
        assert answer.status_code == 202, answer.content
        stored = WebhookDelivery.objects.get(pk=answer.json()["delivery"])
        assert bytes(stored.body) == body and stored.status != DeliveryStatus.FAILED
        if stored.status == DeliveryStatus.UNAPPLIED:
            assert stored.reason
    else:
        assert answer.status_code in (400, 401, 429), answer.content
        assert answer.json()["reason"]
        assert WebhookDelivery.objects.count() == before
