"""What a detector sees: the parsed document, its prose, the configuration and today's date."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from nofault.core.document import Postmortem
from nofault.core.lint.config import LintConfig
from nofault.core.lint.text import Sentence, sentences
from nofault.core.markdown import ParsedText


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
    def lines(self) -> list[str]:
        """The source lines, without line endings."""
        return self.parsed.lines

    @cached_property
    def sentences(self) -> list[Sentence]:
        """Every sentence of prose, block quotes included (detectors decide about quotes)."""
        return list(sentences(self.parsed))

    def front_matter_line(self, key: str) -> int:
        """Return the 1-based line of a front-matter key, or 1 when it is absent."""
        return self.parsed.front_matter_lines.get(key, 1)

    def title_line(self) -> int:
        """Return the 1-based line of the title heading (or of the first body line)."""
        for block in self.parsed.blocks:
            if block.type == "heading" and block.level == 1:
                return block.start + 1
        return self.parsed.body_start + 1 if self.parsed.body_start < len(self.lines) else 1
