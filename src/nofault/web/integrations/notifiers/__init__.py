"""Channels reminders go out by: one folder per vendor, each exporting `NOTIFIER`."""

from __future__ import annotations

import sys
from functools import cache

from nofault.web.integrations.notifiers.base import Notifier
from nofault.web.integrations.registry import discover


@cache
def all_notifiers() -> dict[str, Notifier]:
    """Return every installed notifier by name."""
    return discover(sys.modules[__name__], "NOTIFIER")


def get_notifier(name: str) -> Notifier | None:
    """Return the notifier with this name, or None."""
    return all_notifiers().get(name)
