"""Insight queries: figures and charts, themes, similar incidents, the report and pulse results.

Everything is limited to what the person may see, through the incidents app's visibility
rule; computed figures are cached per visibility scope (see `services`).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from django.db.models import Count
from django.utils import timezone

from nofault.core.insights.charts import bar_chart, line_chart, stacked_bar_chart
from nofault.core.insights.metrics import compute_metrics
from nofault.core.insights.report import LearningReport, build_report
from nofault.core.insights.similar import SimilarPostmortem
from nofault.core.insights.themes import find_themes, quarter_of
from nofault.web.incidents.models import Incident
from nofault.web.incidents.selectors import visible_incident_filter
from nofault.web.insights import services
from nofault.web.insights.figures import page_figures
from nofault.web.insights.models import PulseComments, PulseParticipation, PulseTally
from nofault.web.insights.pulse import MIN_ANSWERS, STATEMENTS
from nofault.web.insights.records import (
    incident_records,
    postmortem_key,
    postmortem_pk,
    postmortem_records,
    record_from_source,
)
from nofault.web.postmortems.models import Postmortem
from nofault.web.postmortems.selectors import draft_reader_filter, postmortem_list_visible

PERIODS: dict[str, tuple[str, int | None]] = {
    "90d": ("Last 90 days", 90),
    "12m": ("Last 12 months", 365),
    "3y": ("Last 3 years", 3 * 365),
    "all": ("All time", None),
}
DEFAULT_PERIOD = "12m"
DIMENSIONS = ("severity", "service", "team", "month")
MAX_GROUP_ROWS = 25


def visibility_scope(*, user: Any) -> str:
    """A name for what the person may see: `all`, `public`, or public plus their memberships,
    with `+drafts` for those who read every draft.

    Themes cached for a scope are found in the published postmortems and the drafts the
    organisation opens to everyone (every draft for `+drafts`), never in the drafts one
    person reads as their author or reviewer: the next person in the scope may not.
    """
    if getattr(user, "is_org_admin", False):
        return "all"
    drafts = "+drafts" if draft_reader_filter(user) is None else ""
    # Restricted incidents seen as a member or through one's teams: two people share cached
    # figures only when they see the same ones.
    visible = Incident.objects.filter(visible_incident_filter(user), restricted=True)
    ids = sorted(visible.values_list("id", flat=True))
    if not ids:
        return "public" + drafts
    return "m" + hashlib.sha1(",".join(map(str, ids)).encode()).hexdigest()[:16] + drafts


def period_bounds(period: str, today: date | None = None) -> tuple[str, date | None, date]:
    """The period's name, first day (None: all time) and last day."""
    today = today or timezone.localdate()
    if period not in PERIODS:
        period = DEFAULT_PERIOD
    days = PERIODS[period][1]
    return period, (today - timedelta(days=days) if days else None), today


# --- figures ------------------------------------------------------------------------------


def _pct(value: float | None) -> float | None:
    return None if value is None else round(value * 100)


