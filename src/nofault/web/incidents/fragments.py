"""The incident list's rows as HTML, built in Python: 50 rows through the template engine cost
more than the rest of the request. The markup is what `_rows.html` showed row by row; every
value is escaped with `esc`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.utils.safestring import SafeString, mark_safe

from nofault.web.choices import IncidentStatusChoices, PostmortemStatusChoices, Severity
from nofault.web.incidents.keys import incident_key_problem
from nofault.web.incidents.models import incident_is_overdue
from nofault.web.rendering import badge, esc, text, url_maker

_RESTRICTED = ' <span class="tag c-red">restricted</span>'
_NO_POSTMORTEM = '<span class="muted">none</span>'


def incident_rows(incidents: Iterable[Mapping[str, Any]], today: date) -> SafeString:
    """One <tr> per incident (a row of `selectors.ROW_FIELDS`): key, title, severity, status,
    services, postmortem, due date."""
    return mark_safe("\n".join(_row(incident, today) for incident in incidents))


def _row(incident: Mapping[str, Any], today: date) -> str:
    if incident_key_problem(incident["key"]):  # a row stored before keys were checked
        incident_url = url_maker("incidents:detail_by_id")(incident["id"])
    else:
        incident_url = url_maker("incidents:detail", "INC-0")(incident["key"])
    postmortem_url = url_maker("postmortems:detail")
    pm_id, pm_status = incident["postmortem__id"], incident["postmortem__status"]
    postmortem = (
        f'<a href="{esc(postmortem_url(pm_id))}">{badge(PostmortemStatusChoices, pm_status)}</a>'
        if pm_id is not None
        else _NO_POSTMORTEM
    )
    due = incident["postmortem_due"]
    overdue = incident_is_overdue(due, pm_status if pm_id is not None else None, today)
    services = ", ".join(esc(s) for s in incident["services"] or [])
    return (
        f'    <tr class="{"overdue" if overdue else ""}">\n'
        f'      <td><a href="{esc(incident_url)}">{esc(incident["key"])}</a>'
        f"{_RESTRICTED if incident['restricted'] else ''}</td>\n"
        f"      <td>{esc(incident['title'])}</td>\n"
        f"      <td>{badge(Severity, incident['severity'])}</td>\n"
        f"      <td>{badge(IncidentStatusChoices, incident['status'])}</td>\n"
        f"      <td>{services}</td>\n"
        f"      <td>{postmortem}</td>\n"
        f'      <td class="due">{esc(text(due))}</td>\n'
        "    </tr>"
    )
