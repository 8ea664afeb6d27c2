"""Markdown ⇄ postmortem: YAML front matter, one `##` heading per section, lossless both ways.

`parse_text` reads any Markdown (our canonical format, the common public templates, or plain
prose) and never raises on bad content: what it cannot read becomes a `Problem` with a line
and column, and the rest of the document is still read. `render` writes the canonical form.

The parser tokenises with markdown-it-py once, in chunks for very large files so that
memory stays bounded, and keeps only light `Block` records with line ranges. Section
bodies are sliced from the source lines, so text is kept verbatim.
"""

from __future__ import annotations

import re
import tomllib
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, ClassVar, overload

import yaml
from markdown_it import MarkdownIt
from pydantic import ValidationError

from nofault.core.document import (
    ActionItem,
    ActionItemsSection,
    ActionStatus,
    ActionType,
    AnalysisSection,
    ContributingFactor,
    EventKind,
    FactorCategory,
    FactorsSection,
    Link,
    LinksSection,
    Postmortem,
    Section,
    SectionKind,
    TextSection,
    TimelineEvent,
    TimelineSection,
    WhyChain,
)

# --- problems ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Problem:
    """Something in the file the parser could not read as the format asks; a lint finding."""

    code: str
    line: int  # 1-based
    column: int  # 1-based
    message: str
    end_line: int | None = None
    end_column: int | None = None


# Problem codes the structure rule pack turns into findings.
UNREADABLE_FRONT_MATTER = "STR001"
BAD_DATE = "STR003"
UNKNOWN_VALUE = "STR006"
NOT_TEXT = "STR007"


# --- blocks -----------------------------------------------------------------------------


@dataclass(slots=True)
class Block:
    """A top-level Markdown block and its 0-based, end-exclusive line range."""

    type: str  # heading, paragraph, bullet_list, ordered_list, table, fence, code, html, ...
    start: int
    end: int
    level: int = 0  # heading level
    # List item line ranges (lists only; other blocks share one empty tuple, to keep a
    # large file's hundreds of thousands of blocks light).
    items: Sequence[tuple[int, int]] = ()


@dataclass(slots=True)
class ProseSpan:
    """Lines of running text (a paragraph, heading or table row) and what surrounds them."""

    start: int  # 0-based first line
    end: int  # 0-based, exclusive
    kind: str  # paragraph, heading, table_row, list_item
    in_quote: bool = False


class LineView(Sequence[str]):
    """The lines of one text, sliced from it on demand instead of kept as a million strings.

    Large files use it: a 50 MB postmortem as a list of line strings takes about 80 MB more
    than the text itself, and the caller usually holds that text anyway.
    """

    __slots__ = ("_starts", "_text")

    def __init__(self, text: str) -> None:
        self._text = text
        # Four bytes a line up to 2 GB of text (a 50 MB file has about a million lines).
        starts = array("i" if len(text) < 2**31 - 2 else "q", [0])
        find = text.find
        at = find("\n")
        while at >= 0:
            starts.append(at + 1)
            at = find("\n", at + 1)
        # The sentinel: one past the newline that ends the last line. A final newline's
        # own entry is it already (no empty line after it, as split-and-pop gives).
        if text and not text.endswith("\n"):
            starts.append(len(text) + 1)
        self._starts = starts

    def __len__(self) -> int:
        return len(self._starts) - 1

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            if step != 1:
                return [self[i] for i in range(start, stop, step)]
            if start >= stop:
                return []
            return self.join(start, stop).split("\n")
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("line index out of range")
        return self._text[self._starts[index] : self._starts[index + 1] - 1]

    def __iter__(self) -> Iterator[str]:
        text, starts = self._text, self._starts
        for index in range(len(starts) - 1):
            yield text[starts[index] : starts[index + 1] - 1]

    def join(self, start: int, end: int) -> str:
        """Return lines[start:end] joined with newlines, as one slice of the text."""
        if start >= end:
            return ""
        return self._text[self._starts[start] : self._starts[end] - 1]

    def find(self, needle: str) -> Iterator[int]:
        """Yield the 0-based index of each line that holds `needle` (one text scan)."""
        text, starts = self._text, self._starts
        at = text.find(needle)
        while at >= 0:
            line = bisect_right(starts, at) - 1
            if line >= len(self):
                return
            yield line
            at = text.find(needle, starts[line + 1])


# Texts of more characters than this are read through a LineView, and their blocks and prose
# spans kept as columns of numbers (BlockColumns, SpanColumns).
LINE_VIEW_ABOVE_CHARS = 2_000_000


class BlockColumns(Sequence[Block]):
    """Blocks kept as columns of numbers; a Block is made when one is read.

    A 50 MB file has about 190,000 blocks: as objects (and the line numbers they hold) they
    take some 30 MB, as columns under 4 MB. Reading one makes a new Block each time.
    """

    __slots__ = ("_ends", "_items", "_levels", "_starts", "_types")
    _TYPES = ("heading", "paragraph", "bullet_list", "ordered_list", "table", "fence", "code",
              "html", "hr", "blockquote")  # fmt: skip
    _CODES: ClassVar[dict[str, int]] = {name: index for index, name in enumerate(_TYPES)}

    def __init__(self) -> None:
        self._types = array("B")
        self._starts = array("q")
        self._ends = array("q")
        self._levels = array("B")
        self._items: dict[int, Sequence[tuple[int, int]]] = {}  # lists only

    def append(self, block: Block) -> None:
        """Add a block at the end (its list items, if any, may still grow)."""
        if block.items or block.type in ("bullet_list", "ordered_list"):
            self._items[len(self._types)] = block.items
        self._types.append(self._CODES[block.type])
        self._starts.append(block.start)
        self._ends.append(block.end)
        self._levels.append(block.level)

    def truncate(self, size: int) -> None:
        """Drop every block from index `size` on."""
        for column in (self._types, self._starts, self._ends, self._levels):
            del column[size:]
        for index in [i for i in self._items if i >= size]:
            del self._items[index]

    def __len__(self) -> int:
        return len(self._types)

    @overload
    def __getitem__(self, index: int) -> Block: ...

    @overload
    def __getitem__(self, index: slice) -> list[Block]: ...

    def __getitem__(self, index: int | slice) -> Block | list[Block]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("block index out of range")
        return Block(self._TYPES[self._types[index]], self._starts[index], self._ends[index],
                     self._levels[index], self._items.get(index, ()))  # fmt: skip

    def __iter__(self) -> Iterator[Block]:
        for index in range(len(self)):
            yield self[index]


class SpanColumns(Sequence[ProseSpan]):
    """Prose spans kept as columns of numbers; a ProseSpan is made when one is read."""

    __slots__ = ("_ends", "_kinds", "_quoted", "_starts")
    _KINDS = ("paragraph", "heading", "table_row", "list_item")
    _CODES: ClassVar[dict[str, int]] = {name: index for index, name in enumerate(_KINDS)}

    def __init__(self) -> None:
        self._starts = array("q")
        self._ends = array("q")
        self._kinds = array("B")
        self._quoted = array("B")

    def append(self, span: ProseSpan) -> None:
        """Add a span at the end."""
        self._starts.append(span.start)
        self._ends.append(span.end)
        self._kinds.append(self._CODES[span.kind])
        self._quoted.append(span.in_quote)

    def truncate(self, size: int) -> None:
        """Drop every span from index `size` on."""
        for column in (self._starts, self._ends, self._kinds, self._quoted):
            del column[size:]

    def __len__(self) -> int:
        return len(self._starts)

    @overload
    def __getitem__(self, index: int) -> ProseSpan: ...

    @overload
    def __getitem__(self, index: slice) -> list[ProseSpan]: ...

    def __getitem__(self, index: int | slice) -> ProseSpan | list[ProseSpan]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("span index out of range")
        return ProseSpan(self._starts[index], self._ends[index],
                         self._KINDS[self._kinds[index]], bool(self._quoted[index]))  # fmt: skip

    def __iter__(self) -> Iterator[ProseSpan]:
        for index in range(len(self)):
            yield self[index]


Blocks = list[Block] | BlockColumns
Spans = list[ProseSpan] | SpanColumns


@dataclass
class ParsedText:
    """Everything read from one text: the postmortem, its problems, and where the prose is."""

    lines: Sequence[str]
    postmortem: Postmortem
    problems: list[Problem]
    has_front_matter: bool
    is_postmortem: bool
    body_start: int  # 0-based line where the Markdown body begins
    blocks: Blocks  # a list, or columns for a large text
    prose: Spans
    # Line ranges (0-based start, exclusive end, heading line) of each section, in order.
    section_spans: list[tuple[int, int, int]]
    front_matter_lines: dict[str, int] = field(default_factory=dict)  # key -> 1-based line
    title_line: int | None = None  # 0-based line of the heading read as the title, if any
    # The sections are the items of one numbered list ("1. Incident Date" …); `lines` then
    # holds them as the headings they stand for, line for line (see `outline_item`).
    outline: bool = False

    def section_at(self, line: int) -> Section | None:
        """Return the section holding the 0-based line, or None for text before any section."""
        for index, (start, end, _heading) in enumerate(self.section_spans):
            if start <= line < end:
                return self.postmortem.sections[index]
        return None


# --- headings ---------------------------------------------------------------------------

CANONICAL_HEADINGS: dict[SectionKind, str] = {
    SectionKind.SUMMARY: "Summary",
    SectionKind.IMPACT: "Impact",
    SectionKind.TIMELINE: "Timeline",
    SectionKind.DETECTION: "Detection",
    SectionKind.TRIGGER: "Trigger",
    SectionKind.RESOLUTION: "Resolution",
    SectionKind.CONTRIBUTING_FACTORS: "Contributing factors",
    SectionKind.ANALYSIS: "Analysis",
    SectionKind.WENT_WELL: "What went well",
    SectionKind.WENT_WRONG: "What went wrong",
    SectionKind.LUCKY: "Where we got lucky",
    SectionKind.SURPRISED: "What surprised us",
    SectionKind.ACTION_ITEMS: "Action items",
    SectionKind.LESSONS: "Lessons learned",
    SectionKind.LINKS: "Links",
    SectionKind.COMMUNICATION: "Customer communication",
}

