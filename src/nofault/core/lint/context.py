"""What a detector sees: the parsed document, its prose, the configuration and today's date."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from nofault.core.document import Postmortem, SectionKind
from nofault.core.lint.config import LintConfig
from nofault.core.lint.text import Sentence, sentences
from nofault.core.markdown import Block, ParsedText

# Files with more source lines than this have their sentences made afresh for each rule that
# reads them instead of kept: a 50 MB file holds about a million sentences, which as objects
# would take several times the memory of the file itself.
STREAM_SENTENCES_ABOVE_LINES = 20_000


class Sentences:
    """Every sentence of prose in document order; iterate it as often as needed.

    Small files keep the list after the first pass; large ones split again on each pass,
    so memory stays proportional to one sentence rather than to the whole file.
    """

    __slots__ = ("_kept", "_parsed", "_stream")

    def __init__(self, parsed: ParsedText, *, stream: bool) -> None:
        self._parsed = parsed
        self._stream = stream
        self._kept: list[Sentence] | None = None

    @property
    def streaming(self) -> bool:
        """Tell whether the sentences are split afresh on each pass (a large file)."""
        return self._stream

    def __iter__(self) -> Iterator[Sentence]:
        if self._kept is not None:
            return iter(self._kept)
        if self._stream:
            return sentences(self._parsed)
        self._kept = list(sentences(self._parsed))
        return iter(self._kept)


@dataclass
class LintContext:
    """One file being linted; detectors read it and never change it."""

    parsed: ParsedText
    config: LintConfig
    path: str = "-"
    today: date = field(default_factory=date.today)

    @property
    def postmortem(self) -> Postmortem:
        """The document as read (empty sections when the text is plain prose)."""
        return self.parsed.postmortem

    @property
    def lines(self) -> Sequence[str]:
        """The source lines, without line endings."""
        return self.parsed.lines

    @cached_property
    def sentences(self) -> Sentences:
        """Every sentence of prose, block quotes included (detectors decide about quotes)."""
        stream = len(self.parsed.lines) > STREAM_SENTENCES_ABOVE_LINES
        return Sentences(self.parsed, stream=stream)

    def front_matter_line(self, key: str) -> int:
        """Return the 1-based line of a front-matter key, or 1 when it is absent."""
        return self.parsed.front_matter_lines.get(key, 1)

    @cached_property
    def _title_line(self) -> int:
        for block in self.parsed.blocks:
            if block.type == "heading" and block.level == 1:
                return block.start + 1
        return self.parsed.body_start + 1 if self.parsed.body_start < len(self.lines) else 1

    def title_line(self) -> int:
        """Return the 1-based line of the title heading (or of the first body line)."""
        return self._title_line

    # --- lookups detectors repeat for every factor, action or event (computed once) ---------

    @cached_property
    def _first_spans(self) -> dict[SectionKind, tuple[int, int]]:
        spans: dict[SectionKind, tuple[int, int]] = {}
        for section, (start, end, _heading) in zip(
            self.postmortem.sections, self.parsed.section_spans, strict=True
        ):
            spans.setdefault(section.kind, (start, end))
        return spans

    def section_span(self, kind: SectionKind) -> tuple[int, int] | None:
        """Return the 0-based (heading line, end) of the first section of a kind."""
        return self._first_spans.get(kind)

    @cached_property
    def _block_starts(self) -> list[int]:
        return [b.start for b in self.parsed.blocks]

    def blocks_between(self, start: int, end: int) -> list[Block]:
        """Return the top-level blocks that start strictly between two 0-based lines."""
        starts = self._block_starts
        return self.parsed.blocks[bisect_right(starts, start) : bisect_left(starts, end)]
