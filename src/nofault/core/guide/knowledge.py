"""The knowledge base: common value themes and what each asks of a blameless postmortem.

The themes are data (data/knowledge.yaml). A statement matches a theme by the words of its
name, or, more cautiously, by its description: one word in the name is enough, but the
description needs a phrase of several words or two different keywords, because single common
words ("team", "open", "data") in a sentence say little about what a value is about.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from nofault.core.guide.inputs import Statement
from nofault.core.guide.vocabulary import Role, Stage


@dataclass(frozen=True, slots=True)
class Practice:
    """A concrete thing the process does: which stage it shapes and which role carries it."""

    text: str
    stage: Stage | None
    role: Role | None


@dataclass(frozen=True, slots=True)
class Theme:
    """A common theme of values and principles, and what it asks of a postmortem."""

    key: str
    label: str
    match: tuple[str, ...]
    asks: str
    practices: tuple[Practice, ...]
    facilitator: tuple[str, ...]
    leaders: tuple[str, ...]
    questions: tuple[str, ...]


class MatchedBy(StrEnum):
    """How a statement was tied to its themes."""

    EXPLICIT = "explicit"  # the organisation named the themes in its file
    NAME = "name"
    DESCRIPTION = "description"
    CLOSEST = "closest"  # no theme matched; the closest ones, for the facilitator to confirm
    NONE = "none"


@dataclass(frozen=True, slots=True)
class ThemeMatch:
    """The themes a statement was matched to, how, and by which words."""

    themes: tuple[Theme, ...]
    by: MatchedBy
    words: tuple[str, ...] = ()


def _theme(key: str, data: dict[str, Any]) -> Theme:
    practices = tuple(
        Practice(
            p["text"],
            Stage(p["stage"]) if p.get("stage") else None,
            Role(p["role"]) if p.get("role") else None,
        )
        for p in data.get("practices", [])
    )
    return Theme(
        key=key,
        label=data["label"],
        match=tuple(str(m).casefold() for m in data.get("match", [])),
        asks=" ".join(str(data["asks"]).split()),
        practices=practices,
        facilitator=tuple(data.get("facilitator", [])),
        leaders=tuple(data.get("leaders", [])),
        questions=tuple(data.get("questions", [])),
    )


@lru_cache(maxsize=1)
def themes() -> dict[str, Theme]:
    """Return the built-in themes by key, in the knowledge base's order."""
    text = (
        resources.files("nofault.core.guide")
        .joinpath("data/knowledge.yaml")
        .read_text(encoding="utf-8")
    )
    data = yaml.safe_load(text)
    return {key: _theme(key, value) for key, value in data["themes"].items()}


def _normalise(text: str) -> str:
    text = text.casefold().replace("’", "'")
    text = re.sub(r"[^a-z0-9' ]+", " ", text.replace("-", " "))
    return f" {' '.join(text.split())} "


def _hits(text: str, theme: Theme) -> list[str]:
    found = []
    for phrase in theme.match:
        if _normalise(phrase) in text:
            found.append(phrase)
    # A longer phrase that matched makes its own words redundant ("earn trust" ⊃ "trust").
    return [p for p in found if not any(p != q and _normalise(p) in _normalise(q) for q in found)]


MAX_THEMES = 2


def match_statement(statement: Statement) -> ThemeMatch:
    """Find the themes a value or principle is about: explicit, by name, by description, or none."""
    known = themes()
    if statement.themes:
        return ThemeMatch(
            tuple(known[t] for t in statement.themes if t in known),
            MatchedBy.EXPLICIT,
            statement.themes,
        )
    name = _normalise(statement.name)
    scored = [(len(h), t, h) for t in known.values() if (h := _hits(name, t))]
    if scored:
        return _best(scored, MatchedBy.NAME)
    desc = _normalise(statement.description)
    scored = []
    for theme in known.values():
        hits = _hits(desc, theme)
        if len(hits) >= 2 or any(" " in h for h in hits):
            scored.append((len(hits), theme, hits))
    if scored:
        return _best(scored, MatchedBy.DESCRIPTION)
    return ThemeMatch((), MatchedBy.NONE)


def _best(scored: list[tuple[int, Theme, list[str]]], by: MatchedBy) -> ThemeMatch:
    order = list(themes())
    scored.sort(key=lambda s: (-s[0], order.index(s[1].key)))
    chosen = scored[:MAX_THEMES]
    words = tuple(w for _, _, hits in chosen for w in hits)
    return ThemeMatch(tuple(t for _, t, _ in chosen), by, words)


def theme_keys() -> list[str]:
    """The keys an organisation may name in `themes:`."""
    return list(themes())
