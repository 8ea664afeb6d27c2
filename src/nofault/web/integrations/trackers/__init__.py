"""Trackers action items are sent to: one folder per vendor, each exporting `TRACKER`."""

from __future__ import annotations

import sys
from functools import cache

from nofault.web.integrations.registry import discover
from nofault.web.integrations.trackers.base import Tracker


@cache
def all_trackers() -> dict[str, Tracker]:
    """Return every installed tracker by name."""
    return discover(sys.modules[__name__], "TRACKER")


def get_tracker(name: str) -> Tracker | None:
    """Return the tracker with this name, or None."""
    return all_trackers().get(name)