# Headings from the common public templates (Google SRE book, PagerDuty, Atlassian, Elastic,
# Azure …), lower-cased with punctuation removed, mapped onto the model.
_HEADING_ALIASES: dict[str, SectionKind] = {}
for _kind, _names in {
    SectionKind.SUMMARY: "summary|issue summary|executive summary|incident summary|overview|"
    "tldr|tl dr|summary of impact|what happened|what was the problem|so what happened|"
    "incident description|description",
    SectionKind.IMPACT: "impact|customer impact|user impact|affected users|"
    "business impact|end user impact|impact assessment",
    SectionKind.TIMELINE: "timeline|incident timeline|chain of events|sequence of events|"
    "detailed timeline|timeline of events|key events|how did we respond",
    SectionKind.DETECTION: "detection|how we detected it|how was it detected|how did we find out|"
    "how did we detect it|how was the incident detected|how we found out|noticing",
    SectionKind.TRIGGER: "trigger|triggers|what triggered the incident",
    SectionKind.RESOLUTION: "resolution|mitigation|mitigation and resolution|"
    "resolution and recovery|recovery|remediation steps|how we fixed it|how did we fix it|"
    "how was it fixed|response|response and recovery|how we responded|mitigation and recovery|"
    "response and mitigation|incident response|recovery steps|how we recovered|"
    "how did we recover|how we mitigated it|mitigation steps",
    SectionKind.COMMUNICATION: "customer communication|customer communications|communication|"
    "communications|external communication|external communications|status page updates|"
    "status page|status updates|customer updates|communication with customers|"
    "how we communicated|how did we communicate|stakeholder communication|"
    "stakeholder communications",
    SectionKind.CONTRIBUTING_FACTORS: "contributing factors|root cause|root causes|"
    "causes|contributing conditions|contributing causes|what caused the incident|"
    "root cause and mitigation|process breakdown|process breakdowns|contributing conditions "
    "analysis|causes and contributing factors|why it happened|why did it happen|"
    "why did this happen|what caused it|what caused this|technical cause|technical causes|"
    "cause|contributing factor|root causes and contributing factors|causal factors|"
    "origin of the incident|root cause and contributing factors|factors|"
    "what went wrong and why|what caused the outage|why did this incident happen|"
    "challenges|core challenges|key challenges",
    SectionKind.ANALYSIS: "analysis|five whys|5 whys|the five whys|investigation|"
    "root cause analysis|causal analysis|whys|how did it happen|how it happened|"
    "conclusions|what happened and why",
    SectionKind.WENT_WELL: "what went well|things that went well|went well|what worked|"
    "things that worked|what worked well",
    SectionKind.WENT_WRONG: "what went wrong|what went badly|what could have gone better|"
    "what didnt go well|things that went wrong|went wrong|what didnt go so well|"
    "what didn t go well|what didn t go so well|what didnt work|what didn t work|"
    "things that didnt work|things that didn t work|what could be improved|"
    "what can be improved|what could have been better|opportunities for improvement",
    SectionKind.LUCKY: "where we got lucky|where did we get lucky|lucky|where we were lucky",
    SectionKind.SURPRISED: "what surprised us|surprises|what was surprising|what surprised you",
    SectionKind.ACTION_ITEMS: "action items|action items and followups|action items & "
    "followups|corrective and preventative measures|corrective and preventive measures|"
    "next steps|followups|follow ups|follow up actions|remediation|actions|recommendations|"
    "corrective actions|follow up|follow up items|follow up improvements|followup|"
    "corrective measures|preventive measures|preventative measures|future actions|"
    "remediations|review actions|action plan|how are we preventing it from happening again|"
    "how we will prevent this|what we are doing about it|what we will do|improvements|"
    "how are we making incidents like this less likely or less impactful|"
    "what we are changing|what we changed|repair items|"
    "corrective and preventive actions|corrective and preventative actions",
    SectionKind.LESSONS: "lessons learned|lessons learnt|lessons|learnings|key takeaways|"
    "takeaways|lessons and thoughts|what we learned|what we learnt",
    SectionKind.LINKS: "links|supporting information|supporting documents|references|"
    "related links|resources",
}.items():
    for _name in _names.split("|"):
        _HEADING_ALIASES[_name.strip()] = _kind


def heading_key(heading: str) -> str:
    """Normalise a heading for lookup: lower case, no punctuation, single spaces."""
    key = re.sub(r"\(s\)", "s", heading.lower())
    key = re.sub(r"[^a-z0-9& ]+", " ", key)
    return re.sub(r"\s+", " ", key).strip()


# "## 1. Incident Date", "## IV) Impact": a template's numbering is not part of the name.
_HEADING_NUMBER = re.compile(r"^(?:\d{1,2}|[ivx]{1,4})[.)]?\s+")
# Single words that name a section even with more words after them ("Timeline (UTC)",
# "Impact on customers"); other aliases match a longer heading only with two or more words.
_PREFIX_WORDS = frozenset({"timeline", "impact", "summary", "detection", "trigger", "causes"})


def heading_kind(heading: str, aliases: Mapping[str, SectionKind] | None = None) -> SectionKind:
    """Map a heading as people write it onto a section kind (OTHER when it is not known).

    `aliases` adds the organisation's own headings (from its guide's template), keyed by
    `heading_key`; they are looked up before the built-in ones. A heading not known as a
    whole is read by its first words ("Timeline (all times PST)", "Root causes of the
    outage"), with any template numbering in front of it left out.
    """
    key = heading_key(heading)
    if aliases and key in aliases:
        return aliases[key]
    if key in _HEADING_ALIASES:
        return _HEADING_ALIASES[key]
    key = heading_key(_HEADING_NUMBER.sub("", re.sub(r"\([^()]*\)", " ", heading.lower()).strip()))
    if aliases and key in aliases:
        return aliases[key]
    words = key.split(" ")
    if len(words) > 1 and words[-1] == "timeline":
        return SectionKind.TIMELINE  # "Follow-up timeline", "Recovery timeline"
    for size in range(min(len(words), 6), 0, -1):
        prefix = " ".join(words[:size])
        if prefix in _HEADING_ALIASES and (
            size > 1 or prefix in _PREFIX_WORDS or size == len(words)
        ):
            return _HEADING_ALIASES[prefix]
    if any(w.startswith("prevent") for w in words):
        return SectionKind.ACTION_ITEMS  # "What are we doing to prevent this in future?"
    stamp = _TIME_LEAD.match(heading.strip().strip("*_"))
    if stamp and ":" in stamp["time"] and len(stamp["rest"].split()) <= 4:
        return SectionKind.TIMELINE  # "## 2018-11-08 16:55:00 -0500", "## Feb 22, 07:13"
    return SectionKind.OTHER


# --- tokenising -------------------------------------------------------------------------

_MD = MarkdownIt("commonmark").enable("table")
# Only block structure is needed; inline parsing would double the time and memory.
_MD.disable(["inline", "text_join"], ignoreInvalid=True)

_CHUNK_CHARS = 256 * 1024
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def _chunks(lines: Sequence[str], start: int) -> Iterator[tuple[int, int]]:
    """Split lines into ranges of about _CHUNK_CHARS at blank lines outside code fences."""
    begin, size, fence = start, 0, ""
    for index in range(start, len(lines)):
        line = lines[index]
        size += len(line) + 1
        m = _FENCE.match(line)
        if m:
            marker = m.group(1)
            if not fence:
                fence = marker
            elif (
                marker[0] == fence[0]
                and len(marker) >= len(fence)
                and not line.strip()[len(marker) :].strip()
            ):
                fence = ""
        if size >= _CHUNK_CHARS and not fence and not line.strip():
            yield begin, index + 1
            begin, size = index + 1, 0
    if begin < len(lines):
        yield begin, len(lines)


# A line that cannot open or interrupt any block markdown-it knows (heading, list, quote,
# fence, thematic break, table, HTML, setext underline, link reference) when it starts with
# none of these after its indentation.
_UNSAFE_START = re.compile(r"[ \t]*(?:[#>*+\-_=`~<|:\[]|\d{1,9}[.)])")
_PLACEHOLDER = "x"


def _is_plain(lines: Sequence[str], begin: int, end: int) -> bool:
    """Tell whether lines[begin:end], after a blank line, can only be a plain paragraph."""
    if lines[begin][:1] in ("", " ", "\t"):
        return False
    for index in range(begin, end):
        line = lines[index]
        if ">" in line or _UNSAFE_START.match(line):
            return False
    return True


_Reduced = tuple[list[str], list[int], list[int], dict[int, list[tuple[int, int]]]]


def _reduce(lines: Sequence[str], begin: int, end: int) -> _Reduced:
    """Collapse each run of plain paragraphs in lines[begin:end] into one placeholder line.

    A plain paragraph is a group of non-blank lines, after a blank line (or the start),
    whose first line starts at column 0 and none of whose lines could start or end any
    other block. Such a group is a top-level paragraph (no list item, quote or table goes on
    past a blank line to an unindented line), or it lies inside a fence or an HTML block
    that it cannot close (none of its lines starts with a fence marker or holds a `>`). So
    markdown-it reads the placeholder as it would have read the run: as one top-level
    paragraph, or as lines inside the same block. The run's paragraphs are then recorded
    without markdown-it trying every block rule on each of their lines.

    Returns the reduced lines, the original first line and end of each reduced line, and
    the paragraphs each placeholder (by reduced index) stands for.
    """
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    runs: dict[int, list[tuple[int, int]]] = {}
    run: list[tuple[int, int]] = []
    blanks: list[int] = []  # blank lines since the last paragraph of the run

    def keep(number: int) -> None:
        out.append(lines[number])
        starts.append(number)
        ends.append(number + 1)

    def flush() -> None:
        if run:
            runs[len(out)] = list(run)
            out.append(_PLACEHOLDER)
            starts.append(run[0][0])
            ends.append(run[-1][1])
            run.clear()
        for number in blanks:
            keep(number)
        blanks.clear()

    index = begin
    while index < end:
        if not lines[index].strip(" \t"):
            blanks.append(index)
            index += 1
            continue
        stop = index + 1
        while stop < end and lines[stop].strip(" \t"):
            stop += 1
        # Every group starts after a blank line or at the start of the chunk.
        if _is_plain(lines, index, stop):
            if not run:
                flush()  # the blank lines before the run stay
            run.append((index, stop))
            blanks.clear()  # blank lines inside a run are part of its placeholder
        else:
            flush()
            for number in range(index, stop):
                keep(number)
        index = stop
    flush()
    return out, starts, ends, runs


def _tokenise(lines: Sequence[str], start: int) -> tuple[Blocks, Spans]:
    large = isinstance(lines, LineView)
    blocks: Blocks = BlockColumns() if large else []
    prose: Spans = SpanColumns() if large else []
    for chunk_start, chunk_end in _chunks(lines, start):
        _tokenise_chunk(lines, chunk_start, chunk_end, blocks, prose, reduce=True)
    return blocks, prose


class _NotReducible(Exception):
    """A placeholder landed somewhere a plain paragraph cannot be; read the chunk in full."""