def _compute_figures(user: Any, since: date | None, today: date, team: str = "") -> dict[str, Any]:
    # Aggregated by the database (`figures`), with the core's definitions of every metric.
    # Cached for the whole visibility scope: counts over every postmortem of its incidents,
    # drafts too (their status is on the coverage ledger for all who see the incident).
    page = page_figures(user=user, since=since, until=today, today=today, team=team, drafts="all")
    overall = page.groups["overall"].get("") or compute_metrics([], [], today=today)
    groups = {dim: page.groups[dim] for dim in DIMENSIONS}
    months = list(groups["month"])
    counts = page.incidents_by_severity_month
    by_severity_month: dict[str, list[float]] = {
        severity: [float(counts.get(severity, {}).get(m, 0)) for m in months]
        for severity in groups["severity"]
    }
    by_month = groups["month"]
    charts = {
        "incidents": stacked_bar_chart(
            "Incidents per month, by severity", months, by_severity_month
        ),
        "coverage": line_chart(
            "Review coverage and actions done on time, per month (%)", months,
            {"coverage": [_pct(m.review_coverage) for m in by_month.values()],
             "on time": [_pct(m.on_time_rate) for m in by_month.values()]},
            unit="%",
        ),
        "response": line_chart(
            "Median minutes to detect, mitigate and resolve, per month", months,
            {"detect": [m.median_minutes_to_detect for m in by_month.values()],
             "mitigate": [m.median_minutes_to_mitigate for m in by_month.values()],
             "resolve": [m.median_minutes_to_resolve for m in by_month.values()]},
            unit=" min",
        ),
        "blame": line_chart(
            "Blame findings per postmortem: first draft and published, per month", months,
            {"first draft": [m.blame_per_postmortem_first_draft for m in by_month.values()],
             "published": [m.blame_per_postmortem_published for m in by_month.values()]},
        ),
        "on_time_by_team": bar_chart(
            "Action items done on time, by team",
            {t: _pct(m.on_time_rate) for t, m in list(groups["team"].items())[:MAX_GROUP_ROWS]},
            unit="%",
        ),
        "overdue_by_team": bar_chart(
            "Overdue action items, by team",
            {t: float(m.overdue) for t, m in list(groups["team"].items())[:MAX_GROUP_ROWS]},
        ),
    }  # fmt: skip
    tables: dict[str, list[tuple[str, dict[str, object]]]] = {}
    for dim, found in groups.items():
        rows = list(found.items())
        if dim in ("service", "team") and len(rows) > MAX_GROUP_ROWS:
            rows = sorted(rows, key=lambda kv: -kv[1].incidents)[:MAX_GROUP_ROWS]
        tables[dim] = [(k, m.as_dict()) for k, m in rows]
    return {
        "since": since.isoformat() if since else None,
        "until": today.isoformat(),
        "overall": overall.as_dict(),
        "tables": tables,
        "charts": charts,
        # Cached with the figures (a pulse answer moves the data version too): read on every
        # view it was 7.4 of the page's 33 ms of CPU at 100,000 incidents (profile_pages.py).
        "pulse": pulse_trend(user=user),
    }


def insight_figures(*, user: Any, period: str = DEFAULT_PERIOD, team: str = "") -> dict[str, Any]:
    """The metrics by severity, service, team and month, and their charts, for the period;
    with `team`, over that team's incidents only (the `?team=` of the lists)."""
    period, since, today = period_bounds(period)
    team = team.strip()[:200]
    team_tag = hashlib.sha1(team.encode()).hexdigest()[:12] if team else ""
    family = f"figures:{visibility_scope(user=user)}:{period}:{team_tag}:"
    return services.cached_json(
        family + today.isoformat(),
        lambda: _compute_figures(user, since, today, team),
        family=family,
        refresh={**_refresh_args("figures", user, since, today), "team": team},
    )


def _refresh_args(figure: str, user: Any, since: date | None, today: date) -> dict[str, Any]:
    """What the worker's `insights.refresh` task needs to compute this figure again."""
    return {
        "figure": figure,
        "user_id": user.pk,
        "since": since.isoformat() if since else None,
        "today": today.isoformat(),
    }


# --- themes -------------------------------------------------------------------------------


def _compute_themes(user: Any, since: date | None, today: date) -> dict[str, Any]:
    pms = postmortem_records(user=user, since=since, until=today, drafts="shared")
    found = find_themes(pms)
    themes = []
    for t in found[:40]:
        data = t.as_dict()
        data["members"] = [
            {**m, "pk": postmortem_pk(str(m["postmortem"]))}
            for m in data["members"][:30]  # type: ignore[index]
        ]
        themes.append(data)
    quarters = sorted({q for t in found[:6] for q in t.by_quarter})
    chart_top = bar_chart(
        "Recurring themes: incidents per theme", {t.label: float(t.count) for t in found[:10]}
    )
    chart_quarters = stacked_bar_chart(
        "The five most frequent themes, incidents per quarter",
        quarters,
        {t.label: [float(t.by_quarter.get(q, 0)) for q in quarters] for t in found[:5]},
    )
    return {
        "postmortems": len(pms),
        "factors": sum(len(p.factors) for p in pms),
        "themes": themes,
        "charts": {"top": chart_top, "quarters": chart_quarters} if found else {},
    }


