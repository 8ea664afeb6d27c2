"""The quarterly learning report: what keeps coming back, how the practice is doing, what slipped.

Built once from records (`build_report`) and rendered to Markdown, a standalone printable
HTML page with SVG charts, or PDF (the HTML page through `nofault.core.pdf`). Written for a
leadership team: plain sentences first, then the figures, then the lists that need a decision.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from html import escape
from typing import TYPE_CHECKING

from nofault.core.insights.charts import bar_chart, line_chart, stacked_bar_chart
from nofault.core.insights.metrics import (
    Metrics,
    MissingReview,
    SlippedAction,
    compute_metrics,
    metrics_by,
    missing_reviews,
    slipped_actions,
)
from nofault.core.insights.records import IncidentRecord, PostmortemRecord
from nofault.core.pdf import html_to_pdf

if TYPE_CHECKING:
    from nofault.core.insights.themes import Theme

__all__ = ["LearningReport", "build_report", "to_html", "to_markdown", "to_pdf"]

MAX_LISTED = 25


@dataclass(frozen=True)
class LearningReport:
    """Everything the report says, computed once and rendered in any format."""

    title: str
    since: date | None
    until: date
    overall: Metrics
    by_severity: dict[str, Metrics]
    by_team: dict[str, Metrics]
    by_service: dict[str, Metrics]
    by_month: dict[str, Metrics]
    severities_by_month: dict[str, dict[str, int]]
    themes: list[Theme]
    slipped: list[SlippedAction]
    missing: list[MissingReview]
    charts: dict[str, str] = field(default_factory=dict)
    # How many postmortems had each field read from their text (see Postmortem.inferred).
    inferred: dict[str, int] = field(default_factory=dict)


def _in_period(day: date | None, since: date | None, until: date) -> bool:
    if since is None:
        return day is None or day <= until
    return day is not None and since <= day <= until


def build_report(
    postmortems: Sequence[PostmortemRecord],
    incidents: Sequence[IncidentRecord] | None = None,
    *,
    since: date | None = None,
    today: date | None = None,
    title: str | None = None,
) -> LearningReport:
    """Compute the report over incidents that happened from `since` (all, without it) to today."""
    until = today or date.today()
    pms = [pm for pm in postmortems if _in_period(pm.occurred, since, until)]
    incs = (
        None if incidents is None
        else [i for i in incidents if _in_period(i.occurred, since, until)]
    )  # fmt: skip
    by_month = metrics_by("month", pms, incs, today=until)
    severities: dict[str, dict[str, int]] = {}
    for severity, _m in metrics_by("severity", pms, incs, today=until).items():
        only = [pm for pm in pms if (pm.severity or "unknown") == severity]
        for month, m in metrics_by("month", only, None, today=until).items():
            severities.setdefault(month, {})[severity] = m.incidents
    # Themes cluster with scikit-learn: imported when a report is built, not when the web app's
    # URLs load (that import costs seconds of a worker's first request).
    from nofault.core.insights.themes import find_themes

    report = LearningReport(
        title=title or _title(since, until),
        since=since,
        until=until,
        overall=compute_metrics(pms, incs, today=until),
        by_severity=metrics_by("severity", pms, incs, today=until),
        by_team=metrics_by("team", pms, incs, today=until),
        by_service=metrics_by("service", pms, incs, today=until),
        by_month=by_month,
        severities_by_month=dict(sorted(severities.items())),
        themes=find_themes(pms),
        slipped=slipped_actions(pms, today=until),
        missing=missing_reviews(pms, incs, today=until),
        inferred=dict(Counter(name for pm in pms for name in pm.inferred)),
    )
    report.charts.update(_charts(report))
    return report


def _title(since: date | None, until: date) -> str:
    if since is None:
        return f"Learning from incidents, to {until.isoformat()}"
    quarter = f"{since.year}-Q{(since.month - 1) // 3 + 1}"
    return f"Learning from incidents, {quarter} ({since.isoformat()} to {until.isoformat()})"


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.0f}%"


def _num(value: float | int | None, unit: str = "") -> str:
    if value is None:
        return "–"
    text = f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"
    return f"{text}{unit}"


def _charts(r: LearningReport) -> dict[str, str]:
    months = list(r.severities_by_month)
    severities = sorted({s for m in r.severities_by_month.values() for s in m})
    charts = {
        "incidents": stacked_bar_chart(
            "Incidents per month, by severity", months,
            {s: [float(r.severities_by_month[m].get(s, 0)) for m in months] for s in severities},
        ),
        "response": line_chart(
            "Median minutes to detect and to resolve, per month", list(r.by_month),
            {"detect": [m.median_minutes_to_detect for m in r.by_month.values()],
             "resolve": [m.median_minutes_to_resolve for m in r.by_month.values()]},
            unit=" min",
        ),
        "on_time": bar_chart(
            "Action items done on time, by team",
            {t: (None if m.on_time_rate is None else round(m.on_time_rate * 100))
             for t, m in r.by_team.items()},
            unit="%",
        ),
        "themes": bar_chart(
            "Recurring themes: incidents per theme",
            {t.label: float(t.count) for t in r.themes[:10]},
        ),
    }  # fmt: skip
    return charts


def _headline(r: LearningReport) -> list[str]:
    m = r.overall
    lines = [
        f"{m.incidents} incidents; {m.reviews_done} of {m.reviews_owed} owed reviews published "
        f"or waived ({_pct(m.review_coverage)}).",
        f"Action items: {m.actions_on_time} of {m.actions_due} due were done on time "
        f"({_pct(m.on_time_rate)}); {m.overdue} are open past their due date.",
        f"Median time to detect {_num(m.median_minutes_to_detect, ' min')}, to resolve "
        f"{_num(m.median_minutes_to_resolve, ' min')}; {_pct(m.recurrence_rate)} of incidents "
        "repeated an earlier one.",
    ]
    if r.themes:
        top = r.themes[0]
        lines.append(
            f"The most frequent theme, “{top.label}”, appears in {top.count} incidents "
            f"(for example: {top.example})"
        )
    if r.inferred:
        read = ", ".join(
            f"{_INFERRED_NAMES.get(name, name)} of {count}" for name, count in r.inferred.items()
        )
        lines.append(f"Read from the postmortems' text, not their metadata (marked *): {read}.")
    return lines


_INFERRED_NAMES = {
    "created": "the date", "severity": "the severity", "services": "the services",
    "authors": "the authors", "title": "the title", "status": "the status",
}  # fmt: skip


def _marked(value: str, name: str, inferred: tuple[str, ...]) -> str:
    """Return a value with a * when it was read from the text rather than stated."""
    return f"{value} *" if name in inferred and value not in ("", "–") else value


_COLUMNS = (
    ("Incidents", lambda m: _num(m.incidents)),
    ("Coverage", lambda m: _pct(m.review_coverage)),
    ("Days to publish", lambda m: _num(m.median_days_to_publish)),
    ("On time", lambda m: _pct(m.on_time_rate)),
    ("Overdue", lambda m: _num(m.overdue)),
    ("Days to close", lambda m: _num(m.median_days_to_close)),
    ("Recurrence", lambda m: _pct(m.recurrence_rate)),
    ("TTD min", lambda m: _num(m.median_minutes_to_detect)),
    ("TTM min", lambda m: _num(m.median_minutes_to_mitigate)),
    ("TTR min", lambda m: _num(m.median_minutes_to_resolve)),
    ("Depth", lambda m: _num(m.mean_depth_score)),
    ("Blame/PM", lambda m: _num(m.blame_per_postmortem_published)),
)


def _metric_rows(groups: dict[str, Metrics]) -> tuple[list[str], list[list[str]]]:
    header = ["", *(name for name, _ in _COLUMNS)]
    rows = [[key, *(f(m) for _, f in _COLUMNS)] for key, m in groups.items()]
    return header, rows


def _tables(r: LearningReport) -> list[tuple[str, list[str], list[list[str]]]]:
    tables = []
    for name, groups in (("By severity", r.by_severity), ("By team", r.by_team),
                         ("By service", r.by_service), ("By month", r.by_month)):  # fmt: skip
        header, rows = _metric_rows(groups)
        tables.append((name, header, rows))
    return tables


def _theme_rows(r: LearningReport) -> list[list[str]]:
    return [
        [t.label, str(t.count),
         ", ".join(f"{q}: {n}" for q, n in t.by_quarter.items()),
         ", ".join(f"{s}: {n}" for s, n in list(t.by_service.items())[:4]),
         ", ".join(f"{c}: {n}" for c, n in t.by_category.items()),
         t.example]
        for t in r.themes[:15]
    ]  # fmt: skip


_THEME_HEADER = ["Theme", "Incidents", "By quarter", "By service", "By category", "Example"]
_SLIPPED_HEADER = ["Incident", "Action", "Owner", "Due", "Status", "Days late"]
_MISSING_HEADER = ["Incident", "Title", "Severity", "Resolved", "Days waiting", "Postmortem"]


def _slipped_rows(r: LearningReport) -> list[list[str]]:
    return [
        [s.postmortem.label, s.action.text, s.action.owner or "–",
         s.action.due.isoformat() if s.action.due else "–", s.action.status, str(s.days_late)]
        for s in r.slipped[:MAX_LISTED]
    ]  # fmt: skip


def _missing_rows(r: LearningReport) -> list[list[str]]:
    return [
        [m.incident, _marked(m.title, "title", m.inferred),
         _marked(m.severity or "–", "severity", m.inferred),
         m.resolved.isoformat() if m.resolved else "–",
         _num(m.days_since_resolution), m.postmortem_status or "none"]
        for m in r.missing[:MAX_LISTED]
    ]  # fmt: skip


# --- Markdown ------------------------------------------------------------------------------


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _md_table(header: list[str], rows: list[list[str]]) -> str:
    if not rows:
        return "_None._"
    lines = ["| " + " | ".join(_md_cell(h) for h in header) + " |",
             "|" + " --- |" * len(header)]  # fmt: skip
    lines.extend("| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows)
    return "\n".join(lines)


def to_markdown(r: LearningReport) -> str:
    """Render the report as Markdown (tables; the charts are in the HTML and PDF)."""
    out = [f"# {r.title}", "", "## In short", ""]
    out.extend(f"- {line}" for line in _headline(r))
    out += ["", "## Recurring themes", "",
            "Contributing factors from different incidents grouped by what they describe.", "",
            _md_table(_THEME_HEADER, _theme_rows(r)), "", "## Metrics", ""]  # fmt: skip
    for name, header, rows in _tables(r):
        out += [f"### {name}", "", _md_table(header, rows), ""]
    more = len(r.slipped) - MAX_LISTED
    out += ["## Action items that slipped", "", _md_table(_SLIPPED_HEADER, _slipped_rows(r))]
    if more > 0:
        out.append(f"\n…and {more} more.")
    more = len(r.missing) - MAX_LISTED
    out += ["", "## Reviews that are missing", "", _md_table(_MISSING_HEADER, _missing_rows(r))]
    if more > 0:
        out.append(f"\n…and {more} more.")
    out += ["", _DEFINITIONS_MD]
    return "\n".join(out).rstrip() + "\n"


_DEFINITIONS = (
    "Coverage: reviews published or waived over incidents owing one. Days to publish: from "
    "resolution to publication, median. On time: actions done by their due date over those "
    "due. Recurrence: incidents linked to an earlier one. TTD, TTM, TTR: median minutes from "
    "the start of impact to detection, mitigation and resolution. Depth: mean depth score "
    "(0–100). Blame/PM: blame findings per published postmortem."
)
_DEFINITIONS_MD = f"## How to read the figures\n\n{_DEFINITIONS}"


# --- HTML ----------------------------------------------------------------------------------

CSS = """
:root { --ink: #1d2330; --muted: #5b6475; --line: #d9dee7; --accent: #2357a6; --soft: #f3f6fb; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); font-family: "DejaVu Sans", "Inter", system-ui, sans-serif;
       line-height: 1.45; font-size: 14px; }