def _tokenise_chunk(
    lines: Sequence[str], chunk_start: int, chunk_end: int, blocks: Blocks,
    prose: Spans, *, reduce: bool,
) -> None:  # fmt: skip
    if reduce:
        source_lines, starts, ends, runs = _reduce(lines, chunk_start, chunk_end)
    else:
        source_lines = list(lines[chunk_start:chunk_end])
        starts = list(range(chunk_start, chunk_end))
        ends = [n + 1 for n in starts]
        runs = {}
    count = len(source_lines)
    mark = (len(blocks), len(prose))
    try:
        _read_tokens("\n".join(source_lines), starts, ends, count, chunk_end, runs, blocks, prose)
    except _NotReducible:
        if isinstance(blocks, BlockColumns) and isinstance(prose, SpanColumns):
            blocks.truncate(mark[0])
            prose.truncate(mark[1])
        else:
            del blocks[mark[0] :], prose[mark[1] :]
        _tokenise_chunk(lines, chunk_start, chunk_end, blocks, prose, reduce=False)


def _read_tokens(
    source: str, starts: list[int], ends: list[int], count: int, chunk_end: int,
    runs: dict[int, list[tuple[int, int]]], blocks: Blocks, prose: Spans,
) -> None:  # fmt: skip
    quote_depth = 0
    in_head = False
    list_stack: list[list[tuple[int, int]] | None] = []  # the items of each open list
    for token in _MD.parse(source):
        t = token.type
        m = token.map
        if t in ("thead_open", "thead_close"):
            in_head = t == "thead_open"
        if t == "blockquote_open":
            quote_depth += 1
        elif t == "blockquote_close":
            quote_depth -= 1
        if m is None:
            if t in ("bullet_list_close", "ordered_list_close"):
                list_stack.pop()
            continue
        s = starts[m[0]] if m[0] < count else chunk_end
        e = ends[m[1] - 1] if m[1] > m[0] else s
        top = token.level == 0
        if t == "paragraph_open" and m[0] in runs:
            if not top or quote_depth or list_stack or m[1] != m[0] + 1:
                raise _NotReducible
            for a, b in runs[m[0]]:
                blocks.append(Block("paragraph", a, b))
                prose.append(ProseSpan(a, b, "paragraph", False))
            continue
        if t in ("bullet_list_open", "ordered_list_open"):
            items: list[tuple[int, int]] | None = [] if top else None
            if items is not None:
                blocks.append(Block(t[: -len("_open")], s, e, items=items))
            list_stack.append(items)
        elif t == "list_item_open":
            if len(list_stack) == 1 and list_stack[0] is not None:
                list_stack[0].append((s, e))
        elif t == "heading_open":
            if top:
                blocks.append(Block("heading", s, e, level=int(token.tag[1])))
            prose.append(ProseSpan(s, e, "heading", quote_depth > 0))
        elif t == "paragraph_open":
            if top:
                blocks.append(Block("paragraph", s, e))
            kind = "list_item" if list_stack else "paragraph"
            prose.append(ProseSpan(s, e, kind, quote_depth > 0))
        elif t == "table_open":
            if top:
                blocks.append(Block("table", s, e))
        elif t == "tr_open" and not in_head:
            prose.append(ProseSpan(s, e, "table_row", quote_depth > 0))
        elif top and t in ("fence", "code_block", "html_block", "hr", "blockquote_open"):
            name = {"code_block": "code", "blockquote_open": "blockquote"}.get(t, t)
            name = name.replace("_block", "")
            blocks.append(Block(name, s, e))


# --- front matter -----------------------------------------------------------------------

_FM_KEYS = (
    "id",
    "title",
    "incidents",
    "severity",
    "services",
    "status",
    "review_level",
    "authors",
    "facilitator",
    "reviewers",
    "responders",
    "created",
    "review_meeting",
    "published",
    "started_at",
    "detected_at",
    "mitigated_at",
    "resolved_at",
    "impact",
    "inferred",
)
_DATE_FIELDS = {"created", "published", "review_meeting", "started_at", "detected_at",
                "mitigated_at", "resolved_at"}  # fmt: skip


class _Loader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 booleans (`yes`, `no`, `on`, `off` stay strings) and dates left
    as strings, so that the model reads them and a bad one names its key instead of failing
    the whole block."""


_BOOL = "tag:yaml.org,2002:bool"
_Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag not in (_BOOL, "tag:yaml.org,2002:timestamp")]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    _BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


class _FastLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The same loader on libyaml's parser, about ten times faster on front matter.

    Its resolvers are the Python ones above, so it reads the same values; its error marks
    are coarser, so a block it refuses is read again by `_Loader` for the message.
    """


_FastLoader.yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers


def _load_yaml(raw: str) -> Any:
    try:
        return yaml.load(raw, Loader=_FastLoader)
    except (yaml.YAMLError, ValueError, RecursionError):
        return yaml.load(raw, Loader=_Loader)


def _split_front_matter(lines: Sequence[str]) -> tuple[int, int] | None:
    """Return (first content line, closing line) of a `---` (or Hugo's TOML `+++`) block."""
    if not lines or lines[0].rstrip() not in ("---", "+++"):
        return None
    closing = ("---", "...") if lines[0].rstrip() == "---" else ("+++",)
    for index in range(1, len(lines)):
        if lines[index].rstrip() in closing:
            return 1, index
    return None


def _describe_validation(error: ValidationError) -> str:
    first = error.errors()[0]
    message = str(first["msg"])
    value = first.get("input")
    if isinstance(value, str | int | float):
        return f"{value!r}: {message.lower()}"
    return message.lower()


def _read_front_matter(
    lines: Sequence[str], start: int, end: int, problems: list[Problem]
) -> tuple[dict[str, Any], dict[str, object], dict[str, int]]:
    """Validate front matter key by key, so one bad value never loses the others."""
    raw = "\n".join(lines[start:end])
    toml = start > 0 and lines[start - 1].rstrip() == "+++"
    key_lines: dict[str, int] = {}
    for index in range(start, end):
        m = re.match(r"^([A-Za-z_][\w-]*)\s*[:=]" if toml else r"^([A-Za-z_][\w-]*)\s*:",
                     lines[index])  # fmt: skip
        if m:
            key_lines.setdefault(m.group(1), index + 1)
    try:
        data = (tomllib.loads(raw) if toml else _load_yaml(raw)) if raw.strip() else {}
    except tomllib.TOMLDecodeError as exc:
        problems.append(
            Problem(UNREADABLE_FRONT_MATTER, start + 1, 1, f"front matter is not valid TOML: {exc}")
        )
        return {}, {}, key_lines
    except (yaml.YAMLError, ValueError, RecursionError) as exc:
        mark = getattr(exc, "problem_mark", None)
        line = start + 1 + (mark.line if mark else 0)
        column = 1 + (mark.column if mark else 0)
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        problems.append(
            Problem(
                UNREADABLE_FRONT_MATTER, line, column, f"front matter is not valid YAML: {reason}"
            )
        )
        return {}, {}, key_lines
    if data is None:
        data = {}
    if not isinstance(data, dict):
        problems.append(
            Problem(
                UNREADABLE_FRONT_MATTER,
                start + 1,
                1,
                f"front matter must be a mapping of keys to values, not a {type(data).__name__}",
            )
        )
        return {}, {}, key_lines
    fields: dict[str, Any] = {}
    extra: dict[str, object] = {}
    for key, value in data.items():
        name = str(key).replace("-", "_")
        line = key_lines.get(str(key), start + 1)
        if name not in _FM_KEYS:
            extra[str(key)] = value
            continue
        if name == "severity" and value is not None:
            value = str(value)
        try:
            # Validate through the model so field validators (aware times) apply too.
            fields[name] = getattr(Postmortem.model_validate({name: value}), name)
        except ValidationError as exc:
            code = BAD_DATE if name in _DATE_FIELDS else UNKNOWN_VALUE
            problems.append(Problem(code, line, 1, f"{key}: {_describe_validation(exc)}"))
    return fields, extra, key_lines


# --- section bodies ---------------------------------------------------------------------


def _strip_blank(lines: Sequence[str], start: int, end: int) -> tuple[int, int]:
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return start, end


def _join(lines: Sequence[str], start: int, end: int) -> str:
    start, end = _strip_blank(lines, start, end)
    if isinstance(lines, LineView):
        return lines.join(start, end)
    return "\n".join(lines[start:end])


def split_cells(row: str) -> list[str]:
    """Split a GFM table row on unescaped pipes and unescape `\\|` in each cell."""
    row = row.strip()
    if row.startswith("|"):
        row = row[1:]
    if row.endswith("|") and not row.endswith("\\|"):
        row = row[:-1]
    cells = re.split(r"(?<!\\)\|", row)
    return [cell.strip().replace("\\|", "|") for cell in cells]


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


_TIMELINE_COLUMNS = {
    "time": "time", "when": "time", "timestamp": "time", "time utc": "time", "date": "time",
    "event": "text", "description": "text", "what happened": "text", "what": "text",
    "text": "text", "action": "text", "activity": "text", "details": "text",
    "kind": "kind", "type": "kind", "category": "kind", "source": "source", "via": "source",
}  # fmt: skip
_ACTION_COLUMNS = {
    "id": "id", "#": "id", "action": "text", "action item": "text", "item": "text",
    "description": "text", "text": "text", "task": "text", "type": "type", "kind": "type",
    "owner": "owner", "team": "owner", "person": "person", "assignee": "person",
    "due": "due", "due date": "due", "deadline": "due", "status": "status", "state": "status",
    "factors": "factors", "addresses": "factors", "contributing factors": "factors",
    "tracker": "tracker", "ticket": "tracker", "issue": "tracker", "link": "tracker",
    "bug": "tracker", "tracking bug": "tracker", "tracking issue": "tracker",
    "tracking": "tracker",
}  # fmt: skip


def _header_map(cells: list[str], names: dict[str, str]) -> list[str | None]:
    """Name each column by its header; "Date (UTC)" is the date column, with its zone kept."""
    out = []
    for cell in cells:
        key = re.sub(r"[^a-z#& ]+", "", cell.lower()).strip()
        bare = re.sub(r"[^a-z#& ]+", "", re.sub(r"\([^()]*\)", "", cell.lower())).strip()
        out.append(names.get(key) or names.get(bare))
    return out


def _table_rows(
    lines: Sequence[str], block: Block
) -> tuple[list[str], list[tuple[int, list[str]]]]:
    header = split_cells(lines[block.start])
    rows = [
        (i, split_cells(lines[i])) for i in range(block.start + 2, block.end) if lines[i].strip()
    ]
    return header, rows


