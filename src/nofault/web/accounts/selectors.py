"""Account queries."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import QuerySet

from nofault.web.accounts.models import Team, TokenExpiry, User
from nofault.web.choices import Role


def user_list_reviewers() -> QuerySet[User]:
    """People who may review a postmortem: authors and up."""
    return User.objects.filter(
        is_active=True, role__in=[Role.AUTHOR, Role.FACILITATOR, Role.ADMIN]
    ).order_by("username")


def service_team_map() -> dict[str, str]:
    """The service → team map: which team owns each service (services in lower case)."""
    from nofault.web.reviews.models import ServiceTeam

    return dict(ServiceTeam.objects.order_by("service").values_list("service", "team"))


def team_list_with_services() -> list[tuple[Team, list[str]]]:
    """Every team, its members fetched, with the services it owns."""
    owned: dict[str, list[str]] = {}
    for service, team in service_team_map().items():
        owned.setdefault(team, []).append(service)
    teams = Team.objects.prefetch_related("members").order_by("name")
    return [(team, owned.get(team.name, [])) for team in teams]


def team_names() -> list[str]:
    """The teams' names for a team filter: every team, and any the service map names."""
    names = set(Team.objects.values_list("name", flat=True)) | set(service_team_map().values())
    return sorted(names, key=str.casefold)


def token_expiry(*, user: Any) -> datetime | None:
    """When the person's API token stops working, or None when it has no expiry (or no token)."""
    return TokenExpiry.objects.filter(token__user=user).values_list("expires_at", flat=True).first()
