"""What a check reads and returns: one quote-masked sentence, and the findings in it.

Each family of checks is a table of (gate, check) pairs: the check runs on every match of
the gate's pattern in a sentence whose words open the gate, and returns a finding or None.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from nofault.core.lint.packs.blame.gates import Gated
from nofault.core.lint.packs.blame.grammar import People, subject_of
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

# Stands for the organisation's own blame words (configuration) in a table.
OWN_WORDS = Gated(r"(?!)", frozenset())


class Table:
    """A family's (gate, check) pairs, in the order their findings are kept."""

    __slots__ = ("_at", "entries", "gates")

    def __init__(self, *entries: tuple[Gated, Check]) -> None:
        self.entries = entries
        self.gates = frozenset(gate for gate, _check in entries if gate is not OWN_WORDS)
        # Where each gate's checks stand: a sentence opens one or two gates of dozens.
        self._at: dict[Gated, tuple[int, ...]] = {}
        for index, (gate, _check) in enumerate(entries):
            self._at[gate] = (*self._at.get(gate, ()), index)

    def run(self, clause: Clause, found: list[Found]) -> None:
        """Run each check whose gate the sentence opens on the gate's matches, in order."""
        if clause.ready.isdisjoint(self._at) and clause.own_words is None:
            return  # most sentences open no gate of a given family
        opened = [i for gate in clause.ready.intersection(self._at) for i in self._at[gate]]
        if clause.own_words is not None:
            opened += self._at.get(OWN_WORDS, ())
        for index in sorted(opened):
            gate, check = self.entries[index]
            if gate is OWN_WORDS:
                matches = clause.own_words.finditer(clause.text) if clause.own_words else ()
            else:
                # The case-sensitive twin on the lower-cased text finds where matches start.
                matches = gate.matches(clause.text, clause.low)
            for m in matches:
                hit = check(clause, m)
                if hit is not None:
                    found.append(hit)


def by_subject(
    rule: str,
    kind: str,
    kinds: tuple[str, ...] = ("person", "possessive"),
    *,
    person_only_verb: bool = True,
) -> Check:
    """Build a check that reports a match whose subject is a person ("Bob is the reason")."""

    def check(c: Clause, m: re.Match[str]) -> Found | None:
        subj = subject_of(c.text, m.start(), c.people, person_only_verb=person_only_verb)
        return Found(rule, subj.start, m.end(), kind) if subj.kind in kinds else None

    return check
