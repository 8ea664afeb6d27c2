"""The coverage ledger's rows as HTML, built in Python, as the incident list's and the action
board's are: 50 rows through the template engine cost 15 ms of the ledger's CPU a request at
10,000 incidents (benchmarks/web_bench/profile_pages.py /reviews/), more than the rest of the
page. The markup is what the template showed row by row; every value is escaped with `esc`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.safestring import SafeString, mark_safe

from nofault.core.policy import ReviewPolicy
from nofault.web.choices import ReviewLevelChoices, Severity
from nofault.web.incidents.keys import incident_key_problem
from nofault.web.rendering import badge, esc, text, url_maker
from nofault.web.reviews.templatetags.reviews_tags import coverage_badge


def ledger_rows(
    incidents: Iterable[Any],
    *,
    policy: ReviewPolicy,
    can_waive: bool,
    csrf_token: str,
    waiver_fields: SafeString,
) -> SafeString:
    """One <tr> per incident (`selectors.ledger_rows`): key and title, severity, review level,
    state (with the waiver's decider and reason), due date, and the waive or withdraw form
    for those who may decide waivers."""
    csrf = f'<input type="hidden" name="csrfmiddlewaretoken" value="{esc(csrf_token)}">'
    rows = [_row(i, policy, can_waive, csrf, waiver_fields) for i in incidents]
    return mark_safe("\n".join(rows))


def _row(incident: Any, policy: ReviewPolicy, can_waive: bool, csrf: str, fields: str) -> str:
    key, state = incident.key, incident.coverage
    routable = incident_key_problem(key) is None
    if routable:
        url = url_maker("incidents:detail", "INC-0")(key)
    else:  # a row stored before keys were checked
        url = url_maker("incidents:detail_by_id")(incident.pk)
    rule = policy.rule(incident.severity)
    waiver = ""
    if state == "waived":
        w = incident.review_waiver
        waiver = (
            f'<div class="muted waiver">waived by {esc(w.decided_by_name)} as {esc(w.role)}: '
            f"{esc(w.reason)}</div>"
        )
    form = ""
    if can_waive and routable and state != "published":
        if state == "waived":
            form = (
                f'\n<form method="post" action="{esc(url_maker("reviews:withdraw", "INC-0")(key))}"'
                f' class="inline">{csrf}<button class="secondary">Withdraw waiver</button></form>\n'
            )
        elif rule.waivable:
            form = (
                '<details><summary>Waive</summary><form method="post" '
                f'action="{esc(url_maker("reviews:waive", "INC-0")(key))}">{csrf}{fields} '
                '<button class="secondary">Waive review</button></form></details>'
            )
    return (
        f'<tr class="{"overdue" if state == "overdue" else ""}" data-key="{esc(key)}" '
        f'data-state="{esc(state)}">\n'
        f'<td><a href="{esc(url)}">{esc(key)}</a> {esc(incident.title)}</td>\n'
        f"<td>{badge(Severity, incident.severity)}</td>"
        f"<td>{esc(ReviewLevelChoices.label(rule.level))}</td>\n"
        f"<td>{coverage_badge(state)}{waiver}</td>\n"
        f'<td class="due">{esc(text(incident.postmortem_due))}</td>\n'
        f"<td>{form}</td></tr>"
    )
