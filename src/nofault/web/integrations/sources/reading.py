"""Reading vendors' payloads leniently: only the fields nofault uses, in whatever type they come.

Vendors change a field's type between versions and between their docs and their servers (a
number where the docs show a string, an object where a list was documented, `null` for a
missing value). A delivery is never refused for a field nofault does not read, so the wire
models declare only what nofault reads, and every declared field reads whatever it is sent:
a value that cannot be read becomes None (or empty), and the source decides whether the
event can still be applied without it. Nothing here raises on a value's type.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, model_validator

# Beyond these, an epoch number is in a finer unit (checked from the largest down).
_EPOCH_UNITS = ((1e17, 1e9), (1e14, 1e6), (1e11, 1e3))


def as_text(value: Any) -> str | None:
    """Return text for a string, number or boolean (or a one-item list of one); else None."""
    if isinstance(value, str):
        return _storable(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value) if value.bit_length() < 128 else None  # no id is longer
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        return str(int(value)) if value.is_integer() and abs(value) < 1e16 else repr(value)
    if isinstance(value, list | tuple) and len(value) == 1:
        return as_text(value[0])
    return None


def _storable(text: str) -> str:
    """Return text every database stores: no NUL, and lone surrogates (JSON allows) replaced."""
    if "\x00" in text:
        text = text.replace("\x00", "")
    if text.isascii():  # most text: no surrogate can be in it
        return text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "replace").decode("utf-8")
    return text


def as_time(value: Any) -> datetime | None:
    """Return an aware UTC time from ISO 8601 / RFC 3339 / RFC 2822 / Go text or an epoch number.

    Go's own format is what a Go tool sends when it prints a time as it is. An epoch number
    (or text of digits) may be seconds, milliseconds, microseconds or nanoseconds. A text
    time without a zone is taken as UTC; the Go zero time, an empty value and anything
    unreadable give None.
    """
    if isinstance(value, list | tuple) and len(value) == 1:
        return as_time(value[0])
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return epoch(value)
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text or len(text) > 100:
        return None
    if _is_number(text):
        return epoch(float(text))
    parsed = _iso(text) or _go_time(text)
    if parsed is None:
        try:
            parsed = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    if parsed.year <= 1:
        return None
    try:
        return parsed.astimezone(UTC)
    except (OverflowError, ValueError):
        return None


def epoch(value: float) -> datetime | None:
    """Return an aware UTC time from epoch seconds, milliseconds, microseconds or nanoseconds."""
    try:
        number = float(value)
    except OverflowError:  # an integer beyond any float
        return None
    if not math.isfinite(number) or number <= 0:
        return None
    for bound, unit in _EPOCH_UNITS:
        if number > bound:
            number /= unit
            break
    try:
        return datetime.fromtimestamp(number, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _is_number(text: str) -> bool:
    """Whether text is a plain decimal number: ASCII digits only ('²' is a digit to isdigit)."""
    if not text.isascii():
        return False
    digits = text[1:] if text[0] in "+-" else text
    whole, _, fraction = digits.partition(".")
    return whole.isdigit() and (not fraction or fraction.isdigit())


def _iso(text: str) -> datetime | None:
    """Parse ISO 8601 text, cutting a fraction finer than microseconds (Go sends nanoseconds)."""
    if text[-1] in "Zz":
        text = text[:-1] + "+00:00"
    dot = text.find(".")
    if dot != -1:
        end = dot + 1
        while end < len(text) and text[end].isdigit():
            end += 1
        if end - dot > 7:
            text = text[: dot + 7] + text[end:]
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _go_time(text: str) -> datetime | None:
    """Parse Go's `time.Time.String()`: `2006-01-02 15:04:05.999999999 -0700 MST m=+0.1`."""
    parts = text.split()
    if len(parts) < 3 or len(parts[2]) != 5 or parts[2][0] not in "+-":
        return None
    offset = parts[2]
    if not offset[1:].isdigit():
        return None
    return _iso(f"{parts[0]}T{parts[1]}{offset[:3]}:{offset[3:]}")


def as_mapping(value: Any) -> dict[str, Any]:
    """Return an object as a dict (the one object of a one-item list); anything else is empty."""
    if isinstance(value, dict):
        return value
    if isinstance(value, list | tuple) and len(value) == 1 and isinstance(value[0], dict):
        return value[0]
    return {}


def as_list(value: Any) -> list[Any]:
    """Return a list as it is, nothing for None, and any other single value as a list of it."""
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return list(value)
    return [value]


def as_texts(value: Any) -> tuple[str, ...]:
    """Return the readable, non-empty texts of a list (or of a single value)."""
    texts = (as_text(item) for item in as_list(value))
    return tuple(t for t in texts if t)


def as_labels(value: Any) -> dict[str, str]:
    """Return an object's entries whose values read as text (labels, annotations)."""
    labels = {}
    for key, item in as_mapping(value).items():
        text = as_text(item)
        if text is not None:
            labels[str(key)] = text
    return labels


Text = Annotated[str | None, BeforeValidator(as_text)]
Time = Annotated[datetime | None, BeforeValidator(as_time)]
Texts = Annotated[tuple[str, ...], BeforeValidator(as_texts)]
Labels = Annotated[dict[str, str], BeforeValidator(as_labels)]


def _text_or_empty(value: Any) -> str:
    return as_text(value) or ""


TextOrEmpty = Annotated[str, BeforeValidator(_text_or_empty)]


class Lenient(BaseModel):
    """A vendor object read for the fields nofault uses; other keys are not even looked at.

    A value that is not an object reads as an empty one, so a nested object of the wrong type
    leaves its fields empty instead of refusing the delivery. Every field must therefore
    have a default and a lenient type (`Text`, `Time`, `Texts`, `Labels` or a `Lenient`).
    """

    model_config = ConfigDict(extra="ignore", frozen=True)
    # The field a bare text value stands for where this object was expected (a service's
    # name sent as "checkout" instead of {"name": "checkout"}); None: such a value reads empty.
    text_as: ClassVar[str | None] = None

    @model_validator(mode="before")
    @classmethod
    def _any_object(cls, value: Any) -> Any:
        if cls.text_as is not None and not isinstance(value, dict | list | tuple):
            text = as_text(value)
            return {cls.text_as: text} if text else {}
        return as_mapping(value)


def lenient_list(value: Any) -> list[Any]:
    """Return a list's items (or a single value as one), for a `tuple[Lenient, ...]` field."""
    return as_list(value)


LenientList = BeforeValidator(lenient_list)
