"""A lint rule is a frozen value: code, path, category, level, texts, detector and examples."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nofault.core.lint.context import LintContext


class Level(StrEnum):
    """How much a finding matters; `--fail-level` compares against this order."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        """Order levels: info < warning < error."""
        return ("info", "warning", "error").index(self.value)


class Category(StrEnum):
    """The anti-pattern (or format problem) a rule guards against."""

    STRUCTURE = "structure"
    BLAME = "blame"
    DEPTH = "depth"
    ACTIONS = "actions"


class Status(StrEnum):
    """Where a rule is in its life: new and opt-in, relied upon, or on its way out."""

    PREVIEW = "preview"  # runs only with `--preview` or `preview = true`
    STABLE = "stable"
    DEPRECATED = "deprecated"  # still runs; naming it in a selection warns


class Scope(StrEnum):
    """What a rule reads: the whole postmortem document, or any prose (plain text too)."""

    DOCUMENT = "document"
    PROSE = "prose"


@dataclass(frozen=True, slots=True)
class Hit:
    """Where a detector found a problem; anything left None comes from the rule."""

    line: int  # 1-based
    column: int  # 1-based
    end_line: int | None = None
    end_column: int | None = None
    message: str | None = None
    suggestion: str | None = None
    level: Level | None = None
    # Text that can replace the flagged span as it stands (an editor's quick fix); None when
    # fixing it takes a person's judgement, which is most of the time.
    fix: str | None = None


Detector = Callable[["LintContext", "Rule"], Iterable[Hit]]


@dataclass(frozen=True, slots=True)
class RuleDoc:
    """The rule's documentation, in the fixed sections every rule page has."""

    what: str
    why: str
    example: str
    instead: str
    references: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Examples:
    """Texts a rule must flag and texts it must pass; the test suite runs them all."""

    flag: tuple[str, ...] = ()
    pass_: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Rule:
    """One check: a stable code and path, what it says, how it detects, where its advice is from."""

    code: str  # BLM101
    path: str  # blame.person-as-cause
    category: Category
    level: Level
    message: str
    suggestion: str
    detector: Detector = field(compare=False, repr=False)
    doc: RuleDoc
    examples: Examples
    since: str = "0.1.0"
    source: str = ""
    scope: Scope = Scope.PROSE
    status: Status = Status.STABLE