_ENUM_READERS: dict[type, dict[str, Any]] = {}


def _enum_value(enum: type, raw: str) -> Any:
    """Read an enum value leniently: case, spaces, hyphens and apostrophes do not matter."""
    table = _ENUM_READERS.setdefault(
        enum,
        {m.value.replace("_", ""): m for m in enum},  # type: ignore[attr-defined]
    )
    key = re.sub(r"[^a-z]", "", raw.lower())
    return table.get(key)


def _enum_problem(enum: type, raw: str, what: str, line: int, col: int) -> Problem:
    allowed = ", ".join(m.value for m in enum)  # type: ignore[attr-defined]
    return Problem(UNKNOWN_VALUE, line, col, f"{what} {raw!r} is not one of {allowed}")


def _cell_column(row_line: str, index: int) -> int:
    """Return the 1-based column where cell `index` of a table row starts."""
    pipes = [m.start() for m in re.finditer(r"(?<!\\)\|", row_line)]
    leading = row_line.lstrip().startswith("|")
    boundary = index if leading else index - 1
    if boundary < 0:
        return len(row_line) - len(row_line.lstrip()) + 1
    if boundary < len(pipes):
        return pipes[boundary] + 2
    return 1


_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]{0,6}\.?"
# A time as timelines write it at the start of an entry: "14:02 UTC", "2026-03-04 14:02",
# "2:02 PM", "04-03-2026 14:02", "June 14th, 2022, 10:00 AM", or a date alone; in bold,
# italics or code, then a dash, a colon or a space before the event's text.
_TIME_LEAD = re.compile(
    r"^(?:\*\*|__|\*|_|`)?(?P<time>"
    r"(?:(?:\d{4}-\d{2}-\d{2}|\d{4}/\d{2}/\d{2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{4}|"
    + _MONTH
    + r"\s\d{1,2}(?:st|nd|rd|th)?,?\s\d{4})(?:,?\s+|T|/))?"
    r"\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s?[AaPp]\.?[Mm]\.?(?![A-Za-z]))?"
    r"(?:\s*(?:Z|[+-]\d{2}:?\d{2}|UTC|GMT|[A-Z]{1,3}[SD]?T)(?![A-Za-z0-9]))?"
    r"|\d{4}-\d{2}-\d{2}(?![\d:])"
    r")(?:\*\*|__|\*|_|`)?(?:\s*(?:—|–|-|:)(?:\s+|$)|\s+|$)(?P<rest>.*)$"
)
_BULLET = re.compile(r"^(?:[-*+]|\d{1,9}[.)])\s+")


def _escape_bracket(text: str) -> str:
    """Escape a leading `[` so text is never read back as a `[category]` tag."""
    return "\\" + text if text.startswith("[") else text


def _unescape_bracket(text: str) -> str:
    return text[1:] if text.startswith("\\[") else text


_LIST_KIND = re.compile(r"^\[(?P<kind>[a-z_ ]+)\]\s+(?P<text>.*)$")
_VIA = re.compile(r"^(?P<text>.*?)\s+\(via (?P<source>[^()]+)\)$")


def _event(time: str, rest: str) -> TimelineEvent:
    """Make an event from a time and its text: "[kind] text (via source)"."""
    kind = None
    km = _LIST_KIND.match(rest)
    if km:
        kind = _enum_value(EventKind, km["kind"])
        if kind is not None:
            rest = km["text"]
    rest = _unescape_bracket(rest)
    source = None
    vm = _VIA.match(rest)
    if vm:
        rest, source = vm["text"], vm["source"]
    return TimelineEvent(time=time, text=rest, kind=kind, source=source)


def _list_events(lines: Sequence[str], block: Block) -> list[TimelineEvent] | None:
    """Read a list whose items start with a time; an item without one joins the event above."""
    events: list[TimelineEvent] = []
    untimed = 0
    for item_start, item_end in block.items:
        text = _item_text(lines, item_start, item_end)
        m = _TIME_LEAD.match(_BULLET.sub("", text, count=1))
        if m:
            events.append(_event(m["time"], m["rest"].strip()))
        elif events:
            untimed += 1
            last = events[-1]
            events[-1] = last.model_copy(update={"text": f"{last.text} {_BULLET.sub('', text)}"})
        else:
            return None
    return events if events and untimed <= len(events) else None


def _line_events(
    lines: Sequence[str], blocks: list[Block]
) -> tuple[int, int, list[TimelineEvent]] | None:
    """Read a run of paragraphs whose every line starts with a time ("2018-08-22, 03:26pm: …")."""
    events: list[TimelineEvent] = []
    first = last = -1
    for index, block in enumerate(blocks):
        if block.type != "paragraph":
            if events:
                break
            continue
        found: list[TimelineEvent] = []
        for number in range(block.start, block.end):
            m = _TIME_LEAD.match(lines[number].strip())
            if not m or not m["rest"].strip():
                found = []
                break
            found.append(_event(m["time"], m["rest"].strip()))
        if not found:
            if events:
                break
            continue
        if first < 0:
            first = index
        last = index
        events.extend(found)
    return (first, last, events) if events else None


def _heading_events(
    lines: Sequence[str], blocks: list[Block], end: int
) -> tuple[int, list[TimelineEvent]] | None:
    """Read one heading per time ("### 12:49 PM", "### 07:35 - Note pending pods").

    Where no heading gives a time, a heading per day with prose below it ("### 2019-12-06",
    as long incidents' write-ups tell each day) is one event per day.
    """
    heads = []
    days = []
    for block in blocks:
        if block.type == "heading":
            m = _TIME_LEAD.match(_heading_text(lines[block.start]))
            if m and ":" in m["time"]:
                heads.append((block, m))
            elif m and not m["rest"].strip():
                days.append((block, m))
    heads = heads or days
    if not heads:
        return None
    events = []
    for index, (block, m) in enumerate(heads):
        stop = heads[index + 1][0].start if index + 1 < len(heads) else end
        text = "\n\n".join(p for p in (m["rest"].strip(), _join(lines, block.end, stop)) if p)
        events.append(TimelineEvent(time=m["time"], text=text))
    return heads[0][0].start, events


def _read_timeline(
    lines: Sequence[str], blocks: list[Block], problems: list[Problem]
) -> tuple[str, list[TimelineEvent], Block] | None:
    for at, block in enumerate(blocks):
        if block.type == "table":
            header, rows = _table_rows(lines, block)
            columns = _header_map(header, _TIMELINE_COLUMNS)
            if "time" not in columns:
                continue
            events = []
            for line_index, cells in rows:
                values: dict[str, str] = {}
                for col, name in enumerate(columns):
                    if name and col < len(cells) and name not in values:
                        values[name] = cells[col]
                kind = None
                if values.get("kind"):
                    kind = _enum_value(EventKind, values["kind"])
                    if kind is None:
                        col = _cell_column(lines[line_index], columns.index("kind"))
                        problems.append(
                            _enum_problem(
                                EventKind, values["kind"], "event kind", line_index + 1, col
                            )
                        )
                events.append(
                    TimelineEvent(
                        time=values.get("time", ""),
                        text=values.get("text", ""),
                        kind=kind,
                        source=values.get("source") or None,
                    )
                )
            return "table", events, block
        if block.type in ("bullet_list", "ordered_list") and block.items:
            found = _list_events(lines, block)
            if found:
                return _more_list_events(lines, blocks[at + 1 :], found, block)
    return None


# What may stand between two lists of one timeline and belongs to the event above it: an
# image, a log excerpt, a quoted message, a line of prose.
_BETWEEN_EVENTS = frozenset({"paragraph", "html", "fence", "blockquote"})


def _more_list_events(
    lines: Sequence[str], rest: list[Block], events: list[TimelineEvent], first: Block
) -> tuple[str, list[TimelineEvent], Block]:
    """Read on past the first list of events: lists split by images or log blocks are one
    timeline, and what stands between them is kept with the event above it."""
    end = first.end
    events = list(events)
    between = 0  # blocks seen since the last list of events
    for block in rest:
        if block.type not in ("bullet_list", "ordered_list"):
            if block.type not in _BETWEEN_EVENTS:
                break
            between += 1
            continue
        more = _list_events(lines, block) if block.items else None
        if not more or not between:
            break
        if any(line[:1].isspace() for line in _nonblank(lines, end, block.start)):
            break  # an indented line would join the event's item when written back
        last = events[-1]
        text = f"{last.text}\n\n{_join(lines, end, block.start)}"
        events[-1] = last.model_copy(update={"text": text})
        events.extend(more)
        end, between = block.end, 0
    return "list", events, Block(first.type, first.start, end)


def _nonblank(lines: Sequence[str], start: int, end: int) -> list[str]:
    """Return the first line of each run of text between two line numbers."""
    out = []
    for number in range(start, end):
        if lines[number].strip() and (number == start or not lines[number - 1].strip()):
            out.append(lines[number])
    return out


# An id is a bold token holding a digit (`**CF1**`, `**2**`): a bold word ("**Monitoring**
# was slow") is the start of the factor's text, as other templates write a lead-in.
_FACTOR = re.compile(
    r"^(?:[-*+]|\d{1,9}[.)])\s+(?:\*\*(?P<id>[A-Za-z][A-Za-z_.-]{0,15}\d[\w.-]{0,15}|\d{1,9})\*\*(?:\s+|$))?"
    r"(?:\[(?P<cat>[A-Za-z ]+)\](?!\()\s*)?(?P<text>.*)$"
)
_ITEM_NUMBER = re.compile(r"^\s*(\d{1,9})[.)]")

# Labels other templates put before a factor ("1. Technical: …", "- **Process** — …"), read as
# the factor's category.
_CATEGORY_LABELS: dict[str, FactorCategory] = {}
for _category, _labels in {
    FactorCategory.TECHNICAL: "technical|technology|tech|software|code|infrastructure|hardware|"
    "system|systems|design|architecture|capacity|configuration|config|bug|platform",
    FactorCategory.PROCESS: "process|processes|procedure|procedural|release process|release|"
    "deployment|change management|operations|operational|review|testing process",
    FactorCategory.TOOLING: "tooling|tools|tool|automation|monitoring|alerting|observability|"
    "testing|ci|test coverage|instrumentation",
    FactorCategory.ORGANISATIONAL: "organisational|organizational|organisation|organization|"
    "people|staffing|resourcing|team|management|culture|human factors",
    FactorCategory.COMMUNICATION: "communication|communications|coordination",
    FactorCategory.KNOWLEDGE: "knowledge|documentation|docs|training|runbook|runbooks|skills",
    FactorCategory.EXTERNAL: "external|third party|vendor|upstream|dependency|dependencies|"
    "provider|environment|external dependency",
}.items():
    for _label in _labels.split("|"):
        _CATEGORY_LABELS[_label] = _category


