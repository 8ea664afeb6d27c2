"""Core values and leadership principles, read from YAML or a Markdown list, with line numbers.

YAML is a list of mappings (optionally under a `values:` or `principles:` key); Markdown is a
list of `- **Name**: description` items, as teams keep them in a handbook. Each statement
remembers the file and line it came from, so every later error can point back at it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

import yaml

from nofault.core.guide.errors import GuideInputError


class StatementKind(StrEnum):
    """What an input statement is: a core value or a leadership principle."""

    VALUE = "value"
    PRINCIPLE = "principle"

    @property
    def plural(self) -> str:
        """The key a YAML file lists these under."""
        return f"{self.value}s"


@dataclass(frozen=True, slots=True)
class OwnPractice:
    """A practice the organisation wrote itself for one of its values or principles."""

    text: str
    stage: str | None = None
    role: str | None = None
    line: int = 0


@dataclass(frozen=True, slots=True)
class Statement:
    """One core value or leadership principle, as the organisation wrote it."""

    kind: StatementKind
    name: str
    description: str
    source: str
    line: int
    themes: tuple[str, ...] = ()  # knowledge-base themes the organisation chose explicitly
    practices: tuple[OwnPractice, ...] = ()
    questions: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """The name as compared for duplicates: case and spacing do not count."""
        return " ".join(self.name.casefold().split())


_ITEM_KEYS = {"name", "description", "themes", "practices", "questions"}
_PRACTICE_KEYS = {"text", "stage", "role"}


def read_statements(path: Path, kind: StatementKind) -> list[Statement]:
    """Read values or principles from a YAML file or a Markdown list; errors name file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise GuideInputError(str(path), None, f"cannot read the {kind.plural}: {exc}") from exc
    return parse_statements(text, kind, source=str(path), markdown=_is_markdown(path, text))


def _is_markdown(path: Path, text: str) -> bool:
    if path.suffix.lower() in (".md", ".markdown"):
        return True
    if path.suffix.lower() in (".yaml", ".yml"):
        return False
    return bool(re.search(r"^\s*[-*+]\s+\*\*", text, re.MULTILINE))


# A guide is read in one sitting: organisations publish a handful of values and a few dozen
# principles. The bounds keep the build's cost bounded too (the PDF grows with every statement:
# 200 values took 7 s, 20,000 took minutes and gigabytes).
MAX_STATEMENTS = 60
MAX_DESCRIPTION_CHARS = 3_000
MAX_INPUT_CHARS = 200_000


def parse_statements(
    text: str, kind: StatementKind, *, source: str, markdown: bool = False
) -> list[Statement]:
    """Parse values or principles from text (YAML, or a Markdown list when `markdown`)."""
    if len(text) > MAX_INPUT_CHARS:
        raise GuideInputError(
            source, None, f"the {kind.plural} are longer than {MAX_INPUT_CHARS:,} characters"
        )
    items = _parse_markdown(text, kind, source) if markdown else _parse_yaml(text, kind, source)
    if len(items) > MAX_STATEMENTS:
        raise GuideInputError(
            source,
            items[MAX_STATEMENTS].line,
            f"{len(items)} {kind.plural}: a guide takes at most {MAX_STATEMENTS}; keep the ones "
            "people should remember",
        )
    for item in items:
        if len(item.description) > MAX_DESCRIPTION_CHARS:
            raise GuideInputError(
                source,
                item.line,
                f"the description of {item.name!r} is longer than "
                f"{MAX_DESCRIPTION_CHARS:,} characters",
            )
    if not items:
        raise GuideInputError(
            source,
            1,
            f"no {kind.plural} found: the list is empty (write at least one "
            + ("`- **Name**: description` item)" if markdown else "item with a `name:`)"),
        )
    seen: dict[str, Statement] = {}
    for item in items:
        if item.key in seen:
            first = seen[item.key]
            raise GuideInputError(
                source,
                item.line,
                f"duplicate {kind.value} name {item.name!r} (also on line {first.line})",
            )
        seen[item.key] = item
    return items


