"""BLM102: a person's plain action tied to the failure, as an info hint."""

from __future__ import annotations

from nofault.core.lint.packs.blame.checks import Clause, Found
from nofault.core.lint.packs.blame.grammar import subject_of
from nofault.core.lint.packs.blame.patterns import ACTION, CONSEQUENCE


def action_hint(c: Clause) -> Found | None:
    """Find a person's plain action that the sentence ties to the failure (an info hint)."""
    m = next(ACTION.matches(c.text, c.low), None) if ACTION in c.ready else None
    if not m or not CONSEQUENCE.search(c.text):
        return None
    subj = subject_of(c.text, m.start(), c.people)
    if subj.kind in ("person", "team", "possessive"):
        return Found("BLM102", subj.start, m.end(), "action")
    return None
