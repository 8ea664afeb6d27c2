"""BLM201: "human error" and its kin given as what went wrong."""

from __future__ import annotations

import re

from nofault.core.lint.packs.blame.checks import Clause, Found, Table
from nofault.core.lint.packs.blame.patterns import (
    HE_CAUSE,
    HE_CONCEPT,
    HE_NEGATED,
    HUMAN_ERROR,
    HUMAN_ERROR_BY,
    ROOT_CAUSE,
)
from nofault.core.lint.rule import Level


def error_phrase(c: Clause, m: re.Match[str]) -> Found | None:
    """Report "human error", "a mistake by ...": an error if the sentence makes it the cause."""
    if HE_NEGATED.search(c.text, max(0, m.start() - 30), m.start()):
        return None
    # "A mistake by the DBA", "human error by the release captain" name who erred.
    named = m.re is HUMAN_ERROR_BY.pattern or c.text[m.end() : m.end() + 4].lower() == " by "
    if not named and HE_CONCEPT.search(c.text) and not HE_CAUSE.search(c.text):
        return None  # "human error refers to ...", "systems fail for many reasons"
    as_cause = bool(ROOT_CAUSE.search(c.text))
    return Found("BLM201", m.start(), m.end(), "human_error", Level.ERROR if as_cause else None)


def mistake_owned(c: Clause, m: re.Match[str]) -> Found | None:
    """Report a mistake owned by a person ("a mistake on her part", "the typo Bob made")."""
    who = m.group("who")
    if who is None or c.people.kind(who, capitalised_name=True) in ("person", "team"):
        return Found("BLM201", m.start(), m.end(), "human_error")
    return None


TABLE = Table((HUMAN_ERROR, error_phrase), (HUMAN_ERROR_BY, error_phrase))