def insight_themes(*, user: Any, period: str = DEFAULT_PERIOD) -> dict[str, Any]:
    """Recurring themes among the contributing factors of the period, most frequent first."""
    period, since, today = period_bounds(period)
    family = f"themes:{visibility_scope(user=user)}:{period}:"
    # A large organisation's first view of a period does not wait minutes for the clustering.
    pending = {"postmortems": 0, "factors": 0, "themes": [], "charts": {}}
    return services.cached_json(
        family + today.isoformat(),
        lambda: _compute_themes(user, since, today),
        family=family,
        pending=pending,
        refresh=_refresh_args("themes", user, since, today),
    )


# The worker's task computes a figure again through these (insights/tasks.py).
figures_compute = _compute_figures
themes_compute = _compute_themes


# --- similar incidents ---------------------------------------------------------------------


def similar_for_postmortem(
    *, user: Any, postmortem: Postmortem, source: str | None = None, top: int = 5
) -> list[SimilarPostmortem]:
    """The earlier postmortems most like this one (or its unsaved text) that the user may see."""
    return similar_for_text(
        user=user, source=source or postmortem.source, pk=postmortem.pk, top=top
    )


def similar_for_text(
    *, user: Any, source: str, pk: int | None = None, top: int = 5, min_score: float | None = None
) -> list[SimilarPostmortem]:
    """The earlier postmortems most like a text (a stored one's when `pk` is given) the user
    may see, scoring at least `min_score` when given.

    Matches the user may not see are dropped (the index is asked again for more, up to ten
    times `top`), and the rest are read fresh from the database so action statuses are current.
    """
    index = services.similarity_index_get()
    if index is None or not len(index):
        return []
    draft = record_from_source(source, key="", pk=pk)
    # Each match found is explained (its shared terms), which costs more than the scoring at
    # 100,000 postmortems: ask for `top` first and for more only when some were hidden.
    asked = top
    while True:
        if min_score is None:
            matches = index.query(draft, top=asked)
        else:
            matches = index.query(draft, top=asked, min_score=min_score)
        pks = [n for m in matches if (n := postmortem_pk(m.record.key)) is not None]
        visible = set(
            postmortem_list_visible(user=user).filter(pk__in=pks).values_list("pk", flat=True)
        )
        chosen = [m for m in matches if postmortem_pk(m.record.key) in visible][:top]
        if len(chosen) >= top or len(matches) < asked or asked >= max(top * 10, 50):
            break
        asked *= 2
    fresh = {r.key: r for r in postmortem_records(pks=[postmortem_pk(m.record.key) or 0
                                                       for m in chosen])}  # fmt: skip
    return [replace(m, record=fresh[m.record.key]) for m in chosen if m.record.key in fresh]


# --- the learning report -------------------------------------------------------------------


_FIRST_MONTH_END = date.min + timedelta(days=31)


def learning_report(
    *, user: Any, since: date | None = None, title: str | None = None
) -> LearningReport:
    """The quarterly learning report over what the user may see, from `since` to today."""
    today = timezone.localdate()
    # Rows are picked by creation day; the core keeps incidents by the day they happened.
    # (A `since` in the first month of the year 1 loads from that day: nothing is older.)
    load_from = since - timedelta(days=31) if since and since > _FIRST_MONTH_END else since
    pms = postmortem_records(user=user, since=load_from, until=today)
    incs = incident_records(user=user, since=load_from, until=today)
    return build_report(pms, incs, since=since, today=today, title=title)


# --- pulse ---------------------------------------------------------------------------------


def pulse_answered(*, postmortem: Postmortem, user: Any) -> bool:
    """Tell whether this person has answered this review's pulse."""
    return PulseParticipation.objects.filter(postmortem=postmortem, user=user).exists()


def _summary(counts: dict[str, dict[int, int]]) -> list[dict[str, Any]]:
    out = []
    for s in STATEMENTS:
        dist = counts.get(s.key, {})
        total = sum(dist.values())
        mean = sum(score * n for score, n in dist.items()) / total if total else None
        out.append({
            "key": s.key, "text": s.text, "answers": total,
            "mean": round(mean, 2) if mean is not None else None,
            "distribution": [dist.get(score, 0) for score in range(1, 6)],
        })  # fmt: skip
    return out


