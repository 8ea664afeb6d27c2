"""Template context every page gets: the organisation's name and the choice sets."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from nofault.web import choices


def nofault(request: HttpRequest) -> dict[str, Any]:
    """Add the organisation and the choice sets to every template."""
    return {
        "organisation": settings.NOFAULT_ORGANISATION,
        "Severity": choices.Severity,
        "ActionStatusChoices": choices.ActionStatusChoices,
        "PostmortemStatusChoices": choices.PostmortemStatusChoices,
    }
