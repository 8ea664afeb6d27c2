"""Template context every page gets: the organisation's name, the choice sets and the
counts of what waits for the signed-in person (read only when a page shows them)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from nofault.web import choices
from nofault.web.inbox.selectors import inbox_counts


def nofault(request: HttpRequest) -> dict[str, Any]:
    """Add the organisation, the choice sets and the inbox's counts to every template."""
    return {
        "organisation": settings.NOFAULT_ORGANISATION,
        "Severity": choices.Severity,
        "ActionStatusChoices": choices.ActionStatusChoices,
        "PostmortemStatusChoices": choices.PostmortemStatusChoices,
        "inbox": SimpleLazyObject(lambda: inbox_counts(user=request.user)),
    }
