"""Where each source's settings come from: Django's `NOFAULT_INTEGRATIONS`, or the environment.

The server's configuration, `NOFAULT_INTEGRATIONS` (or the JSON in the environment variable of
that name), maps
`sources.<name>` to that source's typed settings, e.g.
`{"sources": {"pagerduty": {"secrets": ["…"]}, "alertmanager": {"token": "…"}}}`.
A source with no entry is switched off: its webhook answers 403. `trackers.<name>` (github,
jira) and `notifiers.<name>` (slack, email) work the same way; `base_url` is the address
links in tickets and reminders start with.

Admins may also switch integrations on at /integrations/ (`saved.py`). The server's
configuration wins: a name it sets is read-only on that page, and a saved entry is used only
for a name it does not set.

Webhook housekeeping: `rejected_per_minute` (30) is how many refused deliveries one address
may send one webhook a minute before it is answered 429, and `delivery_retention_days` (90)
how long applied deliveries and the counts of refused ones are kept.
"""

from __future__ import annotations

import json
import os
from typing import Any

from django.conf import settings as django_settings
from pydantic import ValidationError

from nofault.web.integrations.notifiers.base import NotifierSettings
from nofault.web.integrations.sources.base import IncidentSource, SourceSettings
from nofault.web.integrations.trackers.base import TrackerSettings

# The kinds of integration as `NOFAULT_INTEGRATIONS` names them, and as the app stores them.
SECTIONS = {"sources": "source", "trackers": "tracker", "notifiers": "notifier"}


def server_config() -> dict[str, Any]:
    """Return the server's configuration map (Django's setting, else the environment)."""
    configured = getattr(django_settings, "NOFAULT_INTEGRATIONS", None)
    if configured is not None:
        return dict(configured)
    raw = os.environ.get("NOFAULT_INTEGRATIONS", "").strip()
    return json.loads(raw) if raw else {}


def integrations_config() -> dict[str, Any]:
    """Return the integrations configuration map: the server's, then what admins saved."""
    from nofault.web.integrations.saved import saved_entries

    merged = server_config()
    for (kind, name), data in saved_entries().items():
        section = next(s for s, k in SECTIONS.items() if k == kind)
        configured = dict(merged.get(section) or {})
        configured.setdefault(name, data)
        merged[section] = configured
    return merged


def _entry(section: str, name: str) -> dict[str, Any] | None:
    """Return one integration's settings: the server's, else saved in the app, else None."""
    configured = server_config().get(section) or {}
    if name in configured:
        return configured[name]
    from nofault.web.integrations.saved import saved_entries

    return saved_entries(SECTIONS[section], name).get((SECTIONS[section], name))


def source_settings(source: IncidentSource) -> SourceSettings:
    """Return the source's checked settings (switched off when none are configured)."""
    data = _entry("sources", source.name)
    if data is None:
        return source.settings_model.model_validate({"enabled": False})
    try:
        return source.settings_model.model_validate(data)
    except ValidationError as exc:
        raise ValueError(f"NOFAULT_INTEGRATIONS sources.{source.name}: {exc}") from exc


def source_body_limit(name: str) -> int:
    """Return the most bytes the named source's webhook reads (its `max_body_bytes`)."""
    from nofault.web.integrations.sources import get_source

    source = get_source(name)
    if source is None:
        return SourceSettings.model_fields["max_body_bytes"].default
    return source_settings(source).max_body_bytes


def tracker_settings(name: str) -> TrackerSettings | None:
    """Return the named tracker's checked settings, or None when it is not configured."""
    from nofault.web.integrations.trackers import get_tracker

    tracker = get_tracker(name)
    if tracker is None:
        return None
    data = _entry("trackers", name)
    if data is None:
        return None
    try:
        settings = tracker.settings_model.model_validate(data)
    except ValidationError as exc:
        raise ValueError(f"NOFAULT_INTEGRATIONS trackers.{name}: {exc}") from exc
    return settings if settings.enabled else None


def configured_trackers() -> list[str]:
    """Return the names of the trackers configured and switched on, in the registry's order."""
    from nofault.web.integrations.trackers import all_trackers

    return [name for name in all_trackers() if tracker_settings(name) is not None]


def notifier_settings(name: str) -> NotifierSettings | None:
    """Return the named notifier's checked settings, or None when it is not configured."""
    from nofault.web.integrations.notifiers import get_notifier

    notifier = get_notifier(name)
    if notifier is None:
        return None
    data = _entry("notifiers", name)
    if data is None:
        return None
    try:
        settings = notifier.settings_model.model_validate(data)
    except ValidationError as exc:
        raise ValueError(f"NOFAULT_INTEGRATIONS notifiers.{name}: {exc}") from exc
    return settings if settings.enabled else None


def base_url() -> str:
    """Return the address links in reminders and tickets start with (`base_url`, or none)."""
    return str(server_config().get("base_url", "")).rstrip("/")


def _whole_number(name: str, default: int) -> int:
    value = server_config().get(name, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"NOFAULT_INTEGRATIONS {name} must be a whole number of at least 1")
    return value


def rejected_per_minute() -> int:
    """Return how many refused deliveries a minute one address may send one webhook."""
    return _whole_number("rejected_per_minute", 30)


def delivery_retention_days() -> int:
    """Return how many days applied deliveries and counts of refused ones are kept."""
    return _whole_number("delivery_retention_days", 90)
