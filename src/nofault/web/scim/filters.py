"""SCIM filters (`userName eq "…"`, `displayName eq "…"`) read by django-scim2's parser."""

from __future__ import annotations

from django_scim.filters import GroupFilterQuery, UserFilterQuery

from nofault.web.accounts.models import Team


class UserFilter(UserFilterQuery):
    """The User attributes a filter may name; userName compares case-insensitively."""

    attr_map = {
        **UserFilterQuery.attr_map,
        ("emails", None, None): "email",
        ("emails", "value", None): "email",
    }


class TeamFilter(GroupFilterQuery):
    """The Group attributes a filter may name: displayName is the team's name."""

    model_getter = staticmethod(lambda: Team)
    attr_map = {("displayName", None, None): "name"}