def _category_label(text: str) -> tuple[FactorCategory | None, str]:
    """Read a leading category label ("Technical: …", "**Tooling** — …") off a factor's text."""
    for separator in (":", " — ", " – ", " - "):
        at = text.find(separator, 0, 48)
        if at > 0:
            label = text[:at].strip().strip("*_").strip().lower().replace("-", " ")
            category = _CATEGORY_LABELS.get(label)
            if category is not None:
                rest = text[at + len(separator) :].strip()
                return category, rest.removeprefix("**").removeprefix("__").strip() or text
            return None, text
    return None, text


def _list_numbers(lines: Sequence[str], block: Block) -> Iterator[str | None]:
    """Yield each item's number as the list shows it (an ordered list counts from its first)."""
    if block.type != "ordered_list" or not block.items:
        yield from (None for _ in block.items)
        return
    m = _ITEM_NUMBER.match(lines[block.items[0][0]])
    first = int(m.group(1)) if m else 1
    yield from (str(first + n) for n in range(len(block.items)))


def _item_text(lines: Sequence[str], item_start: int, item_end: int) -> str:
    first = lines[item_start].strip()
    return " ".join(
        t for t in (first, *(ln.strip() for ln in lines[item_start + 1 : item_end])) if t
    )


def _free_id(taken: set[str], preferred: str | None) -> str:
    """Return `preferred` when no factor has it yet, else the next `CF<n>` no factor has."""
    if preferred and preferred not in taken:
        return preferred
    number = len(taken) + 1
    while f"CF{number}" in taken:
        number += 1
    return f"CF{number}"


def _read_factors(
    lines: Sequence[str], block: Block, problems: list[Problem], taken: set[str]
) -> list[ContributingFactor]:
    """Read a bulleted or numbered list of factors; a numbered item's number is its id.

    Items without an id are numbered on from the factors read before (`taken`), so that a
    second list of factors never repeats the first one's ids.
    """
    factors = []
    numbers = _list_numbers(lines, block)
    for item_start, item_end in block.items:
        number = next(numbers)
        m = _FACTOR.match(_item_text(lines, item_start, item_end))
        if not m:
            continue
        text = _unescape_bracket(m["text"].strip())
        category = None
        if m["cat"]:
            category = _enum_value(FactorCategory, m["cat"])
            if category is None:
                col = lines[item_start].find("[" + m["cat"]) + 2
                problems.append(
                    _enum_problem(FactorCategory, m["cat"], "factor category", item_start + 1, col)
                )
        elif not m["id"]:
            category, text = _category_label(text)
        ident = m["id"] or _free_id(taken, number)
        taken.add(ident)
        factors.append(ContributingFactor(id=ident, text=text, category=category))
    return factors


def _ids_listed(lines: Sequence[str], blocks: list[Block]) -> bool:
    """Tell whether the first list among the blocks gives every item a bold id (`**CF2**`)."""
    for block in blocks:
        if block.type in ("bullet_list", "ordered_list"):
            return all(
                (m := _FACTOR.match(lines[start].strip())) is not None and m["id"] is not None
                for start, _end in block.items
            )
    return False


_MIN_FACTOR_WORDS = 4


def _paragraph_run(lines: Sequence[str], blocks: list[Block]) -> tuple[int, int, list[str]] | None:
    """Return the first run of paragraphs among the blocks (indexes and texts), when each says
    something (four words or more: not a placeholder or a lead-in line)."""
    first = next((i for i, b in enumerate(blocks) if b.type == "paragraph"), None)
    if first is None:
        return None
    last = first
    while last + 1 < len(blocks) and blocks[last + 1].type == "paragraph":
        last += 1
    texts = [_item_text(lines, b.start, b.end) for b in blocks[first : last + 1]]
    if any(len(t.split()) < _MIN_FACTOR_WORDS for t in texts):
        return None
    return first, last, texts


def _paragraph_factors(
    lines: Sequence[str], blocks: list[Block], taken: set[str]
) -> tuple[int, int, list[ContributingFactor]] | None:
    """Read a causes section written as prose: each paragraph of the first run is a factor."""
    run = _paragraph_run(lines, blocks)
    if run is None:
        return None
    first, last, texts = run
    factors = []
    for text in texts:
        category, rest = _category_label(text)
        ident = _free_id(taken, None)
        taken.add(ident)
        factors.append(
            ContributingFactor(id=ident, text=_unescape_bracket(rest), category=category)
        )
    return first, last, factors


def _read_actions(
    lines: Sequence[str], block: Block, problems: list[Problem], first: int = 1
) -> list[ActionItem] | None:
    header, rows = _table_rows(lines, block)
    columns = _header_map(header, _ACTION_COLUMNS)
    if "text" not in columns:
        return None
    items = []
    for number, (line_index, cells) in enumerate(rows, start=first):
        values: dict[str, tuple[str, int]] = {}
        for col, name in enumerate(columns):
            if name and col < len(cells) and name not in values:
                values[name] = (cells[col], _cell_column(lines[line_index], col))
        fields: dict[str, Any] = {
            "id": values.get("id", ("", 0))[0] or f"A{number}",
            "text": values.get("text", ("", 0))[0],
        }
        for name in ("owner", "person", "tracker"):
            if values.get(name, ("", 0))[0]:
                fields[name] = values[name][0]
        raw, col = values.get("type", ("", 0))
        if raw:
            fields["type"] = _enum_value(ActionType, raw)
            if fields["type"] is None:
                problems.append(_enum_problem(ActionType, raw, "action type", line_index + 1, col))
        raw, col = values.get("status", ("", 0))
        if raw:
            sm = re.match(r"^(?P<status>[^()]+?)\s*(?:\((?P<reason>.*)\))?$", raw)
            status = _enum_value(ActionStatus, sm["status"]) if sm else None
            if status is None:
                problems.append(
                    _enum_problem(ActionStatus, raw, "action status", line_index + 1, col)
                )
            else:
                fields["status"] = status
                if sm and sm["reason"]:
                    fields["reason"] = sm["reason"]
        raw, col = values.get("due", ("", 0))
        if raw:
            try:
                fields["due"] = date.fromisoformat(raw)
            except ValueError:
                problems.append(
                    Problem(
                        BAD_DATE,
                        line_index + 1,
                        col,
                        f"due date {raw!r} is not a date (YYYY-MM-DD)",
                    )
                )
        raw, _ = values.get("factors", ("", 0))
        if raw:
            fields["factors"] = [f for f in re.split(r"[,\s]+", raw) if f]
        items.append(ActionItem(**fields))
    return items


# A task-list box, a bold id and an owner tag in brackets at the start of an action list item:
# "- [ ] **A2** [SRE] Add an alert (owner: @kim, due 2026-03-01)".
_ACTION_ITEM = re.compile(
    r"^(?:[-*+]|\d{1,9}[.)])\s+(?:\[(?P<box>[ xX]?)\]\s*)?"
    r"(?:\*\*(?P<id>[A-Za-z][\w.-]*)\*\*\s+)?(?P<text>.*)$"
)
_OWNER_TAG = re.compile(r"^\[(?P<owner>[A-Z][A-Za-z0-9 +&/.-]{0,24})\]\s+(?P<text>.*)$")
_META_KEYS = {
    "owner": "owner", "owners": "owner", "team": "owner", "person": "person",
    "assignee": "person", "assigned to": "person", "due": "due", "due date": "due",
    "deadline": "due", "type": "type", "status": "status",
    "addresses": "factors", "factors": "factors", "factor": "factors", "tracker": "tracker",
    "ticket": "tracker", "issue": "tracker", "bug": "tracker", "link": "tracker",
}  # fmt: skip
# "OWNER: amirh@" written at the end of an item's text.
_OWNER_SUFFIX = re.compile(r"\s[-–—,]?\s*owners?:\s*(?P<owner>[^\s:]+)\s*$", re.IGNORECASE)


def _meta_piece(piece: str) -> tuple[str, str] | None:
    """Split "owner: @kim" or "due 2026-03-01" into a known field name and its value."""
    key, colon, value = piece.partition(":")
    if not colon:
        key, _, value = piece.partition(" ")
    name = _META_KEYS.get(key.strip().lower())
    value = value.strip()
    return (name, value) if name and value else None


def _trailing_group(text: str) -> tuple[str, str] | None:
    """Split "text (inside)" at its last balanced parenthesised group, when it ends the text."""
    if not text.endswith(")"):
        return None
    depth = 0
    for at in range(len(text) - 1, -1, -1):
        if text[at] == ")":
            depth += 1
        elif text[at] == "(":
            depth -= 1
            if depth == 0:
                return text[:at].rstrip(), text[at + 1 : -1]
    return None


def _action_meta(inside: str) -> dict[str, str] | None:
    """Read "owner: @kim, due 2026-03-01" (or "; "-separated) into fields; None if not meta."""
    pieces = [p.strip() for p in (inside.split(";") if ";" in inside else inside.split(","))]
    found: dict[str, str] = {}
    for piece in pieces:
        if not piece:
            continue
        if _enum_value(ActionStatus, piece) is not None:
            found["status"] = piece
            continue
        known = _meta_piece(piece)
        if known is None:
            if "factors" in found and ";" not in inside:
                found["factors"] += ", " + piece  # "addresses: 1, 2"
                continue
            return None
        found[known[0]] = known[1]
    return found or None


