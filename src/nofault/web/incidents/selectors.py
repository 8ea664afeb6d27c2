"""Incident queries; every one goes through `incident_list_visible` so access is one rule."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from nofault.web.incidents.models import Incident


def visible_incident_filter(user: Any, prefix: str = "") -> Q:
    """A Q that keeps only incidents the user may see (restricted: its members, its team's
    people, and admins)."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    if getattr(user, "is_org_admin", False):
        return Q()
    membership = Incident.members.through.objects.filter(
        incident_id=OuterRef(f"{prefix}pk" if not prefix else f"{prefix}id"), user_id=user.pk
    )
    visible = Q(**{f"{prefix}restricted": False}) | Q(Exists(membership))
    for service in team_services(user):  # an incident's team: its services' teams
        visible |= Q(**{f"{prefix}services_index__contains": f",{service},"})
    return visible


def team_filter(team: str, prefix: str = "") -> Q:
    """A Q that keeps incidents of a team: those naming a service the team is mapped to."""
    from nofault.web.reviews.models import ServiceTeam

    services = ServiceTeam.objects.filter(team=team.strip()).values_list("service", flat=True)
    kept = Q(pk__in=[])
    for service in sorted({s.lower() for s in services}):
        kept |= Q(**{f"{prefix}services_index__contains": f",{service},"})
    return kept


def team_services(user: Any) -> list[str]:
    """The services (lower-case) mapped to the teams the user belongs to."""
    from nofault.web.reviews.models import ServiceTeam

    names = list(user.teams.values_list("name", flat=True)) if user.pk else []
    if not names:
        return []
    return sorted(
        {
            s.lower()
            for s in ServiceTeam.objects.filter(team__in=names).values_list("service", flat=True)
        }
    )


def incident_list_visible(
    *, user: Any, filters: dict[str, str] | None = None
) -> QuerySet[Incident]:
    """Incidents the user may see, filtered by severity, status, service, postmortem, overdue."""
    qs = Incident.objects.filter(visible_incident_filter(user)).select_related("postmortem")
    f = {k: str(v).replace("\x00", "") for k, v in (filters or {}).items()}
    if f.get("severity"):
        qs = qs.filter(severity=f["severity"])
    if f.get("status"):
        qs = qs.filter(status=f["status"])
    if f.get("service"):
        qs = qs.filter(services_index__contains=f",{f['service'].strip().lower()},")
    if f.get("team"):
        qs = qs.filter(team_filter(f["team"]))
    if f.get("has_postmortem") in ("yes", "no"):
        qs = qs.filter(postmortem__isnull=f["has_postmortem"] == "no")
    if f.get("overdue") == "yes":
        qs = qs.filter(postmortem_due__lt=timezone.localdate()).exclude(
            postmortem__status="published"
        )
    if f.get("q"):
        qs = qs.filter(Q(title__icontains=f["q"]) | Q(key__icontains=f["q"]))
    return qs


# What a row of the incident list shows: only these columns are read.
ROW_FIELDS = (
    "id", "key", "title", "severity", "status", "services", "restricted", "postmortem_due",
    "postmortem__id", "postmortem__status",
)  # fmt: skip


def incident_rows_visible(
    *, user: Any, filters: dict[str, str] | None = None, offset: int, limit: int
) -> list[dict[str, Any]]:
    """A page of the incidents the user may see, filtered, newest first, as ROW_FIELDS rows."""
    qs = incident_list_visible(user=user, filters=filters).values(*ROW_FIELDS)
    return list(qs[offset : offset + limit])


def incident_count_visible(*, user: Any, filters: dict[str, str] | None = None, cap: int) -> int:
    """How many incidents the user may see, filtered, counting no further than `cap` + 1."""
    qs = incident_list_visible(user=user, filters=filters).order_by().values("id")
    return qs[: cap + 1].count()


def incident_get_visible_by_id(*, user: Any, pk: int) -> Incident:
    """The incident with this id if the user may see it; 404 otherwise (never 403)."""
    incident = incident_list_visible(user=user).filter(pk=pk).first()
    if incident is None:
        raise Http404("no such incident")
    return incident


def incident_get_visible(*, user: Any, key: str) -> Incident:
    """The incident with this key if the user may see it; 404 otherwise (never 403)."""
    incident = incident_list_visible(user=user).filter(key=key).first()
    if incident is None:
        raise Http404("no such incident")
    return incident
