"""Alerting tools that send incidents in: one folder per vendor, each exporting `SOURCE`."""

from __future__ import annotations

import sys
from functools import cache

from nofault.web.integrations.registry import discover
from nofault.web.integrations.sources.base import IncidentSource


@cache
def all_sources() -> dict[str, IncidentSource]:
    """Return every installed incident source by name."""
    return discover(sys.modules[__name__], "SOURCE")


def get_source(name: str) -> IncidentSource | None:
    """Return the incident source with this name, or None."""
    return all_sources().get(name)
