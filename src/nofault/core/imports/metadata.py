"""Front matter read from what an imported page states: title, date, severity, services, authors.

Nothing is invented: a value goes into the front matter only when the source's own metadata
or the text states it, and every value taken from the text is listed under `inferred:`. A
value that is stated but cannot be used (a severity of "High", two different severities) is
reported, never dropped silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import PurePosixPath

import yaml

from nofault.core.document import DEFAULT_SEVERITIES, SectionKind
from nofault.core.markdown import parse_text

_MONTHS = {
    "jan": 1, "january": 1, "januar": 1, "janvier": 1,
    "feb": 2, "february": 2, "februar": 2, "fevrier": 2,
    "mar": 3, "march": 3, "märz": 3, "maerz": 3, "mars": 3,
    "apr": 4, "april": 4, "avril": 4,
    "may": 5, "mai": 5,
    "jun": 6, "june": 6, "juni": 6, "juin": 6,
    "jul": 7, "july": 7, "juli": 7, "juillet": 7,
    "aug": 8, "august": 8, "aout": 8,
    "sep": 9, "sept": 9, "september": 9, "septembre": 9,
    "oct": 10, "october": 10, "okt": 10, "oktober": 10, "octobre": 10,
    "nov": 11, "november": 11, "novembre": 11,
    "dec": 12, "december": 12, "dez": 12, "dezember": 12, "decembre": 12,
}  # fmt: skip

# Each pattern is anchored by fixed digits and separators, so matching stays linear.
_ISO = re.compile(r"(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")
_DOTTED = re.compile(r"(?<!\d)(\d{1,2})\.(\d{1,2})\.(\d{4})(?!\d)")
_SLASHED = re.compile(r"(?<!\d)(\d{1,2})/(\d{1,2})/(\d{4})(?!\d)")
_ORDINALS = ("st", "nd", "rd", "th", "of")
_TOKEN = re.compile(r"\d+|[^\W\d_]+")
_SEVERITY = re.compile(r"(?<![A-Za-z0-9])sev(?:erity)?[ _-]?([0-9])(?![0-9])", re.IGNORECASE)

_DATE_KEYS = {
    "date", "incident date", "date of incident", "incident date and time", "date and time",
    "postmortem date", "post mortem date", "report date", "event date", "outage date",
    "incident start", "start date", "created", "created on", "date created", "created date",
    "written on", "occurred", "occurred on", "date of the incident", "incident date time",
    "date time", "when", "day", "incident started", "start time", "started",
}  # fmt: skip
_SEVERITY_KEYS = {
    "severity", "sev", "incident severity", "severity level", "impact level", "incident level",
}  # fmt: skip
_SERVICE_KEYS = {
    "service", "services", "affected service", "affected services", "services affected",
    "impacted services", "services impacted", "affected systems", "systems affected",
    "affected components", "components affected", "components", "affected products",
}  # fmt: skip
_AUTHOR_KEYS = {
    "author", "authors", "written by", "prepared by", "postmortem owner", "post mortem owner",
    "postmortem author", "report author", "document owner", "owner", "owners",
}  # fmt: skip

_METADATA_KEYS = _DATE_KEYS | _SEVERITY_KEYS | _SERVICE_KEYS | _AUTHOR_KEYS | {
    "status", "title", "incident", "incident id", "duration", "impact", "team", "participants",
    "facilitator", "reviewers", "priority", "detected", "resolved", "start time", "end time",
}  # fmt: skip
# How far into a page its metadata lines are looked for.
_HEAD_LINES = 80


@dataclass
class Facts:
    """What a source says about a page besides its text (page title, creator, dates, labels)."""

    title: str | None = None
    authors: list[str] = field(default_factory=list)
    created: date | None = None
    labels: list[str] = field(default_factory=list)
    properties: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Page:
    """One imported page: its nofault Markdown and what could not be mapped."""

    source: str
    kind: str
    title: str
    markdown: str
    unmapped: tuple[str, ...]


def parse_date(text: str) -> date | None:
    """Return the first unambiguous calendar date written in the text, or None."""
    for pattern, order in ((_ISO, "ymd"), (_DOTTED, "dmy")):
        found = pattern.search(text)
        if found:
            parts = dict(zip(order, (int(g) for g in found.groups()), strict=True))
            return _date(parts["y"], parts["m"], parts["d"])
    found = _SLASHED.search(text)
    if found:
        first, second, year = (int(g) for g in found.groups())
        if first > 12 >= second:
            return _date(year, second, first)
        if second > 12 >= first:
            return _date(year, first, second)
        return None  # 03/04/2026 is March or April depending on the writer
    return _named_month_date(_TOKEN.findall(text))


def _named_month_date(tokens: list[str]) -> date | None:
    for index, token in enumerate(tokens):
        month = _MONTHS.get(token.lower())
        if month is None:
            continue
        after = [t for t in tokens[index + 1 : index + 4] if t.lower() not in _ORDINALS]
        back = index - 1
        while back >= 0 and index - back <= 2 and tokens[back].lower() in _ORDINALS:
            back -= 1  # "4th of March": skip the ordinal's suffix and "of"
        before = tokens[back] if back >= 0 else ""
        if len(after) >= 2 and _is_day(after[0]) and _is_year(after[1]):
            return _date(int(after[1]), month, int(after[0]))  # July 11 2025
        if _is_day(before) and after and _is_year(after[0]):
            return _date(int(after[0]), month, int(before))  # 11 July 2025, 11th of July 2025
    return None


def _is_day(token: str) -> bool:
    return token.isdigit() and 1 <= int(token) <= 31 and len(token) <= 2


def _is_year(token: str) -> bool:
    return token.isdigit() and len(token) == 4 and 1970 <= int(token) <= 2100


def _date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _plain(text: str) -> str:
    """Markdown emphasis, escapes and links reduced to their words."""
    out = text.replace("**", "").replace("__", "").replace("\\", "").replace("`", "")
    if "](" in out:
        pieces: list[str] = []
        for piece in out.split("]("):
            close = piece.find(")")
            pieces.append(piece[close + 1 :] if close >= 0 and pieces else piece)
        out = "".join(pieces).replace("[", "")
    return out.strip(" *_\t")


def _labelled_lines(body: str) -> list[tuple[str, str]]:
    """(label, value) pairs from `Key: value` lines and key-value table rows near the top.

    A table is read as key-value pairs only when its first column holds metadata labels
    ("| Severity | SEV2 |"): a table whose header merely names columns ("| Service | Impact |")
    gives none, whatever its header says.
    """
    pairs: list[tuple[str, str]] = []
    table: list[list[str]] = []
    in_code = False
    for line in [*body.split("\n")[:_HEAD_LINES], ""]:
        stripped = line.strip()
        if stripped.startswith("|") and not in_code:
            cells = [c.strip() for c in stripped.strip("|").split("|")]
            if not all(set(c) <= set("-: ") for c in cells):  # not the separator row
                table.append(cells)
            continue
        pairs.extend(_key_value_rows(table))
        table = []
        if stripped.startswith(("```", "~~~")):
            in_code = not in_code
        if in_code or not stripped:
            continue
        text = stripped.lstrip(">-*+ \t")
        text = text.replace("**", "").replace("__", "")
        colon = text.find(":")
        if 0 < colon <= 40:
            pairs.append((text[:colon], text[colon + 1 :]))
    return pairs


def _key_value_rows(rows: list[list[str]]) -> list[tuple[str, str]]:
    """The rows of a key-value table, or none when its first column is not labels."""
    rows = [row for row in rows if len(row) >= 2 and row[0]]
    labelled = [row for row in rows if _key(row[0]) in _METADATA_KEYS]
    if len(labelled) < 2 and not (len(rows) == 1 and labelled):
        return []
    return [(row[0], row[1]) for row in rows]


def _key(label: str) -> str:
    words = _plain(label).lower().replace("(s)", "s").replace("-", " ").replace("/", " ").split()
    return " ".join(words).rstrip(":")


def _names(value: str) -> list[str]:
    text = _plain(value)
    for separator in (";", " and ", " & ", " und ", "/"):
        text = text.replace(separator, ",")
    names = []
    for part in text.split(","):
        name = part.split("(")[0].strip(" .*_").lstrip("@")  # "@kim" mentions Kim
        if name and len(name) <= 80 and name not in names:
            names.append(name)
    return names


def _severity(value: str) -> str | None:
    text = _plain(value).strip()
    found = _SEVERITY.search(text)
    if found:
        return f"SEV{found.group(1)}"
    if text.isdigit() and len(text) == 1:
        return f"SEV{text}"
    return None


class _Inference:
    """Collects front matter values, what was inferred, and what was stated but left out."""

    def __init__(self) -> None:
        self.values: dict[str, object] = {}
        self.inferred: list[str] = []
        self.unmapped: list[str] = []

    def set(self, key: str, value: object, *, inferred: bool = True) -> None:
        if key in self.values or value in (None, [], ""):
            return
        self.values[key] = value
        if inferred:
            self.inferred.append(key)

    def read(self, pairs: list[tuple[str, str]]) -> None:
        for label, value in pairs:
            key = _key(label)
            if not value.strip():
                continue
            if key in _DATE_KEYS and "created" not in self.values:
                self.set("created", parse_date(_plain(value)))
            elif key in _SEVERITY_KEYS and "severity" not in self.values:
                severity = _severity(value)
                if severity in DEFAULT_SEVERITIES:
                    self.set("severity", severity)
                else:
                    self.unmapped.append(
                        f"severity {_plain(value)!r} is not one of "
                        f"{', '.join(DEFAULT_SEVERITIES)}: left out of the front matter"
                    )
            elif key in _SERVICE_KEYS:
                self.set("services", _names(value))
            elif key in _AUTHOR_KEYS:
                self.set("authors", _names(value))


def infer_front_matter(
    *, title: str, body: str, facts: Facts, filename: str
) -> tuple[dict[str, object], list[str], list[str]]:
    """Return the front matter, the keys inferred from the text, and values left out."""
    found = _Inference()
    found.read(facts.properties)
    found.read(_labelled_lines(body))
    for label in facts.labels:
        severity = _severity(label)
        if severity in DEFAULT_SEVERITIES:
            found.set("severity", severity)
    if "severity" not in found.values:
        named = {f"SEV{m.group(1)}" for m in _SEVERITY.finditer(f"{title}\n{body}")}
        if len(named) == 1 and next(iter(named)) in DEFAULT_SEVERITIES:
            found.set("severity", named.pop())
        elif len(named) == 1:
            found.unmapped.append(
                f"the text names {named.pop()}, not one of {', '.join(DEFAULT_SEVERITIES)}: "
                "left out of the front matter"
            )
        elif len(named) > 1:
            found.unmapped.append(
                f"the text names several severities ({', '.join(sorted(named))}): "
                "none put in the front matter"
            )
    found.set("created", parse_date(title) or parse_date(PurePosixPath(filename).stem))
    found.set("created", facts.created, inferred=False)
    found.set("authors", list(facts.authors), inferred=False)
    order = ["severity", "services", "status", "authors", "created"]
    values = {**found.values, "status": "draft"}
    front = {key: values[key] for key in order if key in values}
    if facts.labels:
        front["labels"] = list(facts.labels)
    return front, found.inferred, found.unmapped


def _heading_level(line: str) -> int:
    level = len(line) - len(line.lstrip("#"))
    return level if 1 <= level <= 6 and line[level : level + 1] == " " else 0


def _headings_below_title(body: str) -> str:
    """Shift headings down one level when the body uses `#`, so its sections are `##`."""
    lines = body.split("\n")
    in_code = False
    levels = []
    for line in lines:
        if line.startswith(("```", "~~~")):
            in_code = not in_code
        elif not in_code and _heading_level(line):
            levels.append(_heading_level(line))
    if not levels or min(levels) > 1:
        return body
    in_code = False
    for index, line in enumerate(lines):
        if line.startswith(("```", "~~~")):
            in_code = not in_code
        elif not in_code and 0 < _heading_level(line) < 6:
            lines[index] = "#" + line
    return "\n".join(lines)


def _drop_title_heading(body: str, title: str | None) -> tuple[str, str | None]:
    """Take a leading heading as the title (or drop it when it repeats the known title)."""
    stripped = body.lstrip("\n")
    first, _, rest = stripped.partition("\n")
    level = _heading_level(first)
    if not level:
        return body, title
    heading = _plain(first[level + 1 :])
    if title is None or heading.casefold() == title.casefold():
        return rest, title or heading
    return body, title


def title_from_filename(filename: str) -> str:
    """A page's title from its file name, without an export's page id."""
    stem = PurePosixPath(filename).stem
    words = stem.rsplit(" ", 1)
    if len(words) == 2 and len(words[1]) == 32 and all(c in "0123456789abcdef" for c in words[1]):
        stem = words[0]  # Notion: "Page title 36ab92dc15bc49119e4f7ecf6a0f26ed"
    name, _, number = stem.rpartition("_")
    if name and number.isdigit():
        stem = name  # Confluence: "Page-title_9568346"
    return stem.replace("_", " ").replace("-", " ").strip() or "Imported postmortem"


def assemble(*, body: str, facts: Facts, source: str, kind: str, unmapped: list[str]) -> Page:
    """Turn a converted Markdown body into a nofault postmortem with inferred front matter."""
    body, title = _drop_title_heading(body.strip("\n"), facts.title)
    title = " ".join((title or title_from_filename(source)).split())
    body = _headings_below_title(body.strip("\n"))
    front, inferred, left_out = infer_front_matter(
        title=title, body=body, facts=facts, filename=source
    )
    front["imported_from"] = f"{kind}: {source}"
    if inferred:
        front["inferred"] = inferred
    header = yaml.safe_dump(front, sort_keys=False, allow_unicode=True, width=1000)
    markdown = f"---\n{header}---\n\n# {title}\n\n{body.strip()}\n"
    notes = [*unmapped, *left_out]
    if not body.strip():
        notes.append("the page has no text besides its title")
    unknown = [
        section.heading
        for section in parse_text(markdown).postmortem.sections
        if section.kind == SectionKind.OTHER
    ]
    if unknown:
        notes.append(
            "sections nofault does not know, kept as they are: "
            + ", ".join(repr(h) for h in unknown[:12])
            + (f" and {len(unknown) - 12} more" if len(unknown) > 12 else "")
        )
    return Page(source=source, kind=kind, title=title, markdown=markdown, unmapped=tuple(notes))
