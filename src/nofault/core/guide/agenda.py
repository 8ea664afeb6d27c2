"""The review meeting's agenda: its parts and their share of the meeting's time."""

from __future__ import annotations

AGENDA_SHARES = (
    ("Opening and ground rules", 0.1),
    ("Walk through the timeline", 0.25),
    ("Contributing factors and analysis", 0.4),
    ("Action items", 0.15),
    ("Closing", 0.1),
)


def meeting_agenda(minutes: int) -> tuple[tuple[str, str], ...]:
    """Return each part of a meeting of this length with its time, in five-minute steps."""
    return tuple(
        (name, f"{max(5, round(minutes * share / 5) * 5)} min") for name, share in AGENDA_SHARES
    )
