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
#
# Linting must stay linear in its input, whatever an author (or a caller of the API) sends.
# A pattern that scans far from each of many starting points and then fails is quadratic:
# `\]\([^)\s]*…` over `[a](` repeated ran to the end of the paragraph from every `](`. So
# no scan may cross the place the next attempt starts: a link target stops at `]`, an
# autolink at `<`. HTML comments and code spans are found by small scanners instead
# (`_blank_comments`, `_blank_code_spans`), which look at each character a bounded number
# of times.
_BLANKERS = [
    ("](", re.compile(r"\]\([^)\]\s]*(?:\s+\"[^\"]*\")?\)")),  # link targets: [text](url)
    ("<", re.compile(r"<(?:https?|mailto):[^<>\s]+>")),  # autolinks
    ("://", re.compile(r"\b(?:https?|ftp)://[^\s<>()]+")),  # bare URLs
    ("<", re.compile(r"</?[A-Za-z][^<>]*>")),  # inline HTML tags
    ("*", re.compile(r"(?<![\w*])\*{1,3}(?=\S)|(?<=\S)\*{1,3}(?![\w*])")),  # *emphasis*
    ("_", re.compile(r"(?<!\w)_{1,3}(?=\S)|(?<=\S)_{1,3}(?!\w)")),  # _emphasis_ markers
    ("~~", re.compile(r"~~")),
]
_LINE_PREFIX = re.compile(r"^(?:\s*>)*\s*(?:[-*+]|\d{1,9}[.)])?\s*(?:\[[ xX]\]\s)?|^\s*#{1,6}\s")
# A break: . ! or ? then closing quotes and space before a capital, or a blank line. The
# match starts at the mark (not after it, by a lookbehind) and opens with one character
# class, so the scan skips at C speed to the few positions that can begin a break.
_SENTENCE_END = re.compile(
    r"[.!?\n](?:(?<=[.!?])[\"'”’)\]]*\s+(?=[\"'“‘(\[]*[A-Z0-9@])|(?<=\n)\s*\n)"
)
_ABBREVIATION = re.compile(
    r"(?:\b(?:e\.g|i\.e|etc|vs|approx|incl|Mr|Mrs|Ms|Dr|No|St|Jr|Sr|cf|al)\.|\b[A-Z]\.)$"
)


# Source text of a pattern that names no character (escapes, group names), and a class range.
_NOT_CHARS = re.compile(r"\\.|\(\?P<\w+>|\(\?P=\w+\)", re.DOTALL)
_CLASS = re.compile(r"\[\^?\]?(?:\\.|[^\]\\])*\]")
_RANGE = re.compile(r"(\\.|[^\\])-(\\.|[^\\\]])")