def _action_from_item(
    text: str, number: int, line: int, problems: list[Problem]
) -> ActionItem | None:
    m = _ACTION_ITEM.match(text)
    if not m:
        return None
    fields: dict[str, Any] = {"id": m["id"] or f"A{number}"}
    body = m["text"].strip()
    if m["box"] is not None and m["box"] in "xX" and m["box"]:
        fields["status"] = ActionStatus.DONE
    tag = _OWNER_TAG.match(body)
    if tag and _enum_value(ActionType, tag["owner"]) is None:
        fields["owner"], body = tag["owner"], tag["text"]
    values: dict[str, str] = {}
    # "… OWNER: amirh@ (DONE)." ends its sentence after the bracket.
    group = _trailing_group(body[:-1] if body.endswith(").") else body)
    if group is not None:
        meta = _action_meta(group[1])
        if meta is not None:
            body, values = group[0], meta
    if "owner" not in values and "owner" not in fields:
        suffix = _OWNER_SUFFIX.search(body)
        if suffix:
            values["owner"], body = suffix["owner"], body[: suffix.start()].rstrip()
    fields["text"] = _unescape_bracket(body)
    for name in ("owner", "person", "tracker"):
        if values.get(name):
            fields[name] = values[name]
    if values.get("type"):
        fields["type"] = _enum_value(ActionType, values["type"])
        if fields["type"] is None:
            problems.append(_enum_problem(ActionType, values["type"], "action type", line, 1))
    if values.get("status"):
        sm = re.match(r"^(?P<status>[^()]+?)\s*(?:\((?P<reason>.*)\))?$", values["status"])
        status = _enum_value(ActionStatus, sm["status"]) if sm else None
        if status is None:
            problems.append(_enum_problem(ActionStatus, values["status"], "action status", line, 1))
        else:
            fields["status"] = status
            if sm and sm["reason"]:
                fields["reason"] = sm["reason"]
    if values.get("due"):
        try:
            fields["due"] = date.fromisoformat(values["due"])
        except ValueError:
            problems.append(
                Problem(BAD_DATE, line, 1, f"due date {values['due']!r} is not a date (YYYY-MM-DD)")
            )
    if values.get("factors"):
        fields["factors"] = _factor_refs(values["factors"])
    return ActionItem(**fields)


def _factor_refs(raw: str) -> list[str]:
    """Split an "addresses" value: "CF1, CF2", "CF1 CF2", "1 and 2", "#1", "Tooling"."""
    refs: list[str] = []
    for piece in re.split(r"[,;/&]|\band\b", raw):
        piece = piece.strip().lstrip("#").strip()
        if not piece:
            continue
        words = piece.split()
        # "CF1 CF2" is two ids; "Slow rollback" is one name.
        if len(words) > 1 and all(any(c.isdigit() for c in w) for w in words):
            refs.extend(w.lstrip("#") for w in words)
        else:
            refs.append(piece)
    return refs


def _read_action_list(
    lines: Sequence[str], block: Block, problems: list[Problem], first: int = 1
) -> list[ActionItem]:
    """Read action items written as a bulleted, numbered or task list, one item each."""
    items = []
    for number, (item_start, item_end) in enumerate(block.items, start=first):
        item = _action_from_item(
            _item_text(lines, item_start, item_end), number, item_start + 1, problems
        )
        if item is not None:
            items.append(item)
    return items


def _meta_value(value: str) -> str:
    return value.replace(";", ",")


def render_action_item(item: ActionItem) -> str:
    """Render one action item as a task-list line with its fields in brackets after the text."""
    box = "x" if item.status is ActionStatus.DONE else " "
    ident = f"**{item.id}** "
    meta = []
    for key, value in (
        ("owner", item.owner), ("person", item.person),
        ("due", item.due.isoformat() if item.due else None),
        ("type", item.type.value if item.type else None),
        ("status", None if item.status in (ActionStatus.OPEN, ActionStatus.DONE) and not item.reason
         else item.status.value + (f" ({item.reason})" if item.reason else "")),
        ("addresses", ", ".join(item.factors) or None), ("tracker", item.tracker),
    ):  # fmt: skip
        if value:
            meta.append(f"{key}: {_meta_value(value)}")
    text = _escape_bracket(item.text)
    suffix = f" ({'; '.join(meta)})" if meta else ""
    return f"- [{box}] {ident}{text}{suffix}"


_LINK_ITEM = re.compile(r"^[-*+]\s+\[(?P<title>[^\]]*)\]\((?P<url>[^()\s]*)\)\s*$")
_WHY_HEADING = re.compile(r"^(?:five|5)\s+whys\b\s*:?\s*(?P<title>.*)$", re.IGNORECASE)


def _read_links(lines: Sequence[str], block: Block) -> list[Link] | None:
    links = []
    for item_start, item_end in block.items:
        if item_end - item_start > 1 and any(
            lines[i].strip() for i in range(item_start + 1, item_end)
        ):
            return None
        m = _LINK_ITEM.match(lines[item_start].strip())
        if not m:
            return None
        links.append(Link(title=m["title"], url=m["url"]))
    return links


def _asks_why(lines: Sequence[str], block: Block) -> bool:
    """Tell whether a list of three or more items is a five-whys chain ("1. Why did …?")."""
    starts = [
        re.sub(r"^(?:\d+[.)]|[-*+])\s+", "", lines[a].strip()).lstrip("*_").lower()
        for a, _ in block.items
    ]
    return len(starts) >= 3 and sum(s.startswith("why") for s in starts) * 2 > len(starts)


def _read_chains(
    lines: Sequence[str], blocks: list[Block], start_index: int
) -> tuple[list[WhyChain], int]:
    """Read consecutive `### Five whys: …` headings each followed by an ordered list."""
    chains = []
    index = start_index
    while index + 1 < len(blocks):
        heading, answers = blocks[index], blocks[index + 1]
        if heading.type != "heading" or answers.type != "ordered_list":
            break
        m = _WHY_HEADING.match(lines[heading.start].lstrip("#").strip())
        if not m:
            break
        texts = []
        for item_start, item_end in answers.items:
            first = re.sub(r"^\d+[.)]\s+", "", lines[item_start].strip())
            rest = [ln.strip() for ln in lines[item_start + 1 : item_end] if ln.strip()]
            texts.append(" ".join([first, *rest]))
        chains.append(WhyChain(title=m["title"], answers=texts))
        index += 2
    return chains, index


def _action_section(
    common: dict[str, Any], lines: Sequence[str], start: int, end: int, blocks: list[Block],
    problems: list[Problem], first: int,
) -> ActionItemsSection:  # fmt: skip
    """Build an action section from its first table or list, else its paragraphs."""
    for block in blocks:
        items = None
        if block.type == "table":
            items = _read_actions(lines, block, problems, first)
        elif block.type in ("bullet_list", "ordered_list"):
            items = _read_action_list(lines, block, problems, first) or None
        if items is not None:
            return ActionItemsSection(
                **common,
                style="table" if block.type == "table" else "list",
                items=items,
                body=_join(lines, start, block.start),
                after=_join(lines, block.end, end),
            )
    run = _paragraph_run(lines, blocks)
    if run is not None:
        # Follow-ups written as paragraphs ("Add an alert on … (Done)"): one item each.
        at, last, texts = run
        read = [_action_from_item(f"- {t}", n, blocks[at].start + 1, problems)
                for n, t in enumerate(texts, start=first)]  # fmt: skip
        return ActionItemsSection(
            **common,
            style="list",
            items=[a for a in read if a is not None],
            body=_join(lines, start, blocks[at].start),
            after=_join(lines, blocks[last].end, end),
        )
    return ActionItemsSection(**common, body=_join(lines, start, end))


@dataclass
class _Reading:
    """What the sections read so far tell the ones after them."""

    taken: set[str] = field(default_factory=set)  # factor ids
    listed: bool = False  # factors were read from a list
    actions: int = 0  # action items read, so a second list's A1 is numbered on (A4, A5 …)


def _build_section(
    kind: SectionKind, heading: str, level: int, lines: Sequence[str], start: int, end: int,
    blocks: list[Block], problems: list[Problem], reading: _Reading, *, prose: bool = True,
) -> Section:  # fmt: skip
    """Build one section from its body lines [start, end) and the blocks inside them.

    `prose` lets a causes section written as paragraphs give one factor per paragraph.
    """
    common = {"heading": heading, "level": level}
    if kind == SectionKind.TIMELINE:
        found = _read_timeline(lines, blocks, problems)
        if found:
            style, events, block = found
            events = _on_day(heading, events)
            return TimelineSection(
                **common,
                style=style,
                events=events,
                body=_join(lines, start, block.start),
                after=_join(lines, block.end, end),
            )
        by_line = _line_events(lines, blocks)
        if by_line:
            first, last, events = by_line
            events = _on_day(heading, events)
            return TimelineSection(
                **common,
                style="list",
                events=events,
                body=_join(lines, start, blocks[first].start),
                after=_join(lines, blocks[last].end, end),
            )
        by_heading = _heading_events(lines, blocks, end)
        if by_heading:
            first_line, events = by_heading
            return TimelineSection(
                **common, style="headings", events=events, body=_join(lines, start, first_line)
            )
        return TimelineSection(**common, body=_join(lines, start, end))
    if kind == SectionKind.CONTRIBUTING_FACTORS:
        for block in blocks:
            if block.type in ("bullet_list", "ordered_list"):
                factors = _read_factors(lines, block, problems, reading.taken)
                reading.listed = reading.listed or bool(factors)
                return FactorsSection(
                    **common,
                    factors=factors,
                    body=_join(lines, start, block.start),
                    after=_join(lines, block.end, end),
                )
        by_paragraph = _paragraph_factors(lines, blocks, reading.taken) if prose else None
        if by_paragraph:
            first, last, factors = by_paragraph
            return FactorsSection(
                **common,
                factors=factors,
                body=_join(lines, start, blocks[first].start),
                after=_join(lines, blocks[last].end, end),
            )
        return FactorsSection(**common, body=_join(lines, start, end))
    if kind == SectionKind.ACTION_ITEMS:
        section = _action_section(common, lines, start, end, blocks, problems, reading.actions + 1)
        reading.actions += len(section.items)
        return section
    if kind == SectionKind.LINKS:
        for block in blocks:
            if block.type == "bullet_list":
                links = _read_links(lines, block)
                if links is not None:
                    return LinksSection(
                        **common,
                        links=links,
                        body=_join(lines, start, block.start),
                        after=_join(lines, block.end, end),
                    )
        return LinksSection(**common, body=_join(lines, start, end))
    if kind == SectionKind.ANALYSIS:
        whys = _WHY_HEADING.match(heading) or heading_key(heading) in ("whys", "the whys")
        if not any(b.type == "heading" for b in blocks):
            # "## Five whys" with its answers as a list straight under it (Atlassian's layout),
            # or a list whose items ask "Why …?" (GitLab's root cause analysis).
            for block in blocks:
                if block.type in ("ordered_list", "bullet_list") and (
                    whys or _asks_why(lines, block)
                ):
                    answers = [re.sub(r"^(?:\d+[.)]|[-*+])\s+", "", _item_text(lines, a, b))
                               for a, b in block.items]  # fmt: skip
                    return AnalysisSection(
                        **common,
                        chains=[WhyChain(title="", answers=answers)],
                        body=_join(lines, start, block.start),
                        after=_join(lines, block.end, end),
                    )
        for index, block in enumerate(blocks):
            chains, stop = _read_chains(lines, blocks, index)
            if chains:
                chain_end = blocks[stop - 1].end
                return AnalysisSection(
                    **common,
                    chains=chains,
                    body=_join(lines, start, block.start),
                    after=_join(lines, chain_end, end),
                )
        return AnalysisSection(**common, body=_join(lines, start, end))
    return TextSection(kind=kind, **common, body=_join(lines, start, end))


