"""Account queries."""

from __future__ import annotations

from django.db.models import QuerySet

from nofault.web.accounts.models import User
from nofault.web.choices import Role


def user_list_reviewers() -> QuerySet[User]:
    """People who may review a postmortem: authors and up."""
    return User.objects.filter(
        is_active=True, role__in=[Role.AUTHOR, Role.FACILITATOR, Role.ADMIN]
    ).order_by("username")
