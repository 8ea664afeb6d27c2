"""Factories for every web model, built through the services as the app builds them."""

from __future__ import annotations

import itertools
from typing import Any

from nofault.web.accounts import services as account_services
from nofault.web.accounts.models import User
from nofault.web.incidents import services as incident_services
from nofault.web.incidents.models import Incident
from nofault.web.postmortems import services as pm_services
from nofault.web.postmortems.models import Postmortem

_counter = itertools.count(1)
PASSWORD = "a-long-test-password"

SOURCE = """---
incidents:
  - {key}
severity: SEV2
status: draft
review_level: full
authors:
  - alex
---

# {title}

## Summary

For 40 minutes checkout requests failed after a configuration push.

## Timeline

| Time | Event | Kind | Source |
| --- | --- | --- | --- |
| 2026-01-05 14:02 UTC | Configuration pushed | trigger |  |
| 2026-01-05 14:10 UTC | Alert fired | detection |  |

## Contributing factors

- **F1** [process] Configuration changes skip the canary stage.

## Action items

| ID | Action | Type | Owner | Person | Due | Status | Factors | Tracker |
| --- | --- | --- | --- | --- | --- | --- | --- | --- |
| A1 | Send configuration through the canary | prevent | team-checkout | alex | 2020-01-01 | open | F1 |  |
| A2 | Alert on error growth | detect | team-checkout | sam | 2099-01-01 | in_progress | F1 |  |
"""


def make_user(role: str = "author", username: str | None = None) -> User:
    """A user with a role and the shared test password."""
    name = username or f"{role}{next(_counter)}"
    return account_services.user_create(username=name, password=PASSWORD, role=role)


def make_incident(actor: User, **fields: Any) -> Incident:
    """An incident created by `actor`."""
    fields.setdefault("title", f"Incident {next(_counter)}")
    return incident_services.incident_create(actor=actor, **fields)


def make_postmortem(
    actor: User, incident: Incident | None = None, source: str | None = None
) -> Postmortem:
    """A postmortem (with two action items) for a new or given incident."""
    incident = incident or make_incident(actor)
    text = source if source is not None else SOURCE.format(key=incident.key, title=incident.title)
    return pm_services.postmortem_create(incident=incident, actor=actor, source=text)


def make_sponsor(user: User) -> User:
    """Name `user` the sponsor in the review policy's settings (who may waive a review)."""
    from nofault.web.reviews.models import PolicySettings

    settings = PolicySettings.objects.order_by("pk").first() or PolicySettings()
    settings.sponsor = user.username
    settings.save()
    return user