# --- Markdown -------------------------------------------------------------------------------

_MD_ITEM = re.compile(r"^(?P<indent>\s*)[-*+]\s+(?P<rest>.*)$")
_MD_BOLD = re.compile(r"^\*\*(?P<name>.*?)\*\*\s*(?:[:—–-]\s*)?(?P<desc>.*)$")
_MD_BOLD_COLON_IN = re.compile(r"^\*\*(?P<name>.*?):\*\*\s*(?P<desc>.*)$")
_MD_PLAIN = re.compile(r"^(?P<name>[^:]*?)\s*:\s*(?P<desc>.*)$")


@dataclass
class _MdItem:
    name: str
    line: int
    desc: list[str] = field(default_factory=list)

    def statement(self, kind: StatementKind, source: str) -> Statement:
        return Statement(kind, self.name, " ".join(self.desc), source, self.line)


def _parse_markdown(text: str, kind: StatementKind, source: str) -> list[Statement]:
    items: list[Statement] = []
    current: _MdItem | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        match = _MD_ITEM.match(raw)
        if match and not match.group("indent"):
            if current:
                items.append(current.statement(kind, source))
            rest = match.group("rest").strip()
            m = _MD_BOLD_COLON_IN.match(rest) or _MD_BOLD.match(rest) or _MD_PLAIN.match(rest)
            name, desc = (m.group("name"), m.group("desc")) if m else (rest, "")
            name = name.strip().strip("*_ ").rstrip(":").strip()
            if not name:
                raise GuideInputError(
                    source,
                    number,
                    f"{kind.value} has no name (write `- **Name**: what it means`)",
                )
            current = _MdItem(name, number, [desc.strip()] if desc.strip() else [])
        elif current is not None and raw.strip() and raw.startswith((" ", "\t")):
            # A continuation line of the current item (wrapped text or a nested bullet).
            current.desc.append(raw.strip().lstrip("-*+ ").strip())
        elif current is not None and raw.strip():
            items.append(current.statement(kind, source))
            current = None
    if current:
        items.append(current.statement(kind, source))
    return items


# --- YAML -----------------------------------------------------------------------------------


def _parse_yaml(text: str, kind: StatementKind, source: str) -> list[Statement]:
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise GuideInputError(source, line, f"not valid YAML: {problem}") from exc
    if root is None:
        return []
    node: yaml.Node = root
    if isinstance(node, yaml.MappingNode):
        found = None
        for key, value in node.value:
            if _scalar(key) in (kind.plural, kind.value):
                found = value
            elif _scalar(key) not in ("organisation", "organization", "version"):
                raise GuideInputError(
                    source,
                    key.start_mark.line + 1,
                    f"unknown key {_scalar(key)!r}: list the {kind.plural} under `{kind.plural}:`",
                )
        if found is None:
            raise GuideInputError(
                source, node.start_mark.line + 1, f"no `{kind.plural}:` list in this file"
            )
        node = found
        if isinstance(node, yaml.ScalarNode) and not node.value:
            return []
    if not isinstance(node, yaml.SequenceNode):
        raise GuideInputError(
            source,
            node.start_mark.line + 1,
            f"expected a list of {kind.plural}, one `- name: …` per item",
        )
    return [_yaml_statement(item, kind, source) for item in node.value]


def _scalar(node: yaml.Node) -> str:
    return str(node.value).strip() if isinstance(node, yaml.ScalarNode) else ""


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def _strings(node: yaml.Node, source: str, what: str) -> list[tuple[str, int]]:
    if isinstance(node, yaml.ScalarNode):
        return [(_scalar(node), _line(node))] if _scalar(node) else []
    if not isinstance(node, yaml.SequenceNode):
        raise GuideInputError(source, _line(node), f"{what} must be a list of texts")
    out = []
    for item in node.value:
        if not isinstance(item, yaml.ScalarNode):
            raise GuideInputError(source, _line(item), f"each of {what} must be a text")
        if _scalar(item):
            out.append((_scalar(item), _line(item)))
    return out


