"""Where each source's settings come from: Django's `NOFAULT_INTEGRATIONS`, or the environment.

`NOFAULT_INTEGRATIONS` (or the JSON in the `NOFAULT_INTEGRATIONS` environment variable) maps
`sources.<name>` to that source's typed settings, e.g.
`{"sources": {"pagerduty": {"secrets": ["…"]}, "alertmanager": {"token": "…"}}}`.
A source with no entry is switched off: its webhook answers 403.
"""

from __future__ import annotations

import json
import os
from typing import Any

from django.conf import settings as django_settings
from pydantic import ValidationError

from nofault.web.integrations.sources.base import IncidentSource, SourceSettings


def integrations_config() -> dict[str, Any]:
    """Return the integrations configuration map."""
    configured = getattr(django_settings, "NOFAULT_INTEGRATIONS", None)
    if configured is not None:
        return dict(configured)
    raw = os.environ.get("NOFAULT_INTEGRATIONS", "").strip()
    return json.loads(raw) if raw else {}


def source_settings(source: IncidentSource) -> SourceSettings:
    """Return the source's checked settings (switched off when none are configured)."""
    data = integrations_config().get("sources", {}).get(source.name)
    if data is None:
        return source.settings_model.model_validate({"enabled": False})
    try:
        return source.settings_model.model_validate(data)
    except ValidationError as exc:
        raise ValueError(f"NOFAULT_INTEGRATIONS sources.{source.name}: {exc}") from exc