main { max-width: 64rem; margin: 0 auto; padding: 2rem 2rem 3rem; }
h1 { font-size: 1.9rem; margin: 0 0 .3rem; border-bottom: 3px solid var(--accent);
     padding-bottom: .6rem; }
h2 { font-size: 1.35rem; margin: 2rem 0 .6rem; border-bottom: 1px solid var(--line); }
h3 { font-size: 1.05rem; margin: 1.2rem 0 .4rem; }
p.meta { color: var(--muted); margin: .2rem 0 1rem; }
ul.headline li { margin: .25rem 0; }
figure { margin: .8rem 0; break-inside: avoid; }
figure svg { max-width: 100%; height: auto; }
table { border-collapse: collapse; width: 100%; font-size: .82rem; margin: .4rem 0 1rem; }
th, td { border: 1px solid var(--line); padding: .25rem .4rem; text-align: left;
         vertical-align: top; }
th { background: var(--soft); }
td.num { text-align: right; }
p.note { color: var(--muted); font-size: .85rem; }
@media print { main { padding: 0; } h2 { break-after: avoid; } tr { break-inside: avoid; } }
@page { size: A4; margin: 16mm 14mm;
  @bottom-center { content: "Page " counter(page) " of " counter(pages); font-size: 8pt;
                   color: #5b6475; } }
"""


def _html_table(header: list[str], rows: list[list[str]]) -> str:
    if not rows:
        return "<p><em>None.</em></p>"
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in header)
    body = "".join(
        "<tr>" + "".join(
            f'<td class="num">{escape(c)}</td>' if i and _numeric(c) else f"<td>{escape(c)}</td>"
            for i, c in enumerate(row)
        ) + "</tr>"
        for row in rows
    )  # fmt: skip
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _numeric(text: str) -> bool:
    return bool(text) and text.replace(".", "").replace("%", "").replace("–", "").isdigit()


def to_html(r: LearningReport) -> str:
    """Render the report as a standalone, printable HTML page with inline SVG charts."""
    period = (f"{r.since.isoformat()} to {r.until.isoformat()}" if r.since
              else f"all incidents to {r.until.isoformat()}")  # fmt: skip
    parts = [
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">',
        f"<title>{escape(r.title)}</title><style>{CSS}</style></head><body><main>",
        f'<h1>{escape(r.title)}</h1><p class="meta">Period: {escape(period)}. '
        "Written by nofault from the organisation's postmortems.</p>",
        '<h2>In short</h2><ul class="headline">',
        *(f"<li>{escape(line)}</li>" for line in _headline(r)),
        "</ul>",
        f"<figure>{r.charts['incidents']}</figure>",
        "<h2>Recurring themes</h2><p>Contributing factors from different incidents grouped by "
        "what they describe.</p>",
        f"<figure>{r.charts['themes']}</figure>" if r.themes else "",
        _html_table(_THEME_HEADER, _theme_rows(r)),
        "<h2>Metrics</h2>",
        f"<figure>{r.charts['response']}</figure>",
        f"<figure>{r.charts['on_time']}</figure>",
    ]
    for name, header, rows in _tables(r):
        parts += [f"<h3>{escape(name)}</h3>", _html_table(header, rows)]
    parts += ["<h2>Action items that slipped</h2>", _html_table(_SLIPPED_HEADER, _slipped_rows(r))]
    if len(r.slipped) > MAX_LISTED:
        parts.append(f'<p class="note">…and {len(r.slipped) - MAX_LISTED} more.</p>')
    parts += ["<h2>Reviews that are missing</h2>", _html_table(_MISSING_HEADER, _missing_rows(r))]
    if len(r.missing) > MAX_LISTED:
        parts.append(f'<p class="note">…and {len(r.missing) - MAX_LISTED} more.</p>')
    parts += [f'<h2>How to read the figures</h2><p class="note">{escape(_DEFINITIONS)}</p>',
              "</main></body></html>"]  # fmt: skip
    return "".join(parts)


def to_pdf(r: LearningReport) -> bytes:
    """Render the report as PDF (the HTML page through WeasyPrint)."""
    return html_to_pdf(to_html(r))
