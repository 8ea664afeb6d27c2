"""BLM402: minimising words that make a person's task sound trivial ("just", "obviously")."""

from __future__ import annotations

import re

from nofault.core.lint.packs.blame.checks import Clause, Found, Table, by_subject
from nofault.core.lint.packs.blame.grammar import subject_of
from nofault.core.lint.packs.blame.patterns import (
    ALL_HAD_TO,
    JUST_DO,
    JUST_HAD_TO,
    OBVIOUSLY,
    OBVIOUSLY_AFTER,
)


def minimising(c: Clause, m: re.Match[str]) -> Found | None:
    """Report a minimising phrase that needs no context ("all they had to do was")."""
    return Found("BLM402", m.start(), m.end(), "minimising")


def obviously(c: Clause, m: re.Match[str]) -> Found | None:
    """Report "obviously" said of a person or before what someone missed."""
    subj = subject_of(c.text, m.start(), c.people, person_only_verb=True)
    tail = c.text[m.end() : m.end() + 60]
    if subj.kind in ("person", "possessive") or (
        subj.kind != "thing" and OBVIOUSLY_AFTER.search(tail)
    ):
        return Found("BLM402", m.start(), m.end(), "minimising")
    return None


# "<person> just had to ...".
just_had_to = by_subject(
    "BLM402", "minimising", ("person", "team", "possessive"), person_only_verb=False
)


TABLE = Table(
    (JUST_HAD_TO, just_had_to),
    (ALL_HAD_TO, minimising),
    (JUST_DO, minimising),
    (OBVIOUSLY, obviously),
)
