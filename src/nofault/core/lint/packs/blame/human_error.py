"""BLM201: "human error" and its kin given as what went wrong."""

from __future__ import annotations

import re

from nofault.core.lint.packs.blame.checks import Clause, Found, Table
from nofault.core.lint.packs.blame.patterns import (
    CAPABILITY,
    ERROR_ACT,
    ERROR_ACT_CAUSED,
    HE_CAUSE,
    HE_CONCEPT,
    HE_NEGATED,
    HUMAN_ERROR,
    HUMAN_ERROR_BY,
    ROLE_ERROR,
    ROOT_CAUSE,
)
from nofault.core.lint.rule import Level

# "It was human error", "the outage is an operator error", "Root cause: human error", "...,
# most likely operator error".
_PREDICATED = re.compile(
    r"(?:\b(?:was|is|were|are|been|being|be)|['’]s|:|—|-)\s+(?:\w+\s+){0,3}$|^\W*$|"
    r",\s+(?:most\s+|very\s+|quite\s+)?(?:likely|probably|possibly|apparently|presumably|"
    r"simply|just)\s+$",
    re.I,
)


_OVER = re.compile(
    r"\b(?:over|because\s+of|due\s+to|thanks\s+to|owing\s+to|down\s+to|blamed\s+on|"
    r"attributed\s+to|caused\s+by|result\s+of|traced\s+(?:back\s+)?to|put\s+down\s+to)\s+"
    r"(?:(?:a|an|the|one|single|"
    r"simple|tiny|small|lone|stray|\w+['’]s)\s+){0,3}$",
    re.I,
)
_CULPRIT_WORDS = re.compile(r"responsible|party|guilty", re.I)
_ARTEFACT = re.compile(r"\s+(?:in|inside|within|introduced|added|left)\b", re.I)
# What a slip did, right after it (a few words of its phrase between).
_SLIP_DID = re.compile(
    r"(?:\s+[\w-]+){0,8}?\s+(?:took|brought|knocked|wiped|deleted|broke|caused|triggered|"
    r"crashed|erased|tanked|cost|led\s+to|resulted\s+in|sent|sold|shut|blacked|plunged|"
    r"removed|dropped|destroyed)\b",
    re.I,
)


def error_phrase(c: Clause, m: re.Match[str]) -> Found | None:
    """Report "human error", "a mistake by ...": an error if the sentence makes it the cause."""
    if HE_NEGATED.search(c.text, max(0, m.start() - 30), m.start()):
        return None
    # "A mistake by the DBA", "human error by the release captain" name who erred.
    named = (
        m.re is HUMAN_ERROR_BY.pattern
        or c.text[m.end() : m.end() + 4].lower() == " by "
        or _CULPRIT_WORDS.search(m.group(0)) is not None  # "the person responsible"
    )
    if not named and HE_CONCEPT.search(c.text) and not HE_CAUSE.search(c.text):
        return None  # "human error refers to ...", "systems fail for many reasons"
    if not (named or HE_CAUSE.search(c.text) or _PREDICATED.search(c.text, 0, m.start())):
        return None  # named but not given as what went wrong here: a topic, not a cause
    as_cause = bool(ROOT_CAUSE.search(c.text))
    return Found("BLM201", m.start(), m.end(), "human_error", Level.ERROR if as_cause else None)


def mistake_owned(c: Clause, m: re.Match[str]) -> Found | None:
    """Report a mistake owned by a person ("a mistake on her part", "the typo Bob made")."""
    who = m.group("who")
    if who is None or c.people.kind(who, capitalised_name=True) in ("person", "team"):
        return Found("BLM201", m.start(), m.end(), "human_error")
    return None


def error_act(c: Clause, m: re.Match[str]) -> Found | None:
    """Report a slip owned by someone ("the trader's fat-finger error", "Ngozi's typo").

    A slip with no one named ("a command was issued with a typo") is the passive account
    the policy allows; a fat-fingered order or trade names the hand all the same.
    """
    text = c.text
    before = text[max(0, m.start() - 40) : m.start()].split()
    owned = bool(before) and c.people.kind(before[-1], capitalised_name=True) == "possessive"
    hand = m.group(0).lower().startswith("fat") and bool(ERROR_ACT_CAUSED.search(text))
    # "The site went down over a single mistyped flag": the slip given as the cause.
    given = bool(_OVER.search(text, max(0, m.start() - 40), m.start()))
    # "A single typo brought down half the internet": the slip is the subject of the harm.
    given = given or bool(_SLIP_DID.match(text, m.end()))
    if _ARTEFACT.match(text, m.end()):
        given = False  # "a typo introduced during a refactor": a fault in the code, as a bug
    if CAPABILITY.search(text) or HE_CONCEPT.search(text) or not (owned or hand or given):
        return None  # "a single bad keystroke can take it down" speaks of what could happen
    return Found("BLM201", m.start(), m.end(), "human_error")


TABLE = Table(
    (HUMAN_ERROR, error_phrase),
    (HUMAN_ERROR_BY, error_phrase),
    (ROLE_ERROR, error_phrase),
    (ERROR_ACT, error_act),
)
