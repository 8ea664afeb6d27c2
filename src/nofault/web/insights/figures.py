"""The insights page's metrics: the core's definitions over records read with the ORM.

Every figure is `nofault.core.insights.metrics` (`compute_metrics` overall, `metrics_by` per
severity, service, team and month) over the records `records` reads with `values_list`:
one definition of each metric, whatever the door (CLI over Markdown, API, page). Reading
100,000 incidents and walking them takes seconds, so the figures are computed once per
visibility scope, period and data version and served from `InsightCache` (see
`selectors.insight_figures` and `services.cached_json`); a large organisation's stale
figures are computed again by the worker, never on a thread in the web process.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from nofault.core.insights.metrics import UNKNOWN, Metrics, compute_metrics, metrics_by
from nofault.web.insights.records import incident_records, postmortem_records

__all__ = ["FIGURE_DIMENSIONS", "PageFigures", "page_figures"]

# The groups the page shows; "overall" has one group, named "".
FIGURE_DIMENSIONS = ("overall", "severity", "service", "team", "month")


@dataclass(frozen=True)
class PageFigures:
    """The metrics per dimension, and incidents per severity and month for the stacked chart."""

    groups: dict[str, dict[str, Metrics]]
    incidents_by_severity_month: dict[str, dict[str, int]]


def page_figures(
    *,
    user: Any,
    since: date | None,
    until: date | None,
    today: date,
    team: str = "",
    drafts: str = "reader",
) -> PageFigures:
    """Everything the insights page shows over the incidents the user may see in the period.

    Incidents created from `since` to `until` (of `team` only, when given), with their
    postmortems and action items; each dimension's groups come in sorted order, as
    `metrics_by` gives them.
    """
    if not getattr(user, "is_authenticated", False):
        return PageFigures({dim: {} for dim in FIGURE_DIMENSIONS}, {})
    pms = postmortem_records(
        user=user, since=since, until=until, text=False, team=team, drafts=drafts
    )
    incs = incident_records(user=user, since=since, until=until, team=team)
    groups = {"overall": {"": compute_metrics(pms, incs, today=today)} if incs else {}}
    for dim in FIGURE_DIMENSIONS[1:]:
        groups[dim] = metrics_by(dim, pms, incs, today=today)
    # The stacked chart: each severity's incidents per month, counted as `metrics_by` counts.
    stacked = {}
    for severity in groups["severity"]:
        mine = {inc.id for inc in incs if (inc.severity or UNKNOWN) == severity}
        per_month = metrics_by(
            "month",
            [pm for pm in pms if pm.incidents[0] in mine],
            [inc for inc in incs if inc.id in mine],
            today=today,
        )
        stacked[severity] = {month: m.incidents for month, m in per_month.items()}
    return PageFigures(groups, stacked)
