"""Reading the times people write in timelines: `14:02 UTC`, `2026-11-20 14:02 CET`, ISO 8601."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo

# Common zone abbreviations seen in incident timelines. Abbreviations are ambiguous in
# general; these are the readings an incident timeline almost always means.
_ABBREVIATIONS: dict[str, float] = {
    "UTC": 0, "GMT": 0, "Z": 0, "WET": 0, "BST": 1, "CET": 1, "WEST": 1, "CEST": 2, "EET": 2,
    "EEST": 3, "MSK": 3, "IST": 5.5, "SGT": 8, "HKT": 8, "JST": 9, "KST": 9, "AEST": 10,
    "AEDT": 11, "NZST": 12, "NZDT": 13, "HST": -10, "AKST": -9, "AKDT": -8, "PST": -8,
    "PDT": -7, "MST": -7, "MDT": -6, "CST": -6, "CDT": -5, "EST": -5, "EDT": -4,
}  # fmt: skip

_TIME = re.compile(
    r"""^\s*
    (?:(?P<date>\d{4}-\d{2}-\d{2}),?[ T])?
    (?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2})(?:\.\d+)?)?
    (?:\s?(?P<half>[AaPp])\.?[Mm]\.?)?
    \s*(?P<tz>Z|[+-]\d{2}:?\d{2}|[A-Za-z]{1,5})?\s*$""",
    re.VERBOSE,
)


def _hour(match: re.Match[str]) -> int:
    """The hour on a 24-hour clock ("2:09 PM" is 14, "12:30 AM" is 0)."""
    hour = int(match["h"])
    if match["half"] is None:
        return hour
    return hour % 12 + (12 if match["half"] in "Pp" else 0)


def _zone(name: str | None) -> tzinfo | None:
    if not name:
        return None
    upper = name.upper()
    if upper in _ABBREVIATIONS:
        return timezone(timedelta(hours=_ABBREVIATIONS[upper]))
    if upper[0] in "+-":
        digits = upper[1:].replace(":", "")
        sign = 1 if upper[0] == "+" else -1
        return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
    return None


def parse_event_time(text: str, reference: date | None = None) -> datetime | None:
    """Return an aware datetime for a timeline time, using `reference` for a time with no date.

    A time with no zone, or one that cannot be read, gives None: guessing a zone would put
    events out of order without anyone noticing.
    """
    match = _TIME.match(text)
    if not match:
        return None
    zone = _zone(match["tz"])
    if zone is None:
        return None
    if match["date"]:
        try:
            day = date.fromisoformat(match["date"])
        except ValueError:
            return None
    elif reference is not None:
        day = reference
    else:
        return None
    try:
        local = datetime(
            day.year,
            day.month,
            day.day,
            _hour(match),
            int(match["m"]),
            int(match["s"] or 0),
            tzinfo=zone,
        )
    except ValueError:
        return None
    return local.astimezone(UTC)


def has_timezone(text: str) -> bool:
    """Tell whether a written time names a zone nofault can read (Z, UTC, +02:00, CET …)."""
    match = _TIME.match(text)
    return bool(match and _zone(match["tz"]) is not None)
