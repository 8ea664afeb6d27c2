"""A page of a long list that knows only whether another follows: the lists read one row
past the page instead of counting every visible row."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any


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
