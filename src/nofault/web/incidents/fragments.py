"""The incident list's rows as HTML, built in Python: 50 rows through the template engine cost
more than the rest of the request. The markup is what `_rows.html` showed row by row."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from nofault.web.choices import IncidentStatusChoices, PostmortemStatusChoices, Severity
from nofault.web.incidents.models import Incident
from nofault.web.rendering import badge, text, url_maker

_RESTRICTED = mark_safe(' <span class="tag c-red">restricted</span>')
_NO_POSTMORTEM = mark_safe('<span class="muted">none</span>')


def incident_rows(incidents: Iterable[Incident], today: date) -> SafeString:
    """One <tr> per incident: key, title, severity, status, services, postmortem, due date."""
    incident_url = url_maker("incidents:detail", "INC-0")
    postmortem_url = url_maker("postmortems:detail")
    rows = []
    for incident in incidents:
        pm = getattr(incident, "postmortem", None)
        postmortem = (
            format_html(
                '<a href="{}">{}</a>',
                postmortem_url(pm.pk),
                badge(PostmortemStatusChoices, pm.status),
            )
            if pm is not None
            else _NO_POSTMORTEM
        )
        rows.append(
            (
                "overdue" if incident.is_overdue(today) else "",
                incident_url(incident.key),
                incident.key,
                _RESTRICTED if incident.restricted else "",
                incident.title,
                badge(Severity, incident.severity),
                badge(IncidentStatusChoices, incident.status),
                mark_safe(", ".join(conditional_escape(s) for s in incident.services or [])),
                postmortem,
                text(incident.postmortem_due),
            )
        )
    return format_html_join(
        "\n",
        '    <tr class="{}">\n'
        '      <td><a href="{}">{}</a>{}</td>\n'
        "      <td>{}</td>\n"
        "      <td>{}</td>\n"
        "      <td>{}</td>\n"
        "      <td>{}</td>\n"
        "      <td>{}</td>\n"
        '      <td class="due">{}</td>\n'
        "    </tr>",
        rows,
    )
