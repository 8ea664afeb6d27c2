"""What a check reads and returns: one quote-masked sentence, and the findings in it.

Each family of checks is a table of (gate, check) pairs: the check runs on every match of
the gate's pattern in a sentence whose words open the gate, and returns a finding or None.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property

from nofault.core.lint.packs.blame.gates import Gated
from nofault.core.lint.packs.blame.grammar import People
from nofault.core.lint.packs.blame.patterns import JUDGEMENT_EXCEPTIONS
from nofault.core.lint.rule import Level


@dataclass(slots=True)
class Found:
    """One finding in a sentence: the rule, the span, and the kind that picks its rewording."""

    rule: str
    start: int
    end: int
    kind: str
    level: Level | None = None


class Clause:
    """One sentence as the checks read it: quotes masked, its people, the gates it opens."""

    def __init__(
        self,
        text: str,
        people: People,
        ready: frozenset[Gated],
        masked_words: frozenset[str],
        low: str | None,
        own_words: re.Pattern[str] | None,
    ) -> None:
        self.text = text
        self.people = people
        self.ready = ready
        self.masked_words = masked_words  # the words outside quotes
        self.low = low  # the text lower-cased, when it is ASCII
        self.own_words = own_words  # the organisation's own blame words, if configured

    @cached_property
    def exceptions(self) -> list[tuple[int, int]]:
        """Return the spans of the phrases that judgemental words are allowed in."""
        if JUDGEMENT_EXCEPTIONS not in self.ready:
            return []
        return [(e.start(), e.end()) for e in JUDGEMENT_EXCEPTIONS.pattern.finditer(self.text)]


Check = Callable[[Clause, re.Match[str]], Found | None]
Table = Sequence[tuple[Gated, Check]]

# Stands for the organisation's own blame words (configuration) in a table.
OWN_WORDS = Gated(r"(?!)", frozenset())


def run(table: Table, clause: Clause, found: list[Found]) -> None:
    """Run each check of a table on its gate's matches in the sentence, adding what it finds."""
    for gate, check in table:
        if gate is OWN_WORDS:
            if clause.own_words is None:
                continue
            pattern = clause.own_words
        elif gate in clause.ready:
            pattern = gate.pattern
        else:
            continue
        for m in pattern.finditer(clause.text):
            hit = check(clause, m)
            if hit is not None:
                found.append(hit)


def gates_of(table: Table) -> frozenset[Gated]:
    """Return the gates a table reads (a family runs only when one of them is open)."""
    return frozenset(gate for gate, _check in table if gate is not OWN_WORDS)
