"""BLM401: judgemental words about people and their work, and vows of more care."""

from __future__ import annotations

import re

from nofault.core.lint.packs.blame.checks import OWN_WORDS, Clause, Found, Table
from nofault.core.lint.packs.blame.grammar import (
    TOKEN,
    about_someone,
    is_imperative,
    person_subject,
)
from nofault.core.lint.packs.blame.lexicon import OUTCOME_JUDGEMENTS
from nofault.core.lint.packs.blame.patterns import (
    BEFORE_STEP,
    EXPLAINED,
    JUDGEMENT,
    PERSON_STATE,
    PERSON_TRAIT,
    POOR_WORK,
    REASON,
    VIGILANCE,
    VOW,
    VOW_DISCUSSED,
)

_NEGATED_JUDGEMENT = re.compile(
    r"(?:\b(?:not|never|rarely|seldom|hardly|nor)|n['’]t)\s+(?:\w+\s+){0,2}$", re.I
)


_NAMED_AS = re.compile(
    r"\b(?:call(?:ing|ed|s)?|label(?:l?ing|l?ed|s)?|term(?:ing|ed|s)?|dismiss(?:ing|ed)?\s+it\s+as|"
    r"writ(?:e|ing|ten)\s+(?:it\s+)?off\s+as)\s+(?:it|this|that|them|him|her|something)\s+"
    r"(?:\w+\s+)?$",
    re.I,
)
_DENIED = re.compile(r"\b(?:rarely|seldom|hardly|never|not)\b|n['’]t\b", re.I)


def _excepted(c: Clause, m: re.Match[str]) -> bool:
    return any(a <= m.start() < b for a, b in c.exceptions)


def judged(c: Clause, m: re.Match[str]) -> Found | None:
    """Report a judgemental word, unless it judges an outcome or sits in an allowed phrase."""
    if _excepted(c, m) or _NEGATED_JUDGEMENT.search(c.text, max(0, m.start() - 30), m.start()):
        return None  # "people are rarely careless", "does not mean they were negligent"
    if _NAMED_AS.search(c.text, max(0, m.start() - 30), m.start()):
        return None  # "calling it carelessness would explain nothing": the word as a label
    if m.group(0).lower() in OUTCOME_JUDGEMENTS and (
        not about_someone(c.text, m, c.people) or is_imperative(c.text)
    ):
        # "Losing data is unacceptable" judges the outcome, not a person; "remind
        # them that hindsight makes it feel embarrassing" is guide text.
        return None
    return Found("BLM401", m.start(), m.end(), "judgemental")


def poor_work(c: Clause, m: re.Match[str]) -> Found | None:
    """Report a judgement of how work was done ("inadequately reviewed", "poor planning")."""
    return None if _excepted(c, m) else Found("BLM401", m.start(), m.end(), "work")


def vigilance(c: Clause, m: re.Match[str]) -> Found | None:
    """Report an action that asks people to be more careful ("make sure engineers check")."""
    who = m.group("who").split()[-1]
    if m.group("pre") and not BEFORE_STEP.match(c.text, m.end()):
        return None  # "ensure everyone reads the review" shares it; "... before deploying" guards
    if c.people.kind(who, capitalised_name=True) == "person" and who.lower() != "you":
        return Found("BLM401", m.start(), m.end(), "vigilance")
    return None


def for_some_reason(c: Clause, m: re.Match[str]) -> Found | None:
    """Report "for some reason" in a sentence about a person's deed."""
    if any(c.people.kind(t.group(0)) in ("person", "team") for t in TOKEN.finditer(c.text)):
        return Found("BLM401", m.start(), m.end(), "judgemental")
    return None


def person_state(c: Clause, m: re.Match[str]) -> Found | None:
    """Report a judgement of a person's state ("lost track", "was distracted", "rushed it")."""
    if EXPLAINED.search(c.text, m.end()):
        return None  # "dozed off because of sleep apnoea": the state is explained, not judged
    if _DENIED.search(m.group(0)) or _NEGATED_JUDGEMENT.search(
        c.text, max(0, m.start() - 30), m.start()
    ):
        return None  # "people are rarely careless", "he was not rash"
    subj = person_subject(c.text, m.start(), c.people)
    if subj.kind in ("person", "possessive", "team"):
        return Found("BLM401", subj.start, m.end(), "judgemental")
    return None


def vow(c: Clause, m: re.Match[str]) -> Found | None:
    """Report more care, attention or vigilance as the fix, unless the sentence rejects it."""
    if VOW_DISCUSSED.search(c.text):
        return None
    return Found("BLM401", m.start(), m.end(), "vigilance")


TABLE = Table(
    (JUDGEMENT, judged),
    (OWN_WORDS, judged),
    (POOR_WORK, poor_work),
    (VIGILANCE, vigilance),
    (REASON, for_some_reason),
    (PERSON_STATE, person_state),
    (PERSON_TRAIT, person_state),
    (VOW, vow),
)
