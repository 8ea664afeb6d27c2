"""Review queries: the policy in force, and the coverage ledger, seen through incident access.

Every ledger query starts from `incident_list_visible`, so a restricted incident counts (and
shows) only for its members and admins, exactly as on the incident list.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    Exists,
    OuterRef,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import TruncMonth
from django.utils import timezone

from nofault.core.guide.config import GuideConfig, parse_guide_config
from nofault.core.policy import (
    COVERED,
    CoverageRate,
    CoverageState,
    EscalationPolicy,
    ReviewPolicy,
)
from nofault.web.incidents.models import Incident
from nofault.web.incidents.selectors import incident_list_visible
from nofault.web.reviews.models import PolicySettings, ServiceTeam, Waiver

log = logging.getLogger(__name__)
NO_TEAM = "(no team)"


def policy_settings() -> PolicySettings:
    """Return the admins' policy settings (the defaults until an admin saves them)."""
    return PolicySettings.objects.order_by("pk").first() or PolicySettings()


def guide_config() -> GuideConfig:
    """Return the organisation's guide settings; nofault's defaults when none or unreadable."""
    from nofault.web.guides.models import GuideInputs

    inputs = GuideInputs.objects.order_by("pk").values_list("config", flat=True).first()
    return _guide_config_from(inputs)


def _guide_config_from(inputs: str | None) -> GuideConfig:
    if not (inputs or "").strip():
        return GuideConfig()
    try:
        return parse_guide_config(inputs or "", source="the guide's settings")
    except Exception as exc:  # a broken guide.toml must not stop incidents being recorded
        log.warning("guide settings unreadable, using nofault's defaults: %s", exc)
        return GuideConfig()


def review_policy(settings: PolicySettings | None = None) -> ReviewPolicy:
    """Return the policy in force: the guide's, with the admins' per-severity changes."""
    if settings is None:
        return _review_policy_current()
    return ReviewPolicy.from_guide(guide_config()).with_overrides(settings.overrides or {})


# The policy in force, per process, under what it was built from. Every webhook-created
# incident needs it for its due date; reading both rows and parsing the guide's TOML each time
# cost two queries and the parse. The key is the rows' content itself (the overrides' text and
# the guide settings' digest), read in one query: an admin's change, a rollback or a flushed
# test database are all seen at once, in every process, with no signal to miss.
_policy_cache: dict[tuple[Any, ...], ReviewPolicy] = {}
_policy_lock = threading.Lock()


def _policy_stamp() -> tuple[Any, ...]:
    """The two values the policy in force is filed under, read in one query."""
    from nofault.web.guides.models import GuideInputs

    ops = connection.ops
    policy_table = ops.quote_name(PolicySettings._meta.db_table)
    guide_table = ops.quote_name(GuideInputs._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT CAST(overrides AS TEXT) FROM {policy_table} ORDER BY id LIMIT 1), "
            f"(SELECT MD5(config) FROM {guide_table} ORDER BY id LIMIT 1)"
        )
        row = cursor.fetchone()
    return tuple(row) if row else ()


def _review_policy_current() -> ReviewPolicy:
    stamp = _policy_stamp()
    policy = _policy_cache.get(stamp)
    if policy is not None:
        return policy
    from nofault.web.guides.models import GuideInputs

    # Built from the values it is filed under, so an entry always matches its key even when
    # an admin saves between the stamp and these reads.
    overrides_text = stamp[0] if stamp else None
    config = GuideInputs.objects.order_by("pk").values_list("config", flat=True).first()
    overrides = json.loads(overrides_text) if overrides_text else {}
    policy = ReviewPolicy.from_guide(_guide_config_from(config)).with_overrides(overrides or {})
    digest = (
        hashlib.md5(config.encode(), usedforsecurity=False).hexdigest()
        if config is not None
        else None
    )
    with _policy_lock:
        _policy_cache.clear()  # one entry: the policy in force now
        _policy_cache[(overrides_text, digest)] = policy
    return policy


def escalation_policy(settings: PolicySettings | None = None) -> EscalationPolicy:
    """Return how reminders escalate, from the admins' settings."""
    settings = settings or policy_settings()
    return EscalationPolicy(
        facilitator_after=timedelta(days=settings.facilitator_after_days),
        sponsor_after=timedelta(days=max(settings.sponsor_after_days,
                                         settings.facilitator_after_days)),
        repeat_every=timedelta(hours=max(settings.repeat_every_hours, 1)),
    )  # fmt: skip


def coverage_expression(today: date) -> Case:
    """Return the SQL for an incident's ledger state (the same order as `coverage_state`).

    Due dates are whole days: a review is overdue from the day after its due date.
    """
    return Case(
        When(postmortem__status="published", then=Value(CoverageState.PUBLISHED.value)),
        When(waived=True, then=Value(CoverageState.WAIVED.value)),
        When(postmortem_due__lt=today, then=Value(CoverageState.OVERDUE.value)),
        When(postmortem__status="in_review", then=Value(CoverageState.IN_REVIEW.value)),
        When(postmortem__status="draft", then=Value(CoverageState.DRAFTING.value)),
        default=Value(CoverageState.MISSING.value),
        output_field=CharField(),
    )


def with_coverage(qs: QuerySet[Incident], today: date) -> QuerySet[Incident]:
    """Return the incidents annotated with `waived` and their ledger state `coverage`."""
    return qs.annotate(waived=Exists(Waiver.objects.filter(incident_id=OuterRef("pk")))).annotate(
        coverage=coverage_expression(today)
    )


