"""Folding events is order-proof and idempotent: the property the webhook service relies on."""

from __future__ import annotations

import itertools
import json
from datetime import UTC, datetime, timedelta
from functools import reduce

from hypothesis import given, settings
from hypothesis import strategies as st

from nofault.core.document import IncidentStatus
from nofault.web.integrations.ingest import IncidentState, fold, starts_new_episode
from nofault.web.integrations.sources import get_source
from nofault.web.integrations.sources.base import EventType, IncidentEvent

from .conftest import PAYLOADS

PD_EVENTS = [
    get_source("pagerduty").parse((PAYLOADS / f"pagerduty/incident.{k}.json").read_bytes())[0]
    for k in ("triggered", "acknowledged", "resolved", "annotated")
]


def fold_all(events: list[IncidentEvent]) -> IncidentState | None:
    return reduce(fold, events, None)  # type: ignore[arg-type]


def test_pagerduty_lifecycle_ends_resolved_in_every_order() -> None:
    results = {fold_all(list(order)) for order in itertools.permutations(PD_EVENTS)}
    assert len(results) == 1
    (state,) = results
    assert state is not None
    assert state.status is IncidentStatus.RESOLVED
    assert state.resolved_at == PD_EVENTS[2].occurred_at
    assert state.acknowledged_at == PD_EVENTS[1].occurred_at
    assert state.started_at == datetime(2025, 4, 7, 3, 47, 13, tzinfo=UTC)
    assert state.title == "Test" and state.severity == "SEV4"
    assert state.services == ("Webhook Tester",)


def test_redelivery_changes_nothing() -> None:
    once = fold_all(PD_EVENTS)
    twice = fold_all(PD_EVENTS + PD_EVENTS[::-1])
    assert once == twice


def test_resolve_before_trigger_still_knows_the_start() -> None:
    state = fold_all([PD_EVENTS[2]])
    assert state is not None and state.status is IncidentStatus.RESOLVED
    assert state.started_at == datetime(2025, 4, 7, 3, 47, 13, tzinfo=UTC)


def _am_event(status: str, starts: str, ends: str | None = None) -> IncidentEvent:
    data = json.loads((PAYLOADS / "alertmanager/firing.json").read_text())
    data["status"] = status
    for alert in data["alerts"]:
        alert["status"] = status
        alert["startsAt"] = starts
        if ends:
            alert["endsAt"] = ends
    return get_source("alertmanager").parse(json.dumps(data).encode())[0]


def test_a_group_that_fires_again_later_is_a_new_episode() -> None:
    first = fold_all(
        [
            _am_event("firing", "2020-02-06T00:00:00Z"),
            _am_event("resolved", "2020-02-06T00:00:00Z", "2020-02-06T01:00:00Z"),
        ]
    )
    assert first is not None and first.status is IncidentStatus.RESOLVED
    again = _am_event("firing", "2020-02-09T00:00:00Z")
    assert starts_new_episode(first, again)
    # A late resend of the first firing is not a new episode.
    assert not starts_new_episode(first, _am_event("firing", "2020-02-06T00:00:00Z"))
    # PagerDuty's reopen keeps created_at, so it reopens the same incident.
    pd = fold_all(PD_EVENTS)
    assert pd is not None
    reopen = IncidentEvent(
        source="pagerduty",
        dedup_key="Q2CKYRLH85UNN4",
        event_id="r",
        type=EventType.TRIGGER,
        occurred_at=pd.resolved_at + timedelta(hours=1),  # type: ignore[operator]
        started_at=pd.started_at,
    )
    assert not starts_new_episode(pd, reopen)
    assert fold(pd, reopen).status is IncidentStatus.TRIGGERED
    assert fold(pd, reopen).resolved_at is None


_BASE = datetime(2026, 1, 1, tzinfo=UTC)
_events = st.builds(
    IncidentEvent,
    source=st.just("x"),
    dedup_key=st.just("k"),
    event_id=st.text(min_size=1, max_size=4),
    type=st.sampled_from(list(EventType)),
    occurred_at=st.integers(0, 50).map(lambda m: _BASE + timedelta(minutes=m)),
    title=st.sampled_from(["", "a", "b"]),
    severity=st.sampled_from([None, "SEV1", "SEV3"]),
    started_at=st.one_of(st.none(), st.integers(0, 50).map(lambda m: _BASE + timedelta(minutes=m))),
    services=st.lists(st.sampled_from(["api", "db"]), max_size=2).map(tuple),
)


@settings(max_examples=300)
@given(st.lists(_events, min_size=1, max_size=6), st.randoms(use_true_random=False))
def test_any_order_and_any_repeats_give_one_status(events: list[IncidentEvent], rnd) -> None:  # type: ignore[no-untyped-def]
    shuffled = events + rnd.sample(events, k=len(events) // 2)
    rnd.shuffle(shuffled)
    a, b = fold_all(events), fold_all(shuffled)
    assert a is not None and b is not None
    assert a == b
