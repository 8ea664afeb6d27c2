"""Review policy, coverage, reminders and recurrence: the rules that keep reviews and action
items from slipping, as pure functions the web app and the CLI call.

- Every incident owes a review: its level (full or light) and due time follow its severity,
  with defaults from the organisation's guide.
- A waiver needs a reason and a person in a named role; it is recorded, never silent.
- The coverage state of an incident is one of missing, drafting, in review, published,
  waived, overdue; a minor incident without a review is as missing as a major one.
- Overdue reviews and action items are chased: first the owner, then the facilitator, then
  the sponsor, after configurable delays; each person at most once per repeat interval.
- A new incident on the same service with a contributing factor of the same category as an
  earlier postmortem's open (or recently closed) action item is a recurrence.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TypeVar

from nofault.core.document import ActionStatus, PostmortemStatus, ReviewLevel
from nofault.core.guide.config import GuideConfig

K = TypeVar("K", bound=Hashable)


class PolicyError(ValueError):
    """A request the review policy refuses, with the reason to show."""


# --- review level and due time ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReviewRule:
    """What one severity owes: a full or light review, published within so many days."""

    severity: str
    level: ReviewLevel
    due_days: int
    waivable: bool = False


@dataclass(frozen=True, slots=True)
class ReviewRequirement:
    """The review an incident owes."""

    level: ReviewLevel
    due_at: datetime


def add_days(start: datetime, days: int, *, working_days: bool) -> datetime:
    """Return `start` plus `days`, skipping Saturdays and Sundays when counting working days."""
    if not working_days:
        return start + timedelta(days=days)
    current, left = start, days
    while left > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            left -= 1
    return current


@dataclass(frozen=True, slots=True)
class ReviewPolicy:
    """Per severity the review level and due time, and who may waive a review."""

    rules: Mapping[str, ReviewRule]
    default: ReviewRule = ReviewRule("default", ReviewLevel.FULL, 10)
    working_days: bool = True
    waiver_roles: frozenset[str] = frozenset({"sponsor"})
    min_reason_length: int = 10

    @classmethod
    def from_guide(cls, guide: GuideConfig | None = None) -> ReviewPolicy:
        """Return the policy the organisation's guide describes (nofault's defaults if none)."""
        guide = guide or GuideConfig()
        waivable = {s.name.casefold() for s in guide.waivable_severities}
        rules = {
            s.name.casefold(): ReviewRule(
                s.name, s.review, s.publish_due_days, s.name.casefold() in waivable
            )
            for s in guide.severities
        }
        return cls(
            rules=rules,
            working_days=guide.process.working_days,
            waiver_roles=frozenset({guide.waivers.decided_by.value}),
        )

    def with_overrides(self, overrides: Mapping[str, Mapping[str, object]]) -> ReviewPolicy:
        """Return the policy with an admin's per-severity changes: {"SEV3": {"level": "light"}}."""
        rules = dict(self.rules)
        for name, change in overrides.items():
            base = self.rule(name)
            level = change.get("level", base.level)
            due = change.get("due_days", base.due_days)
            rules[name.casefold()] = ReviewRule(
                name,
                ReviewLevel(str(level)),
                int(due),  # type: ignore[call-overload]
                bool(change.get("waivable", base.waivable)),
            )
        return ReviewPolicy(rules, self.default, self.working_days, self.waiver_roles)

    def rule(self, severity: str) -> ReviewRule:
        """Return the rule for a severity (the default rule for an unknown one)."""
        return self.rules.get(severity.casefold(), self.default)

    def requirement(self, severity: str, since: datetime) -> ReviewRequirement:
        """Return the review an incident of this severity, detected at `since`, owes."""
        if since.tzinfo is None:
            raise ValueError("`since` must be timezone-aware")
        rule = self.rule(severity)
        due = add_days(since, rule.due_days, working_days=self.working_days)
        return ReviewRequirement(rule.level, due)

    def check_waiver(self, *, severity: str, reason: str, role: str | None, person: str) -> None:
        """Raise `PolicyError` unless this person, in this role, may waive with this reason."""
        if not person or not person.strip():
            raise PolicyError("a waiver names the person who decided it")
        if role not in self.waiver_roles:
            allowed = ", ".join(sorted(self.waiver_roles))
            raise PolicyError(f"only the {allowed} may waive a review (not {role or 'nobody'})")
        if len((reason or "").strip()) < self.min_reason_length:
            raise PolicyError("a waiver needs a reason (a sentence, not a word)")
        if not self.rule(severity).waivable:
            raise PolicyError(f"a {severity} review cannot be waived under this policy")