_DAY_HEADING = re.compile(r"^[*_]{0,2}(?P<day>\d{4}-\d{2}-\d{2})[*_]{0,2}$")
_BARE_TIME = re.compile(r"^[*_`]{0,2}\d{1,2}:\d{2}")


def _on_day(heading: str, events: list[TimelineEvent]) -> list[TimelineEvent]:
    """Date the bare times of a timeline told one day per heading ("### 2026-02-05", then
    "- 14:05 — …"), so that days read in order and durations span them."""
    day = _DAY_HEADING.match(heading.strip())
    if day is None:
        return events
    return [
        e.model_copy(update={"time": f"{day['day']} {e.time}"}) if _BARE_TIME.match(e.time) else e
        for e in events
    ]


def _factor_name(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def resolve_reference(ref: str, factors: Sequence[ContributingFactor]) -> str | None:
    """Return the id of the factor an action's reference names: by id, number or name.

    "2" is the second factor when no factor has the id "2"; "CF2" is the factor numbered 2
    in a numbered list; a name ("Tooling", "Slow rollback") is the one factor whose category
    or text it starts. None when no factor, or more than one, fits.
    """
    ids = [f.id for f in factors]
    if ref in ids:
        return ref
    digits = ref.lstrip("#")
    if not digits.isdigit() and all(i.isdigit() for i in ids):
        # "CF2" written against a numbered list of factors.
        tail = re.fullmatch(r"[A-Za-z]{1,4}-?(\d{1,4})", ref)
        digits = tail.group(1) if tail else ""
    if digits.isdigit():
        number = int(digits)
        return ids[number - 1] if 1 <= number <= len(ids) else None
    name = _factor_name(ref)
    if not name or any(c.isdigit() for c in name):
        return None
    fits = [
        f.id for f in factors
        if (f.category is not None and f.category.value == name)
        or _factor_name(f.text).startswith(name)
    ]  # fmt: skip
    return fits[0] if len(fits) == 1 else None


def _resolve_references(sections: list[Section]) -> list[Section]:
    """Point each action's factor references at the factors' ids (numbers and names too)."""
    factors = [f for s in sections if isinstance(s, FactorsSection) for f in s.factors]
    if not factors:
        return sections
    known = {f.id for f in factors}
    out: list[Section] = []
    for section in sections:
        if isinstance(section, ActionItemsSection) and any(a.factors for a in section.items):
            items = []
            for item in section.items:
                refs = [r if r in known else resolve_reference(r, factors) or r
                        for r in item.factors]  # fmt: skip
                items.append(item.model_copy(update={"factors": list(dict.fromkeys(refs))})
                             if refs != item.factors else item)  # fmt: skip
            section = section.model_copy(update={"items": items})
        out.append(section)
    return out


# --- parse ------------------------------------------------------------------------------


def _decode(data: bytes | str) -> tuple[str, Problem | None]:
    if isinstance(data, str):
        text = data
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
            return "", Problem(
                NOT_TEXT, line, col, f"file is not UTF-8 text (byte 0x{data[exc.start]:02x})"
            )
    if "\x00" in text:
        index = text.index("\x00")
        line = text.count("\n", 0, index) + 1
        return "", Problem(NOT_TEXT, line, 1, "file holds binary data (a NUL byte), not text")
    return text.lstrip("\ufeff"), None


def parse_text(
    data: bytes | str, *, aliases: Mapping[str, SectionKind] | None = None
) -> ParsedText:
    """Read Markdown into a postmortem, collecting problems instead of raising.

    `aliases` maps the organisation's own section headings onto kinds (see `heading_kind`).
    """
    text, problem = _decode(data)
    problems: list[Problem] = [problem] if problem else []
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines: Sequence[str]
    if len(text) > LINE_VIEW_ABOVE_CHARS:
        lines = LineView(text)  # shares the caller's string when it has no carriage returns
    else:
        lines = text.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
    del text

    fields: dict[str, Any] = {}
    extra: dict[str, object] = {}
    key_lines: dict[str, int] = {}
    body_start = 0
    fm = _split_front_matter(lines)
    if fm is None and lines and lines[0].rstrip() == "---":
        problems.append(
            Problem(UNREADABLE_FRONT_MATTER, 1, 1, "front matter opened with '---' is never closed")
        )
    if fm is not None:
        fields, extra, key_lines = _read_front_matter(lines, fm[0], fm[1], problems)
        body_start = fm[1] + 1

    blocks, prose = _tokenise(lines, body_start)
    outline = _outline(lines, blocks, aliases)
    if outline is not None:
        # The whole postmortem is one numbered list whose items name its sections: read it as
        # the headings and sections it stands for, line for line.
        lines = outline
        blocks, prose = _tokenise(lines, body_start)
    headings = [b for b in blocks if b.type == "heading"]

    # The title: a level-1 heading before any other heading (or front matter's `title`).
    title = str(fields.pop("title", "") or "")
    title_block = None
    # A level-1 heading names the postmortem, unless the front matter already does and the
    # heading names a section (a blog post's "# Timeline").
    if (
        headings
        and headings[0].level == 1
        and not (
            title
            and heading_kind(_heading_text(lines[headings[0].start]), aliases) != SectionKind.OTHER
        )
    ):
        title_block = headings[0]
        title = _heading_text(lines[title_block.start])
        headings = headings[1:]

    # Section level: the level of the first heading after the title; deeper headings start a
    # section only when they name a section nofault knows (templates nest "What went well").
    section_level = headings[0].level if headings else 2
    # A nested heading of a kind already seen stays inside its section ("End User Impact"
    # under "Impact"), so templates never read as having duplicated sections.
    starts: list[tuple[Block, str, SectionKind]] = []
    seen: set[SectionKind] = set()
    parent = SectionKind.OTHER  # the kind of the section a deeper heading sits in
    for h in headings:
        text_of = _heading_text(lines[h.start])
        kind = heading_kind(text_of, aliases)
        if h.level > section_level and _groups(parent, kind, text_of, lines, blocks, h):
            # A sub-heading that groups what its section lists ("### Prevention" under the
            # action items, "### 2019-12-11" under the timeline) is one more section of it.
            starts.append((h, text_of, parent))
            continue
        if (
            kind in seen
            and kind in _READ_ONCE
            and heading_key(text_of) != heading_key(CANONICAL_HEADINGS[kind])
        ):
            # Templates split what nofault reads as one section ("Overview" then "What
            # happened", "Response" then "Recovery"): the second is kept as written, not as a
            # repeat of the first.
            kind = SectionKind.OTHER
        nested_known = kind != SectionKind.OTHER and kind not in seen and h.level <= 4
        if h.level <= section_level or nested_known:
            starts.append((h, text_of, kind))
            seen.add(kind)
        if h.level <= section_level:
            parent = kind

    preamble_start = title_block.end if title_block else body_start
    preamble_end = starts[0][0].start if starts else len(lines)
    sections: list[Section] = []
    spans: list[tuple[int, int, int]] = []
    reading = _Reading()
    went_wrong: list[tuple[int, Block, str, int, list[Block]]] = []
    cursor = 0  # blocks are in document order: walk them once across all sections
    for index, (h, text_of, kind) in enumerate(starts):
        end = starts[index + 1][0].start if index + 1 < len(starts) else len(lines)
        while cursor < len(blocks) and blocks[cursor].start < h.end:
            cursor += 1
        inner = []
        while cursor < len(blocks) and blocks[cursor].end <= end:
            inner.append(blocks[cursor])
            cursor += 1
        if kind in (SectionKind.WENT_WRONG, SectionKind.ANALYSIS):
            went_wrong.append((index, h, text_of, end, inner))
        sections.append(
            _build_section(kind, text_of, h.level, lines, h.end, end, inner, problems, reading)
        )
        spans.append((h.start, end, h.start))
    # Templates that list no causes (PagerDuty's) keep them in "What didn't go so well", or
    # list them under "Root cause analysis": that list is read as factors then, and whenever
    # its items carry factor ids (as the canonical form writes them), so that a round trip
    # reads the same factors. An analysis with five-whys chains keeps them.
    # Where no factors are listed, a template's "What didn't work" in prose gives a factor a
    # paragraph, as a causes section in prose does.
    causes = any(isinstance(s, FactorsSection) for s in sections)
    for index, h, text_of, end, inner in went_wrong:
        built = sections[index]
        # nofault's own "What went wrong" and "Analysis" keep their meaning beside a causes
        # section, and prose under them is never read as causes.
        canonical = heading_key(text_of) == heading_key(CANONICAL_HEADINGS[built.kind])
        # The SRE book's lessons ("### What went wrong" under "## Lessons learned") list the
        # conditions beyond the root cause: they are factors beside the causes section.
        lessons = (
            h.level > section_level
            and built.kind == SectionKind.WENT_WRONG
            and _parent_kind(sections, index, section_level) == SectionKind.LESSONS
        )
        if not lessons and (
            (canonical and causes) or (reading.listed and not _ids_listed(lines, inner))
        ):
            continue
        if isinstance(built, AnalysisSection) and built.chains:
            continue
        by_paragraph = not reading.listed and not canonical and built.kind == SectionKind.WENT_WRONG
        section = _build_section(SectionKind.CONTRIBUTING_FACTORS, text_of, h.level, lines, h.end,
                                 end, inner, problems, reading, prose=by_paragraph)  # fmt: skip
        if isinstance(section, FactorsSection) and section.factors:
            sections[index] = section
    sections = _resolve_references(sections)
    known = any(s.kind != SectionKind.OTHER for s in sections)
    postmortem = Postmortem(
        **fields,
        title=title,
        extra=extra,
        sections=sections,
        preamble=_join(lines, preamble_start, preamble_end),
    )
    return ParsedText(
        lines=lines,
        postmortem=postmortem,
        problems=problems,
        has_front_matter=fm is not None,
        is_postmortem=fm is not None or known or bool(lines and lines[0].rstrip() == "---"),
        body_start=body_start,
        blocks=blocks,
        prose=prose,
        section_spans=spans,
        front_matter_lines=key_lines,
        title_line=title_block.start if title_block else None,
        outline=outline is not None,
    )


# Sections whose content other layouts split under sub-headings: action items by type or
# horizon ("### Prevention", "### Short-term"), the timeline by day or phase ("### Day 2"),
# causes by kind ("### Technical"). Every group is read, not only the first.
_GROUPED = frozenset(
    {SectionKind.TIMELINE, SectionKind.ACTION_ITEMS, SectionKind.CONTRIBUTING_FACTORS}
)
# Known headings that name a group of action items by what the items do (the SRE book's and
# Flutter's action tables under Detection, Mitigation, Prevention, Process ...); a sub-heading
# of its section's own kind ("### Prevention" under the action items) is a group as well.
_ACTION_GROUP_KINDS = frozenset({SectionKind.DETECTION, SectionKind.RESOLUTION})


def _own_blocks(blocks: Sequence[Block], heading: Block) -> list[Block]:
    """Return the blocks after a heading, up to the next heading."""
    own = []
    for index in range(bisect_left(blocks, heading.start, key=_block_start) + 1, len(blocks)):
        if blocks[index].type == "heading":
            break
        own.append(blocks[index])
    return own


def _block_start(block: Block) -> int:
    return block.start


def _groups(
    parent: SectionKind, kind: SectionKind, heading: str, lines: Sequence[str],
    blocks: Sequence[Block], block: Block,
) -> bool:  # fmt: skip
    """Tell whether a sub-heading holds one more group of its section's list or timeline."""
    if parent not in _GROUPED:
        return False
    if kind not in (SectionKind.OTHER, parent) and not (
        parent == SectionKind.ACTION_ITEMS and kind in _ACTION_GROUP_KINDS
    ):
        return False
    if parent == SectionKind.TIMELINE:
        stamp = _TIME_LEAD.match(heading.strip().strip("*_"))
        if stamp and ":" in stamp["time"]:
            return False  # "### 12:49 PM": an event, read by the timeline it is in
    own = _own_blocks(blocks, block)
    if parent == SectionKind.TIMELINE:
        return _read_timeline(lines, own, []) is not None or _line_events(lines, own) is not None
    lists = [b for b in own if b.type in ("bullet_list", "ordered_list") and b.items]
    if parent == SectionKind.CONTRIBUTING_FACTORS:
        return bool(lists)
    return bool(lists) or any(
        b.type == "table" and _read_actions(lines, b, []) is not None for b in own
    )


_OUTLINE_ITEM = re.compile(r"^(?P<marker>\d{1,2}[.)]\s+)(?P<name>\S.*?)\s*$")


def _outline(
    lines: Sequence[str], blocks: Sequence[Block], aliases: Mapping[str, SectionKind] | None
) -> list[str] | None:
    """Return the lines of a postmortem written as one numbered list of its sections, with each
    item's first line made the heading it names and the item's lines moved out of the list;
    None for any other document.

    Such a document (a team's template kept as "1. Incident Date", "2. Incident Summary", …
    with the content as nested bullets) has no heading below its title, and three or more of
    its list's items name a section nofault knows on a line of their own.
    """
    if not isinstance(lines, list) or any(b.type == "heading" and b.level > 1 for b in blocks):
        return None
    lists = [b for b in blocks if b.type == "ordered_list"]
    if len(lists) != 1:
        return None
    items = []
    for start, end in lists[0].items:
        m = _OUTLINE_ITEM.match(lines[start])
        if m is None or len(m["name"].split()) > 6:
            return None
        items.append((start, end, m))
    known = sum(heading_kind(m["name"], aliases) != SectionKind.OTHER for _s, _e, m in items)
    if known < 3:
        return None
    out = list(lines)
    for start, end, m in items:
        out[start] = f"## {m['name']}"
        indent = " " * len(m["marker"])
        for number in range(start + 1, end):
            out[number] = out[number].removeprefix(indent)
    return out


def outline_item(rendered: str, number: int) -> str:
    """Write a rendered section back as the numbered item it was read from ("3. Authors")."""
    heading, _, rest = rendered.partition("\n")
    marker = f"{number}. "
    pad = " " * len(marker)
    body = "\n".join(pad + ln if ln.strip() else "" for ln in rest.split("\n"))
    return f"{marker}{heading.lstrip('#').strip()}" + (f"\n{body}" if rest else "")


# Prose sections only the first of which is read; a second one by another name is "other".
_READ_ONCE = frozenset(
    {SectionKind.SUMMARY, SectionKind.IMPACT, SectionKind.DETECTION, SectionKind.TRIGGER,
     SectionKind.RESOLUTION, SectionKind.COMMUNICATION, SectionKind.LESSONS}
)  # fmt: skip


def _parent_kind(sections: list[Section], index: int, section_level: int) -> SectionKind:
    """Return the kind of the top-level section a nested section sits in."""
    for before in range(index - 1, -1, -1):
        if sections[before].level <= section_level:
            return sections[before].kind
    return SectionKind.OTHER


def not_postmortem_reason(parsed: ParsedText) -> str:
    """Say in one line why a text was not read as a postmortem (empty when it was)."""
    if parsed.is_postmortem:
        return ""
    headings = [_heading_text(parsed.lines[b.start]) for b in parsed.blocks
                if b.type == "heading" and b.start != parsed.title_line]  # fmt: skip
    if not headings:
        paragraphs = sum(1 for b in parsed.blocks if b.type == "paragraph")
        return (
            f"no front matter and no section heading: {_count(paragraphs, 'paragraph')} of "
            "prose, so no section can be read; give it '## ' headings (Summary, Contributing "
            "factors, Action items) or front matter"
        )
    named = ", ".join(f"'{h}'" for h in headings[:4]) + (", …" if len(headings) > 4 else "")
    return (
        f"no front matter, and none of its {_count(len(headings), 'heading')} ({named}) names "
        "a postmortem section nofault knows; map them in [tool.nofault.headings]"
    )


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'s' * (n != 1)}"