def _yaml_statement(node: yaml.Node, kind: StatementKind, source: str) -> Statement:
    line = _line(node)
    if isinstance(node, yaml.ScalarNode):
        # A bare string: "Ownership: we own our systems end to end" or just "Ownership".
        name, _, desc = _scalar(node).partition(":")
        if not name.strip():
            raise GuideInputError(source, line, f"{kind.value} has no name")
        return Statement(kind, name.strip(), desc.strip(), source, line)
    if not isinstance(node, yaml.MappingNode):
        raise GuideInputError(source, line, f"each {kind.value} must be a mapping with a `name:`")
    if (
        len(node.value) == 1
        and _scalar(node.value[0][0]) not in _ITEM_KEYS
        and isinstance(node.value[0][1], yaml.ScalarNode)
    ):
        # The short form `- Ownership: we own our services end to end`.
        key, value = node.value[0]
        return Statement(kind, _scalar(key), " ".join(_scalar(value).split()), source, line)
    fields: dict[str, yaml.Node] = {}
    for key, value in node.value:
        name = _scalar(key)
        if name not in _ITEM_KEYS:
            raise GuideInputError(
                source,
                _line(key),
                f"unknown key {name!r} in a {kind.value} (known: {', '.join(sorted(_ITEM_KEYS))})",
            )
        fields[name] = value
    name_node = fields.get("name")
    name = _scalar(name_node) if name_node is not None else ""
    if not name:
        raise GuideInputError(source, line, f"{kind.value} has no name (add `name: …`)")
    desc_node = fields.get("description")
    description = " ".join(_scalar(desc_node).split()) if desc_node is not None else ""
    themes = (
        tuple(
            t.casefold().replace(" ", "_").replace("-", "_")
            for t, _ in _strings(fields["themes"], source, "themes")
        )
        if "themes" in fields
        else ()
    )
    questions = (
        tuple(q for q, _ in _strings(fields["questions"], source, "questions"))
        if "questions" in fields
        else ()
    )
    practices = _practices(fields["practices"], source) if "practices" in fields else ()
    return Statement(kind, name, description, source, line, themes, practices, questions)


def _practices(node: yaml.Node, source: str) -> tuple[OwnPractice, ...]:
    if not isinstance(node, yaml.SequenceNode):
        raise GuideInputError(source, _line(node), "practices must be a list")
    out: list[OwnPractice] = []
    for item in node.value:
        if isinstance(item, yaml.ScalarNode):
            if _scalar(item):
                out.append(OwnPractice(_scalar(item), line=_line(item)))
            continue
        if not isinstance(item, yaml.MappingNode):
            raise GuideInputError(source, _line(item), "a practice is a text or a mapping")
        values: dict[str, str] = {}
        for key, value in item.value:
            if _scalar(key) not in _PRACTICE_KEYS:
                raise GuideInputError(
                    source,
                    _line(key),
                    f"unknown key {_scalar(key)!r} in a practice (known: text, stage, role)",
                )
            values[_scalar(key)] = _scalar(value)
        if not values.get("text"):
            raise GuideInputError(source, _line(item), "practice has no `text:`")
        out.append(
            OwnPractice(
                values["text"], values.get("stage") or None, values.get("role") or None, _line(item)
            )
        )
    return tuple(out)


@dataclass
class Inputs:
    """The organisation's values and principles together."""

    values: list[Statement] = field(default_factory=list)
    principles: list[Statement] = field(default_factory=list)

    @property
    def all(self) -> list[Statement]:
        """Values first, then principles, each in the organisation's order."""
        return [*self.values, *self.principles]
