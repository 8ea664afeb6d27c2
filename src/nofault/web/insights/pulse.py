"""The pulse's statements and when a review's pulse is open; results are read in `selectors`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["MIN_ANSWERS", "STATEMENTS", "Statement", "pulse_open_for"]

# Results are shown only once at least this many people answered.
MIN_ANSWERS = 3


@dataclass(frozen=True, slots=True)
class Statement:
    """One statement participants rate from 1 (disagree) to 5 (agree)."""

    key: str
    text: str


STATEMENTS: tuple[Statement, ...] = (
    Statement("safe_to_share", "I could share what I knew without fear."),
    Statement("systems_not_people", "The review looked at systems, not people."),
    Statement("learned", "I learned something I will use."),
)


def pulse_open_for(*, postmortem: Any) -> bool:
    """Tell whether the review meeting can have happened: the postmortem is in review or out."""
    return postmortem.status in ("in_review", "published")