def _heading_text(line: str) -> str:
    text = line.strip().lstrip("#").strip()
    return re.sub(r"\s+#+\s*$", "", text)


def parse(text: str | bytes) -> Postmortem:
    """Read Markdown into a postmortem (problems are ignored; use `parse_text` to see them)."""
    return parse_text(text).postmortem


# --- render -----------------------------------------------------------------------------


def _yaml_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value
    if isinstance(value, dict):
        return {k: _yaml_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_yaml_value(v) for v in value]
    if hasattr(value, "value"):  # enums
        return value.value
    return value


class _Dumper(yaml.SafeDumper):
    """SafeDumper that indents list items under their key."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def render_front_matter(pm: Postmortem) -> str:
    """Render the metadata block in canonical key order, leaving out empty values."""
    data: dict[str, Any] = {}
    dumped = pm.model_dump(mode="python", exclude={"sections", "extra", "title", "preamble"})
    for key in _FM_KEYS:
        if key == "title":
            continue
        value = dumped.get(key)
        if key == "impact":
            value = {k: v for k, v in (value or {}).items() if v is not None}
        if key in ("status", "review_level") or value not in (None, [], {}, ""):
            data[key] = _yaml_value(value)
    data.update({k: _yaml_value(v) for k, v in pm.extra.items()})
    body = yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=1000,
    )
    return f"---\n{body}---\n"


_TIMELINE_HEADER = "| Time | Event | Kind | Source |\n| --- | --- | --- | --- |"
_ACTION_HEADER = (
    "| ID | Action | Type | Owner | Person | Due | Status | Factors | Tracker |\n"
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
)


def _render_structure(section: Section) -> str:
    if isinstance(section, TimelineSection):
        if section.style == "headings":
            mark = "#" * min(section.level + 1, 6)
            return "\n\n".join(
                f"{mark} {e.time}" + (f"\n\n{e.text}" if e.text else "") for e in section.events
            )
        if section.style == "list":
            out = []
            for e in section.events:
                kind = f"[{e.kind.value}] " if e.kind else ""
                via = f" (via {e.source})" if e.source else ""
                # An event that carries an image or a log block below its line is set apart
                # by blank lines, so the block ends before the next event's item.
                head, below, tail = e.text.partition("\n")
                line = f"- {e.time} — {kind}{_escape_bracket(head)}{via}"
                out.append(f"\n{line}\n{tail}\n" if below else line)
            return "\n".join(out).replace("\n\n\n", "\n\n").strip("\n")
        rows = [
            f"| {_cell(e.time)} | {_cell(e.text)} | {e.kind.value if e.kind else ''} | "
            f"{_cell(e.source or '')} |"
            for e in section.events
        ]
        return "\n".join([_TIMELINE_HEADER, *rows]) if section.events else ""
    if isinstance(section, FactorsSection):
        return "\n".join(
            f"- **{f.id}** "
            + (f"[{f.category.value}] " if f.category else "")
            + _escape_bracket(f.text)
            for f in section.factors
        )
    if isinstance(section, ActionItemsSection):
        if not section.items:
            return ""
        if section.style == "list":
            return "\n".join(render_action_item(a) for a in section.items)
        rows = []
        for a in section.items:
            status = a.status.value + (f" ({a.reason})" if a.reason else "")
            cells = [
                a.id, a.text, a.type.value if a.type else "", a.owner or "", a.person or "",
                a.due.isoformat() if a.due else "", status, ", ".join(a.factors), a.tracker or "",
            ]  # fmt: skip
            rows.append("| " + " | ".join(_cell(c) for c in cells) + " |")
        return "\n".join([_ACTION_HEADER, *rows])
    if isinstance(section, LinksSection):
        return "\n".join(f"- [{lk.title}]({lk.url})" for lk in section.links)
    if isinstance(section, AnalysisSection):
        parts = []
        for chain in section.chains:
            title = f"Five whys: {chain.title}" if chain.title else "Five whys"
            answers = "\n".join(f"{n}. {a}" for n, a in enumerate(chain.answers, start=1))
            parts.append(
                f"{'#' * (section.level + 1)} {title}" + (f"\n\n{answers}" if answers else "")
            )
        return "\n\n".join(parts)
    return ""


def render_section(section: Section) -> str:
    """Render one section: heading, text before, structured part, text after."""
    parts = [f"{'#' * section.level} {section.heading}"]
    for part in (section.body, _render_structure(section), getattr(section, "after", "")):
        if part:
            parts.append(part)
    return "\n\n".join(parts)


def render(pm: Postmortem) -> str:
    """Render a postmortem as canonical Markdown."""
    parts = [render_front_matter(pm).rstrip("\n")]
    if pm.title:
        parts.append(f"# {pm.title}")
    if pm.preamble:
        parts.append(pm.preamble)
    parts.extend(render_section(s) for s in pm.sections)
    return "\n\n".join(parts) + "\n"


def iter_sections(parsed: ParsedText) -> Iterable[tuple[Section, tuple[int, int, int]]]:
    """Yield each section with its line span (0-based start, exclusive end, heading line)."""
    return zip(parsed.postmortem.sections, parsed.section_spans, strict=True)
