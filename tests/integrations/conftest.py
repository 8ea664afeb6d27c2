"""Shared fixtures: where the vendors' published payloads live (never copied into the repo)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def payloads_dir() -> Path:
    """Return ../shared/payloads beside the repository (or $NOFAULT_PAYLOADS)."""
    candidates = [
        Path(os.environ["NOFAULT_PAYLOADS"]) if os.environ.get("NOFAULT_PAYLOADS") else None,
        REPO.parent / "shared" / "payloads",
        Path("/work/shared/payloads"),
    ]
    for candidate in candidates:
        if candidate is not None and (candidate / "SOURCES.md").is_file():
            return candidate
    raise RuntimeError("vendor payloads not found: set NOFAULT_PAYLOADS to shared/payloads")


PAYLOADS = payloads_dir()


@pytest.fixture
def payloads() -> Path:
    """The directory of vendor payloads."""
    return PAYLOADS
