"""BLM101 as others say it: blame reported or predicated ("the bank blamed its IT arm")."""

from __future__ import annotations

import re

from nofault.core.lint.packs.blame.checks import Clause, Found, Table
from nofault.core.lint.packs.blame.grammar import TOKEN, negated_at, subject_of
from nofault.core.lint.packs.blame.lexicon import FAULT_NOUNS
from nofault.core.lint.packs.blame.patterns import (
    AT_FAULT,
    ATTRIBUTED,
    BLAME_DISCUSSED,
    REPORTED_BLAME,
)

_PARTIES = ("person", "possessive", "team")


def _party_after(c: Clause, start: int, end: int) -> bool:
    """Tell whether a person, company or error stands in the words after a blame verb."""
    for tok in TOKEN.finditer(c.text, start, min(end, start + 70)):
        word = tok.group(0)
        if word.lower() in FAULT_NOUNS or c.people.kind(word, capitalised_name=True) in _PARTIES:
            return True
    window = c.text[start : min(end, start + 70)]
    return "  " in window and any(q in window for q in "\"“‘'")  # a quoted party, masked


def reported_blame(c: Clause, m: re.Match[str]) -> Found | None:
    """Report blame laid on a person, a company or an error by whoever the sentence quotes."""
    text = c.text
    if BLAME_DISCUSSED.search(text, max(0, m.start() - 40), m.start()) or BLAME_DISCUSSED.search(
        text, m.end()
    ):
        return None
    subj = subject_of(text, m.start(), c.people, person_only_verb=True)
    end = len(text)
    for stop in (". ", "; "):
        at = text.find(stop, m.end())
        if at != -1:
            end = min(end, at)
    passive = (
        text[max(0, m.start() - 12) : m.start()]
        .lower()
        .rstrip()
        .endswith(("was", "were", "been", "be", "is", "are", "got"))
    )
    if passive:
        # "The engineer was blamed": the subject; "the outage was blamed on a contractor":
        # what follows "on"; "an update was blamed for the failure": a thing, no blame.
        on = re.match(r"\s+on\b", text[m.end() :])
        blamed = subj.kind in _PARTIES or (on is not None and _party_after(c, m.end(), end))
    else:
        blamed = _party_after(c, m.end(), end)
    return Found("BLM101", m.start(), m.end(), "agent") if blamed else None


def at_fault(c: Clause, m: re.Match[str]) -> Found | None:
    """Report "<person, company or error> was to blame", "... was found at fault"."""
    text = c.text
    if BLAME_DISCUSSED.search(text, max(0, m.start() - 40), m.start()) or negated_at(
        text, m.start()
    ):
        return None
    subj = subject_of(text, m.start(), c.people, person_only_verb=True, negative_is_none=True)
    head = text[subj.start : m.start()].split()
    if subj.kind in _PARTIES or (head and head[-1].lower().strip(",") in FAULT_NOUNS):
        return Found("BLM101", subj.start, m.end(), "responsible")
    return None


TABLE = Table((REPORTED_BLAME, reported_blame), (AT_FAULT, at_fault), (ATTRIBUTED, reported_blame))