# --- coverage --------------------------------------------------------------------------


class CoverageState(StrEnum):
    """Where an incident's review stands, as the ledger shows it."""

    MISSING = "missing"
    DRAFTING = "drafting"
    IN_REVIEW = "in_review"
    PUBLISHED = "published"
    WAIVED = "waived"
    OVERDUE = "overdue"


COVERED = frozenset({CoverageState.PUBLISHED, CoverageState.WAIVED})


def coverage_state(
    *,
    postmortem_status: str | None,
    waived: bool,
    due_at: datetime | None,
    now: datetime,
) -> CoverageState:
    """Return the ledger state: done states first, then overdue, then how far the review got."""
    if postmortem_status == PostmortemStatus.PUBLISHED:
        return CoverageState.PUBLISHED
    if waived:
        return CoverageState.WAIVED
    if due_at is not None and now > due_at:
        return CoverageState.OVERDUE
    if postmortem_status == PostmortemStatus.IN_REVIEW:
        return CoverageState.IN_REVIEW
    if postmortem_status == PostmortemStatus.DRAFT:
        return CoverageState.DRAFTING
    return CoverageState.MISSING


@dataclass(frozen=True, slots=True)
class CoverageRate:
    """How many incidents of a group have their review done (published or waived)."""

    total: int = 0
    covered: int = 0
    states: Mapping[str, int] = field(default_factory=dict)

    @property
    def rate(self) -> float | None:
        """Return covered over total, or None for an empty group."""
        return self.covered / self.total if self.total else None


