"""Postmortem queries, always limited to incidents the person may see."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from nofault.web.incidents.selectors import visible_incident_filter
from nofault.web.postmortems.models import Postmortem


def postmortem_list_visible(
    *, user: Any, filters: dict[str, str] | None = None
) -> QuerySet[Postmortem]:
    """Postmortems of incidents the user may see."""
    qs = Postmortem.objects.filter(visible_incident_filter(user, "incident__")).select_related(
        "incident"
    )
    f = {k: str(v).replace("\x00", "") for k, v in (filters or {}).items()}
    if f.get("status"):
        qs = qs.filter(status=f["status"])
    if f.get("severity"):
        qs = qs.filter(incident__severity=f["severity"])
    return qs


def postmortem_get_visible(*, user: Any, pk: int) -> Postmortem:
    """One visible postmortem, or 404 (never a 403 that would tell it exists)."""
    pm = postmortem_list_visible(user=user).filter(pk=pk).first()
    if pm is None:
        raise Http404("no such postmortem")
    return pm