def coverage_list(
    *, user: Any, filters: dict[str, str] | None = None, today: date | None = None
) -> QuerySet[Incident]:
    """Incidents the user may see, each annotated with its `coverage` state, newest first."""
    today = today or timezone.localdate()
    f = {k: str(v).replace("\x00", "") for k, v in (filters or {}).items() if v}
    base = {k: v for k, v in f.items() if k in ("severity", "service", "q")}
    qs = with_coverage(incident_list_visible(user=user, filters=base), today)
    if f.get("state"):
        qs = qs.filter(coverage=f["state"])
    if f.get("team"):
        services = list(
            ServiceTeam.objects.filter(team=f["team"]).values_list("service", flat=True)
        )
        if f["team"] == NO_TEAM:
            qs = qs.filter(services_index="")
        else:
            qs = qs.filter(services_index__regex=_services_regex(services))
    return qs


# What a row of the ledger shows: only these columns are read (not the postmortem's text and
# findings, which `incident_list_visible` brings along for the incident pages).
LEDGER_FIELDS = (
    "id", "key", "title", "severity", "postmortem_due",
    "review_waiver__reason", "review_waiver__role", "review_waiver__decided_by_name",
)  # fmt: skip


def ledger_rows(*, user: Any, filters: dict[str, str] | None = None) -> QuerySet[Incident]:
    """The ledger's incidents (`coverage_list`), each with its waiver, reading LEDGER_FIELDS."""
    qs = coverage_list(user=user, filters=filters).select_related(None)
    return qs.select_related("review_waiver").only(*LEDGER_FIELDS)


def _services_regex(services: list[str]) -> str:
    import re

    if not services:
        return r"^\b$"  # matches nothing
    return ",(" + "|".join(re.escape(s.lower()) for s in services) + "),"


@dataclass(frozen=True)
class CoverageSummary:
    """Coverage rates overall and by severity, team and month."""

    total: CoverageRate
    by_severity: dict[str, CoverageRate]
    by_team: dict[str, CoverageRate]
    by_month: dict[str, CoverageRate]

    def as_dict(self) -> dict[str, Any]:
        """Return the summary as JSON-ready values."""

        def rate(r: CoverageRate) -> dict[str, Any]:
            return {
                "total": r.total,
                "covered": r.covered,
                "rate": r.rate,
                "states": dict(r.states),
            }

        return {
            "total": rate(self.total),
            "by_severity": {k: rate(v) for k, v in self.by_severity.items()},
            "by_team": {k: rate(v) for k, v in self.by_team.items()},
            "by_month": {k: rate(v) for k, v in self.by_month.items()},
        }


# The rates are kept under what they depend on: the data version (every save of an incident,
# postmortem or waiver moves it), the day (a review turns overdue), what the person may see
# and the service-to-team map. Counting all 100,000 incidents of the benchmark's database cost
# PostgreSQL 500-700 ms a ledger request on loaded cores (a sort of 100,000 joined rows by
# four columns), and folding the groups here 80 ms more (`benchmarks/web_bench/
# profile_pages.py /reviews/`): over the page's 200 ms budget alone.
COVERAGE_SECONDS = 600


def coverage_summary(*, user: Any, today: date | None = None) -> CoverageSummary:
    """Return the coverage rates the user may see, in one grouped query folded here."""
    from nofault.web.insights.selectors import visibility_scope
    from nofault.web.insights.services import data_version

    today = today or timezone.localdate()
    teams = {k.lower(): v for k, v in ServiceTeam.objects.values_list("service", "team")}
    mapped = hashlib.md5(repr(sorted(teams.items())).encode(), usedforsecurity=False)
    scope = visibility_scope(user=user)
    key = f"reviews:coverage:{data_version()}:{today}:{scope}:{mapped.hexdigest()}"
    summary: CoverageSummary | None = cache.get(key)
    if summary is None:
        summary = _coverage_fold(user=user, today=today, teams=teams)
        cache.set(key, summary, COVERAGE_SECONDS)
    return summary


def _coverage_fold(*, user: Any, today: date, teams: dict[str, str]) -> CoverageSummary:
    qs = coverage_list(user=user, today=today).order_by()
    # The month as a date: no aware datetime to build per group in Python.
    groups = qs.annotate(month=TruncMonth("created_at", output_field=DateField())).values(
        "severity", "month", "services_index", "coverage"
    ).annotate(n=Count("id"))  # fmt: skip
    counts: dict[str, dict[str, dict[str, int]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(int))
    )
    for row in groups:  # JIT is off on every connection (settings): it cost more than it saved
        state, n = row["coverage"], row["n"]
        month = f"{row['month']:%Y-%m}" if row["month"] else "unknown"
        owning = {teams.get(s, NO_TEAM) for s in row["services_index"].strip(",").split(",") if s}
        counts["total"]["all"][state] += n
        counts["severity"][row["severity"]][state] += n
        counts["month"][month][state] += n
        for team in owning or {NO_TEAM}:
            counts["team"][team][state] += n

    def rates(kind: str) -> dict[str, CoverageRate]:
        return {key: _rate(states) for key, states in counts[kind].items()}

    return CoverageSummary(
        total=rates("total").get("all", CoverageRate()),
        by_severity=dict(sorted(rates("severity").items())),
        by_team=dict(sorted(rates("team").items())),
        by_month=dict(sorted(rates("month").items(), reverse=True)),
    )


def _rate(states: dict[str, int]) -> CoverageRate:
    """Return a group's rate from its count per state (as `coverage_rates` does from pairs)."""
    return CoverageRate(
        total=sum(states.values()),
        covered=sum(n for s, n in states.items() if CoverageState(s) in COVERED),
        states=dict(states),
    )
