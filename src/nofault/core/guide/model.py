"""The Guide: a document of parts made of a few kinds of block, rendered to Markdown and HTML.

Text in blocks may use two inline marks, `**strong**` and `` `code` ``; renderers escape
everything else, so the organisation's own words are always shown as text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from nofault.core.guide.inputs import Statement
from nofault.core.guide.knowledge import MatchedBy, Theme
from nofault.core.guide.vocabulary import Role, Stage


@dataclass(frozen=True, slots=True)
class Heading:
    """A heading inside a part (level 3 or 4), with an anchor for the table of contents."""

    text: str
    anchor: str
    level: int = 3


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph of text."""

    text: str


@dataclass(frozen=True, slots=True)
class Items:
    """A list: bulleted, numbered or a checklist, with an optional lead-in label."""

    items: tuple[str, ...]
    label: str = ""
    style: str = "bullet"  # bullet | numbered | checklist


@dataclass(frozen=True, slots=True)
class Table:
    """A table with a header row; `widths` hints the first column's role (e.g. 'narrow')."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    css: str = ""


@dataclass(frozen=True, slots=True)
class Quote:
    """The organisation's own words, quoted, with where they come from."""

    text: str
    cite: str = ""


@dataclass(frozen=True, slots=True)
class Callout:
    """A highlighted note; tone `todo` marks something the organisation must complete."""

    text: str
    tone: str = "note"  # note | todo
    title: str = ""


@dataclass(frozen=True, slots=True)
class Code:
    """A block of verbatim text, e.g. the template as `nofault new` writes it."""

    text: str
    language: str = ""


Block = Heading | Paragraph | Items | Table | Quote | Callout | Code


@dataclass(frozen=True, slots=True)
class Part:
    """One of the guide's parts, numbered by its place in the guide."""

    number: int
    key: str
    title: str
    blocks: tuple[Block, ...]

    @property
    def anchor(self) -> str:
        """The part's anchor in the rendered page."""
        return f"part-{self.number}-{self.key}"


@dataclass(frozen=True, slots=True)
class Trace:
    """How one value or principle shaped the process: its themes, stages, roles and practices."""

    statement: Statement
    themes: tuple[Theme, ...]
    matched_by: MatchedBy
    stages: tuple[Stage, ...]
    roles: tuple[Role, ...]
    practice_ids: tuple[str, ...]

    @property
    def complete(self) -> bool:
        """True when the statement maps to at least one concrete practice."""
        return bool(self.practice_ids)


@dataclass(frozen=True, slots=True)
class Guide:
    """The built guide: title, organisation, parts, and the traceability behind them."""

    title: str
    organisation: str
    built_on: date
    parts: tuple[Part, ...]
    traces: tuple[Trace, ...]
    warnings: tuple[str, ...] = field(default=())

    def part(self, key: str) -> Part:
        """The part with this key ("process", "action-items", "appendix"...)."""
        return next(p for p in self.parts if p.key == key)

    @property
    def to_complete(self) -> list[Trace]:
        """The values and principles the organisation still has to map to practices."""
        return [t for t in self.traces if not t.complete]
