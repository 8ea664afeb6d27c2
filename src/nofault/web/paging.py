"""A page of a long list that knows only whether another follows: the lists read one row
past the page instead of counting every visible row."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination


@dataclass
class Page:
    """One page of a list (its rows when the view passes them) and whether another follows."""

    number: int
    has_next: bool
    rows: Sequence[Any] = ()

    def __iter__(self) -> Iterator[Any]:
        return iter(self.rows)

    @property
    def has_previous(self) -> bool:
        """Tell whether a page comes before this one."""
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        """Tell whether there is a page to link to."""
        return self.has_previous or self.has_next

    @property
    def previous_page_number(self) -> int:
        """The page before."""
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        """The page after."""
        return self.number + 1


# Page numbers and offsets past these are clamped: no list is that long, and a larger number
# would overflow the database's integer (a 500) before it found nothing.
MAX_PAGE = 100_000
MAX_OFFSET = 10_000_000


def whole_number(
    raw: object, *, default: int | None = None, maximum: int = MAX_OFFSET
) -> int | None:
    """Read a whole number written in ASCII digits, at most `maximum`; else `default`.

    `str.isdigit` alone lets `²` and `٣` through, and `int()` then refuses the one and reads
    the other; only 0-9 are read here, and a long run of them is capped, not parsed.
    """
    if not isinstance(raw, str):
        return default
    text = raw.strip()
    if not text or len(text) > 30 or not (text.isascii() and text.isdigit()):
        return default
    return min(int(text), maximum)


def page_number(raw: object) -> int:
    """The page a `?page=` asks for: 1 unless it is a whole number, at most MAX_PAGE."""
    return max(1, whole_number(raw, default=1, maximum=MAX_PAGE) or 1)


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    """The API's `?limit=&offset=`, refusing an offset no list reaches with a 400 that names it.

    DRF reads any run of digits, and an offset past the database's integer range was an
    error from the database, not an empty page.
    """

    max_limit = 500

    def get_offset(self, request: Any) -> int:
        """The offset asked for (0 when absent or not a number); 400 past MAX_OFFSET."""
        offset = super().get_offset(request)
        if offset > MAX_OFFSET:
            raise ValidationError({"offset": f"at most {MAX_OFFSET:,}"})
        return offset