def pulse_results(*, postmortem: Postmortem) -> dict[str, Any]:
    """A review's pulse in aggregate: shown only once at least `MIN_ANSWERS` people answered."""
    answered = PulseParticipation.objects.filter(postmortem=postmortem).count()
    if answered < MIN_ANSWERS:
        return {"answered": answered, "shown": False, "needed": MIN_ANSWERS}
    counts: dict[str, dict[int, int]] = defaultdict(dict)
    for statement, score, n in PulseTally.objects.filter(postmortem=postmortem).values_list(
        "statement", "score", "count"
    ):
        counts[statement][score] = n
    box = PulseComments.objects.filter(postmortem=postmortem).first()
    return {
        "answered": answered,
        "shown": True,
        "needed": MIN_ANSWERS,
        "statements": _summary(counts),
        "comments": sorted(box.comments, key=str.casefold) if box else [],
    }


def pulse_trend(*, user: Any) -> dict[str, Any]:
    """Mean score per statement, per team and quarter, where at least `MIN_ANSWERS` answered."""
    visible = postmortem_list_visible(user=user)
    quarter_of_pm: dict[int, tuple[str, str]] = {}
    people: dict[tuple[str, str], int] = defaultdict(int)
    for pk, team, created, n in (
        visible.filter(pulse_participations__isnull=False)
        .annotate(n=Count("pulse_participations"))
        .values_list("pk", "digest__team", "incident__created_at", "n")
    ):
        bucket = (team or "unknown", quarter_of(timezone.localdate(created)))
        quarter_of_pm[pk] = bucket
        people[bucket] += n
    sums: dict[tuple[str, str], dict[str, list[int]]] = defaultdict(dict)
    for pk, statement, score, n in PulseTally.objects.filter(
        postmortem_id__in=list(quarter_of_pm)
    ).values_list("postmortem_id", "statement", "score", "count"):
        acc = sums[quarter_of_pm[pk]].setdefault(statement, [0, 0])
        acc[0] += score * n
        acc[1] += n
    teams: dict[str, dict[str, dict[str, float | None]]] = defaultdict(dict)
    for bucket, answered in sorted(people.items()):
        if answered < MIN_ANSWERS:
            continue
        team, quarter = bucket
        means: dict[str, float | None] = {}
        for s in STATEMENTS:
            total, count = sums[bucket].get(s.key, [0, 0])
            means[s.key] = round(total / count, 2) if count else None
        teams[team][quarter] = means
    quarters = sorted({q for per in teams.values() for q in per})
    charts = {
        team: line_chart(
            f"Pulse of {team}'s reviews, mean score per quarter (1–5)",
            sorted(per),
            {s.text.rstrip("."): [per[q][s.key] for q in sorted(per)] for s in STATEMENTS},
        )
        for team, per in sorted(teams.items())
    }
    return {"teams": dict(teams), "quarters": quarters, "charts": charts}


def pulse_reviews(*, user: Any, limit: int = 30) -> list[dict[str, Any]]:
    """Recent reviews the person may see whose pulse is open, with whether they answered."""
    reviews = list(
        postmortem_list_visible(user=user)
        .filter(status__in=("in_review", "published"))
        .annotate(answered=Count("pulse_participations"))
        .order_by("-updated_at")[:limit]
    )
    mine = set(
        PulseParticipation.objects.filter(
            user=user, postmortem_id__in=[r.pk for r in reviews]
        ).values_list("postmortem_id", flat=True)
    )
    return [{"postmortem": r, "answered": r.answered, "mine": r.pk in mine} for r in reviews]


__all__ = [
    "DEFAULT_PERIOD",
    "PERIODS",
    "insight_figures",
    "insight_themes",
    "learning_report",
    "period_bounds",
    "postmortem_key",
    "pulse_answered",
    "pulse_results",
    "pulse_reviews",
    "pulse_trend",
    "similar_for_postmortem",
    "similar_for_text",
    "visibility_scope",
]