def folded(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """Return a case-sensitive twin of an IGNORECASE pattern, for lower-cased ASCII text.

    On ASCII text, `twin.search(text.lower())` finds a match exactly when
    `pattern.search(text)` does (at the same places), and runs several times faster: the
    engine compares characters as they are instead of folding both sides. That holds when
    every character the pattern names is lower case or caseless and every class range runs
    between two lower-case letters or two digits; other patterns get None.
    """
    source = pattern.pattern
    if not pattern.flags & re.IGNORECASE or re.search(r"\\[xuUN0-9]|\(\?[aiLmsux-]", source):
        return None
    for cls in _CLASS.finditer(source):
        for lo, hi in _RANGE.findall(cls.group(0)[1:-1]):
            if len(lo) != 1 or len(hi) != 1 or not (lo.isascii() and hi.isascii()):
                return None  # an escape or a non-ASCII end: not worth reasoning about
            if not ((lo.islower() and hi.islower()) or (lo.isdigit() and hi.isdigit())):
                return None
    if any(c.isupper() or (c.lower() != c.upper() and not c.isascii())
           for c in _NOT_CHARS.sub("", source)):  # fmt: skip
        return None
    return re.compile(source, pattern.flags & ~re.IGNORECASE)


_NOT_NEWLINE = re.compile(r"[^\n]")


def _blank_text(found: str) -> str:
    if "\n" not in found:
        return " " * len(found)
    return _NOT_NEWLINE.sub(" ", found)


def _blank(match: re.Match[str]) -> str:
    return _blank_text(match.group(0))


def _comments(text: str) -> Iterator[tuple[int, int]]:
    """Yield (start, end) of each closed HTML comment, in one pass over the text."""
    start = text.find("<!--")
    while start >= 0:
        end = text.find("-->", start + 4)
        if end < 0:
            return  # left open: no later `<!--` can be closed either
        yield start, end + 3
        start = text.find("<!--", end + 3)


def without_comments(text: str) -> str:
    """Return the text with its closed HTML comments removed, in time linear in its length."""
    if "<!--" not in text:
        return text
    out: list[str] = []
    done = 0
    for start, end in _comments(text):
        out.append(text[done:start])
        done = end
    out.append(text[done:])
    return "".join(out)


def _blank_comments(text: str) -> str:
    """Blank every closed HTML comment (guidance, suppressions), keeping offsets in place."""
    out: list[str] = []
    done = 0
    for start, end in _comments(text):
        out += [text[done:start], _blank_text(text[start:end])]
        done = end
    if not out:
        return text
    out.append(text[done:])
    return "".join(out)


_BACKTICKS = re.compile(r"`+")


def _blank_code_spans(text: str) -> str:
    """Blank every code span: a run of backticks up to the next run of the same length.

    As in CommonMark, a run with no later run of its length is literal text. Each length
    keeps a cursor into its runs that only moves forward, so the scan is linear.
    """
    runs = [(m.start(), m.end()) for m in _BACKTICKS.finditer(text)]
    by_length: dict[int, list[int]] = {}
    for index, (start, end) in enumerate(runs):
        by_length.setdefault(end - start, []).append(index)
    cursor = dict.fromkeys(by_length, 0)
    out: list[str] = []
    done = 0
    index = 0
    while index < len(runs):
        start, end = runs[index]
        same = by_length[end - start]
        at = cursor[end - start]
        while at < len(same) and same[at] <= index:
            at += 1
        cursor[end - start] = at
        if at == len(same):
            index += 1  # never closed: literal backticks
            continue
        close = same[at]
        out += [text[done:start], _blank_text(text[start : runs[close][1]])]
        done = runs[close][1]
        index = close + 1
    if not out:
        return text
    out.append(text[done:])
    return "".join(out)


def mask_markup(text: str) -> str:
    """Blank out code, URLs, HTML and emphasis markers, keeping every offset in place."""
    if "<!--" in text:
        text = _blank_comments(text)
    if "`" in text:
        text = _blank_code_spans(text)
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


_CELL = re.compile(r"(?:[^|\\]|\\.)+")
_CLOSING_HASHES = re.compile(r"\s#+\s*$")


def _blank_closing_hashes(m: re.Match[str]) -> str:
    return " " * len(m.group(0))


def _segments(parsed: ParsedText, span: ProseSpan) -> list[tuple[int, int, str]]:
    """Return (line, column, masked text) of each run of prose in a span (cells apart)."""
    lines = parsed.lines
    kind = span.kind
    if kind == "table_row":
        masked = mask_markup(lines[span.start])
        return [(span.start, m.start(), m.group(0))
                for m in _CELL.finditer(masked) if m.group(0).strip()]  # fmt: skip
    first = lines[span.start]
    prefix = _LINE_PREFIX.match(first)
    if prefix and prefix.end():
        first = " " * prefix.end() + first[prefix.end() :]
    if kind == "heading":
        return [(span.start, 0, mask_markup(_CLOSING_HASHES.sub(_blank_closing_hashes, first)))]
    if span.end - span.start == 1:
        return [(span.start, 0, mask_markup(first))]
    if not span.in_quote:
        rest = lines[span.start + 1 : span.end]
        return [(span.start, 0, mask_markup("\n".join([first, *rest])))]
    out = [first]
    for line in lines[span.start + 1 : span.end]:
        prefix = _LINE_PREFIX.match(line)
        if prefix and prefix.end():
            line = " " * prefix.end() + line[prefix.end() :]
        out.append(line)
    return [(span.start, 0, mask_markup("\n".join(out)))]


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
) -> list[Sentence]:
    start = 0
    cuts = []
    for m in _SENTENCE_END.finditer(text):
        # A break after . ! or ? keeps the mark in the sentence; a blank line does not.
        at = m.start()
        end = at if text[at] == "\n" else at + 1
        # Only the few characters before the break can be an abbreviation ("e.g.", "Dr."),
        # and every one ends in a full stop.
        if text.find(".", end - 2, end) >= 0 and _ABBREVIATION.search(
            text, max(start, end - 12), end
        ):
            continue
        cuts.append((start, end))
        start = m.end()
    cuts.append((start, len(text)))
    out: list[Sentence] = []
    if "\n" not in text:
        for a, b in cuts:
            piece = text[a:b]
            stripped = piece.lstrip()
            if stripped:
                out.append(Sentence(stripped.rstrip(), span, section, line,
                                    column + a + len(piece) - len(stripped), ()))  # fmt: skip
        return out
    newlines, counted = 0, 0  # newlines in text[:counted], counted on as the cuts advance
    for a, b in cuts:
        piece = text[a:b]
        stripped = piece.lstrip()
        if not stripped:
            continue
        a += len(piece) - len(stripped)
        piece = stripped.rstrip()
        # Counting from the previous cut keeps a long paragraph linear, not quadratic.
        newlines += text.count("\n", counted, a)
        counted = a
        first_col = (a - text.rfind("\n", 0, a) - 1) if newlines else column + a
        breaks: list[int] = []
        at = piece.find("\n")
        while at >= 0:
            breaks.append(at)
            at = piece.find("\n", at + 1)
        out.append(Sentence(piece, span, section, line + newlines, first_col, tuple(breaks)))
    return out
