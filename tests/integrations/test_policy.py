"""Review policy, coverage, reminders and recurrence: the pure rules in nofault.core.policy."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from nofault.core.document import ActionStatus, ReviewLevel
from nofault.core.guide.config import GuideConfig
from nofault.core.policy import (
    Chaseable,
    ChaseKind,
    CoverageState,
    EscalationPolicy,
    Level,
    PolicyError,
    PriorAction,
    ReviewPolicy,
    add_days,
    coverage_rates,
    coverage_state,
    digest_due,
    find_recurrences,
    reminders_due,
    weekly_digest,
)

FRIDAY = datetime(2026, 3, 6, 15, 0, tzinfo=UTC)
POLICY = ReviewPolicy.from_guide()


def test_defaults_come_from_the_guide() -> None:
    assert POLICY.rule("SEV1").level is ReviewLevel.FULL
    assert POLICY.rule("sev4").level is ReviewLevel.LIGHT
    guide = GuideConfig()
    assert POLICY.rule("SEV2").due_days == guide.severity("SEV2").publish_due_days  # type: ignore[union-attr]
    assert POLICY.rule("SEV9") == POLICY.default


def test_due_time_counts_working_days() -> None:
    assert add_days(FRIDAY, 1, working_days=True) == FRIDAY + timedelta(days=3)  # Monday
    assert add_days(FRIDAY, 5, working_days=True) == FRIDAY + timedelta(days=7)
    assert add_days(FRIDAY, 5, working_days=False) == FRIDAY + timedelta(days=5)
    req = POLICY.requirement("SEV1", FRIDAY)
    assert req.level is ReviewLevel.FULL and req.due_at.weekday() < 5 and req.due_at > FRIDAY
    with pytest.raises(ValueError, match="aware"):
        POLICY.requirement("SEV1", FRIDAY.replace(tzinfo=None))


def test_admin_overrides() -> None:
    policy = POLICY.with_overrides({"SEV3": {"level": "light", "due_days": 3}})
    assert policy.rule("SEV3").level is ReviewLevel.LIGHT and policy.rule("SEV3").due_days == 3
    assert policy.rule("SEV1") == POLICY.rule("SEV1")


def test_waivers_need_a_reason_a_person_and_the_named_role() -> None:
    ok = {"severity": "SEV4", "reason": "Duplicate of INC-41, reviewed there.", "person": "ana"}
    POLICY.check_waiver(role="sponsor", **ok)
    with pytest.raises(PolicyError, match="only the sponsor"):
        POLICY.check_waiver(role="owner", **ok)
    with pytest.raises(PolicyError, match="reason"):
        POLICY.check_waiver(role="sponsor", **{**ok, "reason": "dup"})
    with pytest.raises(PolicyError, match="person"):
        POLICY.check_waiver(role="sponsor", **{**ok, "person": " "})
    with pytest.raises(PolicyError, match="SEV1 review cannot be waived"):
        POLICY.check_waiver(role="sponsor", **{**ok, "severity": "SEV1"})


@pytest.mark.parametrize(
    ("status", "waived", "due_in", "state"),
    [
        (None, False, 1, CoverageState.MISSING),
        (None, False, -1, CoverageState.OVERDUE),
        ("draft", False, 1, CoverageState.DRAFTING),
        ("draft", False, -1, CoverageState.OVERDUE),
        ("in_review", False, 1, CoverageState.IN_REVIEW),
        ("published", False, -1, CoverageState.PUBLISHED),
        (None, True, -1, CoverageState.WAIVED),
        ("draft", True, 1, CoverageState.WAIVED),
    ],
)
def test_coverage_state(
    status: str | None, waived: bool, due_in: int, state: CoverageState
) -> None:
    due = FRIDAY + timedelta(days=due_in)
    assert coverage_state(postmortem_status=status, waived=waived, due_at=due, now=FRIDAY) is state


def test_coverage_rates_count_minor_incidents_like_major_ones() -> None:
    rows = [
        ("SEV1", CoverageState.PUBLISHED),
        ("SEV1", CoverageState.OVERDUE),
        ("SEV4", CoverageState.MISSING),
        ("SEV4", CoverageState.WAIVED),
    ]
    rates = coverage_rates(rows)
    assert rates["SEV1"].rate == 0.5 and rates["SEV4"].rate == 0.5
    assert rates["SEV4"].states == {"missing": 1, "waived": 1}


def _item(due: datetime, **kw: object) -> Chaseable:
    base = {
        "kind": ChaseKind.REVIEW,
        "ref": "INC-1",
        "title": "Checkout errors",
        "due_at": due,
        "owner": "olga",
        "facilitator": "fred",
        "sponsor": "sam",
    }
    return Chaseable(**{**base, **kw})  # type: ignore[arg-type]


def test_escalation_owner_then_facilitator_then_sponsor() -> None:
    policy = EscalationPolicy(facilitator_after=timedelta(days=2), sponsor_after=timedelta(days=5))
    due = FRIDAY
    never = lambda key: None  # noqa: E731
    assert (
        reminders_due([_item(due)], now=due - timedelta(hours=1), policy=policy, last_sent=never)
        == []
    )
    one = reminders_due([_item(due)], now=due + timedelta(hours=1), policy=policy, last_sent=never)
    assert [(r.level, r.recipient) for r in one] == [(Level.OWNER, "olga")]
    three = reminders_due([_item(due)], now=due + timedelta(days=6), policy=policy, last_sent=never)
    assert {(r.level, r.recipient) for r in three} == {
        (Level.OWNER, "olga"),
        (Level.FACILITATOR, "fred"),
        (Level.SPONSOR, "sam"),
    }
    assert (
        reminders_due(
            [_item(due, done=True)], now=due + timedelta(days=6), policy=policy, last_sent=never
        )
        == []
    )


def test_reminders_repeat_only_after_the_interval() -> None:
    policy = EscalationPolicy(repeat_every=timedelta(days=1))
    now = FRIDAY + timedelta(days=1)
    sent: dict[tuple[str, str, str], datetime] = {}
    first = reminders_due([_item(FRIDAY)], now=now, policy=policy, last_sent=sent.get)
    sent.update({r.key: now for r in first})
    assert (
        reminders_due(
            [_item(FRIDAY)], now=now + timedelta(hours=2), policy=policy, last_sent=sent.get
        )
        == []
    )
    assert reminders_due(
        [_item(FRIDAY)], now=now + timedelta(days=1), policy=policy, last_sent=sent.get
    )


def test_one_person_in_two_roles_is_reminded_once() -> None:
    item = _item(FRIDAY, facilitator="olga")
    got = reminders_due(
        [item], now=FRIDAY + timedelta(days=3), policy=EscalationPolicy(), last_sent=lambda k: None
    )
    assert [r.recipient for r in got] == ["olga"]


def test_escalation_delays_must_grow() -> None:
    with pytest.raises(ValueError, match="grow"):
        EscalationPolicy(facilitator_after=timedelta(days=5), sponsor_after=timedelta(days=1))


def test_weekly_digest() -> None:
    items = [
        _item(FRIDAY - timedelta(days=2)),
        _item(
            FRIDAY + timedelta(days=3),
            ref="AI-9",
            kind=ChaseKind.ACTION_ITEM,
            facilitator=None,
            sponsor=None,
        ),
        _item(FRIDAY + timedelta(days=30), ref="AI-10"),
        _item(FRIDAY - timedelta(days=9), ref="INC-0", done=True),
    ]
    digests = {d.recipient: d for d in weekly_digest(items, now=FRIDAY)}
    assert set(digests) == {"olga", "fred", "sam"}
    assert [i.ref for i in digests["olga"].overdue] == ["INC-1"]
    assert [i.ref for i in digests["olga"].due_soon] == ["AI-9"]
    assert digests["sam"].due_soon == ()
    monday = datetime(2026, 3, 9, 8, tzinfo=UTC)
    assert digest_due(None, monday)
    assert not digest_due(monday, monday + timedelta(days=2))
    assert digest_due(monday - timedelta(days=3), monday + timedelta(hours=1))


def _prior(**kw: object) -> PriorAction:
    base = {
        "ref": "AI-3",
        "postmortem_ref": "PM-1",
        "services": frozenset({"checkout"}),
        "categories": frozenset({"technical"}),
        "status": ActionStatus.OPEN,
    }
    return PriorAction(**{**base, **kw})  # type: ignore[arg-type]


def test_recurrence_needs_the_same_service_and_category() -> None:
    def find(
        *items: PriorAction,
        services: tuple[str, ...] = ("Checkout",),
        categories: tuple[str, ...] = ("technical",),
    ) -> list[str]:
        return [
            r.action_ref
            for r in find_recurrences(
                services=services, categories=categories, occurred_at=FRIDAY, prior=items
            )
        ]

    assert find(_prior()) == ["AI-3"]
    assert find(_prior(), services=("search",)) == []
    assert find(_prior(), categories=("process",)) == []
    recent = _prior(status=ActionStatus.DONE, closed_at=FRIDAY - timedelta(days=20))
    old = _prior(ref="AI-4", status=ActionStatus.DONE, closed_at=FRIDAY - timedelta(days=200))
    dropped = _prior(ref="AI-5", status=ActionStatus.WONT_DO, closed_at=FRIDAY - timedelta(days=1))
    assert find(recent, old, dropped) == ["AI-3", "AI-5"]
    late = _prior(status=ActionStatus.DONE, closed_at=FRIDAY + timedelta(days=1))
    (rec,) = find_recurrences(
        services=["checkout"], categories=["technical"], occurred_at=FRIDAY, prior=[late]
    )
    assert rec.action_was_open
