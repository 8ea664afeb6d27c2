"""Fixtures and settings for the whole suite."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest


def pytest_configure(config: pytest.Config) -> None:
    """Passwords are hashed with the settings' Argon2, at its cheapest cost.

    At Django's cost (100 MiB, 8 lanes, 2 passes) one hash took 0.1-0.8 s on the 2-core test
    machine, and most web tests make a person or sign one in. The hashes stay Argon2 hashes
    checked by the same code; only the work per hash is smaller, in the test process alone.
    """
    from django.contrib.auth.hashers import Argon2PasswordHasher

    Argon2PasswordHasher.time_cost = 1
    Argon2PasswordHasher.memory_cost = 64
    Argon2PasswordHasher.parallelism = 1


@pytest.fixture(autouse=True)
def _kept_patterns_end_with_their_test() -> Iterator[None]:
    """`nofault lint` run in this process compiles through the kept patterns for the rest of
    the process (as its own process does); each test ends that, so the next starts as `re` is."""
    yield
    kept = sys.modules.get("nofault.core.lint.kept")
    if kept is not None:
        kept.stop_keeping()