def coverage_rates(
    rows: Iterable[tuple[K, CoverageState]],
) -> dict[K, CoverageRate]:
    """Return the coverage rate per group from (group, state) pairs."""
    totals: dict[K, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for key, state in rows:
        totals[key][state.value] += 1
    return {
        key: CoverageRate(
            total=sum(states.values()),
            covered=sum(n for s, n in states.items() if CoverageState(s) in COVERED),
            states=dict(states),
        )
        for key, states in totals.items()
    }


# --- reminders and escalation ----------------------------------------------------------


class Level(StrEnum):
    """Who a reminder goes to, in escalation order."""

    OWNER = "owner"
    FACILITATOR = "facilitator"
    SPONSOR = "sponsor"


@dataclass(frozen=True, slots=True)
class EscalationPolicy:
    """How long past due before each level is reminded, and how often each is reminded again."""

    owner_after: timedelta = timedelta(0)
    facilitator_after: timedelta = timedelta(days=2)
    sponsor_after: timedelta = timedelta(days=5)
    repeat_every: timedelta = timedelta(days=1)

    def __post_init__(self) -> None:
        if not self.owner_after <= self.facilitator_after <= self.sponsor_after:
            raise ValueError("escalation delays must grow: owner ≤ facilitator ≤ sponsor")
        if self.repeat_every <= timedelta(0):
            raise ValueError("repeat_every must be positive")

    def levels(self, overdue_by: timedelta) -> list[Level]:
        """Return the levels reached after being overdue this long."""
        reached = [(Level.OWNER, self.owner_after), (Level.FACILITATOR, self.facilitator_after),
                   (Level.SPONSOR, self.sponsor_after)]  # fmt: skip
        return [level for level, after in reached if overdue_by >= after]


class ChaseKind(StrEnum):
    """What is being chased."""

    REVIEW = "review"
    ACTION_ITEM = "action_item"


@dataclass(frozen=True, slots=True)
class Chaseable:
    """Something with a due time and people to remind: an owed review or an action item."""

    kind: ChaseKind
    ref: str
    title: str
    due_at: datetime
    owner: str | None = None
    facilitator: str | None = None
    sponsor: str | None = None
    link: str | None = None
    done: bool = False

    def person(self, level: Level) -> str | None:
        """Return who holds this level for the item."""
        return {Level.OWNER: self.owner, Level.FACILITATOR: self.facilitator,
                Level.SPONSOR: self.sponsor}[level]  # fmt: skip


@dataclass(frozen=True, slots=True)
class Reminder:
    """One reminder to send now."""

    kind: ChaseKind
    ref: str
    title: str
    level: Level
    recipient: str
    due_at: datetime
    overdue_by: timedelta
    link: str | None = None

    @property
    def key(self) -> tuple[str, str, str]:
        """Return what the sent-log is keyed by: item, level, person."""
        return (self.ref, self.level.value, self.recipient)


def reminders_due(
    items: Iterable[Chaseable],
    *,
    now: datetime,
    policy: EscalationPolicy,
    last_sent: Callable[[tuple[str, str, str]], datetime | None],
) -> list[Reminder]:
    """Return the reminders to send now; running it again right after returns none.

    Every level reached so far is reminded (an escalation adds people, it does not stop
    chasing the owner), each person at most once per `repeat_every`.
    """
    out: list[Reminder] = []
    for item in items:
        if item.done or now <= item.due_at:
            continue
        overdue_by = now - item.due_at
        seen: set[str] = set()
        for level in policy.levels(overdue_by):
            person = item.person(level)
            if not person or person in seen:
                continue
            seen.add(person)
            reminder = Reminder(item.kind, item.ref, item.title, level, person, item.due_at,
                                overdue_by, item.link)  # fmt: skip
            previous = last_sent(reminder.key)
            if previous is None or now - previous >= policy.repeat_every:
                out.append(reminder)
    return sorted(out, key=lambda r: (r.recipient, r.due_at, r.ref))


@dataclass(frozen=True, slots=True)
class Digest:
    """A person's weekly summary: what they own or oversee that is overdue or due soon."""

    recipient: str
    overdue: tuple[Chaseable, ...]
    due_soon: tuple[Chaseable, ...]


def weekly_digest(
    items: Iterable[Chaseable], *, now: datetime, soon: timedelta = timedelta(days=7)
) -> list[Digest]:
    """Return one digest per person named on an open item that is overdue or due within `soon`."""
    overdue: dict[str, list[Chaseable]] = defaultdict(list)
    upcoming: dict[str, list[Chaseable]] = defaultdict(list)
    for item in items:
        if item.done or item.due_at > now + soon:
            continue
        target = overdue if item.due_at < now else upcoming
        for person in dict.fromkeys(p for p in (item.owner, item.facilitator, item.sponsor) if p):
            target[person].append(item)
    people = sorted(set(overdue) | set(upcoming))
    return [
        Digest(
            person,
            tuple(sorted(overdue[person], key=lambda i: i.due_at)),
            tuple(sorted(upcoming[person], key=lambda i: i.due_at)),
        )
        for person in people
    ]


def digest_due(last_sent: datetime | None, now: datetime, *, weekday: int = 0) -> bool:
    """Tell whether this week's digest (sent on `weekday`, Monday = 0) is still to send."""
    if now.weekday() < weekday:
        return False
    week_start = (now - timedelta(days=now.weekday() - weekday)).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    return last_sent is None or last_sent < week_start


# --- recurrence ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PriorAction:
    """An action item from an earlier postmortem, with what it was meant to address."""

    ref: str
    postmortem_ref: str
    services: frozenset[str]
    categories: frozenset[str]
    status: ActionStatus
    closed_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Recurrence:
    """A new incident that hit what an earlier action item was meant to prevent."""

    action_ref: str
    postmortem_ref: str
    services: tuple[str, ...]
    categories: tuple[str, ...]
    action_was_open: bool


def find_recurrences(
    *,
    services: Iterable[str],
    categories: Iterable[str],
    occurred_at: datetime,
    prior: Iterable[PriorAction],
    closed_within: timedelta = timedelta(days=90),
) -> list[Recurrence]:
    """Return the earlier action items a new incident recurs on.

    An item counts when it shares a service and a contributing-factor category with the new
    incident, and it is still open, or was closed less than `closed_within` before.
    """
    wanted_services = {s.casefold() for s in services}
    wanted_categories = {str(c).casefold() for c in categories}
    found: list[Recurrence] = []
    for item in prior:
        shared_services = sorted(s for s in item.services if s.casefold() in wanted_services)
        shared_categories = sorted(c for c in item.categories if c.casefold() in wanted_categories)
        if not shared_services or not shared_categories:
            continue
        is_open = item.status in (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)
        if not is_open:
            if item.closed_at is None:
                continue  # closed at an unknown time: too old to tell
            if item.closed_at > occurred_at:
                is_open = True  # closed only after the new incident began
            elif occurred_at - item.closed_at > closed_within:
                continue
        found.append(Recurrence(item.ref, item.postmortem_ref, tuple(shared_services),
                                tuple(shared_categories), is_open))  # fmt: skip
    return found
