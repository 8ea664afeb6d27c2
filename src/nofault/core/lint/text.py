"""The prose view of a document: running text with markup, code and URLs blanked out.

Blanking (replacing with spaces of the same length) instead of deleting keeps every
offset on its source line and column, so a finding points at the exact words.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass

from nofault.core.document import SectionKind
from nofault.core.markdown import ParsedText, ProseSpan

# Each blanker with a substring that must be present for it to match: most lines hold no
# markup at all, and a substring test is far cheaper than a regex scan.
_BLANKERS = [
    ("<!--", re.compile(r"<!--.*?-->", re.DOTALL)),  # HTML comments (guidance, suppressions)
    ("`", re.compile(r"(`+)(?:(?!\1).)+?\1", re.DOTALL)),  # code spans
    ("](", re.compile(r"\]\([^)\s]*(?:\s+\"[^\"]*\")?\)")),  # link targets: [text](url)
    ("<", re.compile(r"<(?:https?|mailto):[^>\s]+>")),  # autolinks
    ("://", re.compile(r"\b(?:https?|ftp)://[^\s<>()]+")),  # bare URLs
    ("<", re.compile(r"</?[A-Za-z][^<>]*>")),  # inline HTML tags
    ("*", re.compile(r"(?<![\w*])\*{1,3}(?=\S)|(?<=\S)\*{1,3}(?![\w*])")),  # *emphasis*
    ("_", re.compile(r"(?<!\w)_{1,3}(?=\S)|(?<=\S)_{1,3}(?!\w)")),  # _emphasis_ markers
    ("~~", re.compile(r"~~")),
]
_LINE_PREFIX = re.compile(r"^(?:\s*>)*\s*(?:[-*+]|\d{1,9}[.)])?\s*(?:\[[ xX]\]\s)?|^\s*#{1,6}\s")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"'“‘(\[]*[A-Z0-9@])|\n\s*\n")
_NEWLINE = re.compile(r"\n")
_ABBREVIATION = re.compile(
    r"(?:\b(?:e\.g|i\.e|etc|vs|approx|incl|Mr|Mrs|Ms|Dr|No|St|Jr|Sr|cf|al)\.|\b[A-Z]\.)$"
)


_NOT_NEWLINE = re.compile(r"[^\n]")


def _blank(match: re.Match[str]) -> str:
    found = match.group(0)
    if "\n" not in found:
        return " " * len(found)
    return _NOT_NEWLINE.sub(" ", found)


def mask_markup(text: str) -> str:
    """Blank out code, URLs, HTML and emphasis markers, keeping every offset in place."""
    for needle, pattern in _BLANKERS:
        if needle in text:
            text = pattern.sub(_blank, text)
    return text


@dataclass(slots=True)
class Sentence:
    """A sentence of prose and where it stands in the file."""

    text: str  # masked: markup is spaces, so offsets map to source columns
    span: ProseSpan
    section: SectionKind | None
    _line: int  # 0-based line of the first character
    _column: int  # 0-based column of the first character
    _breaks: tuple[int, ...]  # offsets of newlines within text

    def position(self, offset: int) -> tuple[int, int]:
        """Return the 1-based (line, column) of an offset within the sentence."""
        index = bisect_right(self._breaks, offset - 1)
        if index == 0:
            return self._line + 1, self._column + offset + 1
        return self._line + index + 1, offset - self._breaks[index - 1]

    @property
    def in_quote(self) -> bool:
        """Tell whether the sentence stands in a block quote (quoted speech, chat logs)."""
        return self.span.in_quote


def _segments(parsed: ParsedText, span: ProseSpan) -> Iterator[tuple[int, int, str]]:
    """Yield (line, column, masked text) of each run of prose in a span (cells apart)."""
    lines = parsed.lines[span.start : span.end]
    if span.kind == "table_row":
        row = lines[0]
        masked = mask_markup(row)
        for m in re.finditer(r"(?:[^|\\]|\\.)+", masked):
            if m.group(0).strip():
                yield span.start, m.start(), m.group(0)
        return
    out = []
    for index, line in enumerate(lines):
        prefix = _LINE_PREFIX.match(line) if index == 0 or span.in_quote else None
        if index > 0 and span.kind == "heading":
            break
        if prefix and prefix.end():
            line = " " * prefix.end() + line[prefix.end() :]
        if span.kind == "heading":
            line = re.sub(r"\s#+\s*$", lambda m: " " * len(m.group(0)), line)
        out.append(line)
    yield span.start, 0, mask_markup("\n".join(out))


def sentences(parsed: ParsedText, *, include_quotes: bool = True) -> Iterator[Sentence]:
    """Yield every sentence of prose in document order."""
    spans = parsed.section_spans
    sections = parsed.postmortem.sections
    index = 0
    for span in parsed.prose:
        if span.in_quote and not include_quotes:
            continue
        while index < len(spans) and spans[index][1] <= span.start:
            index += 1
        section = None
        if index < len(spans) and spans[index][0] <= span.start:
            section = sections[index].kind
        for line, column, text in _segments(parsed, span):
            yield from _split(text, span, section, line, column)


def _split(
    text: str, span: ProseSpan, section: SectionKind | None, line: int, column: int
) -> Iterator[Sentence]:
    start = 0
    cuts = []
    for m in _SENTENCE_END.finditer(text):
        # Only the few characters before the break can be an abbreviation ("e.g.", "Dr.").
        if _ABBREVIATION.search(text, max(start, m.start() - 12), m.start()):
            continue
        cuts.append((start, m.start()))
        start = m.end()
    cuts.append((start, len(text)))
    multiline = "\n" in text
    newlines, counted = 0, 0  # newlines in text[:counted], counted on as the cuts advance
    for a, b in cuts:
        piece = text[a:b]
        stripped = piece.lstrip()
        if not stripped or stripped.isspace():
            continue
        a += len(piece) - len(stripped)
        piece = stripped.rstrip()
        if multiline:
            # Counting from the previous cut keeps a long paragraph linear, not quadratic.
            newlines += text.count("\n", counted, a)
            counted = a
            first_line = line + newlines
            first_col = (a - text.rfind("\n", 0, a) - 1) if newlines else column + a
            breaks = tuple(m.start() for m in _NEWLINE.finditer(piece)) if "\n" in piece else ()
        else:
            first_line, first_col, breaks = line, column + a, ()
        yield Sentence(piece, span, section, first_line, first_col, breaks)
