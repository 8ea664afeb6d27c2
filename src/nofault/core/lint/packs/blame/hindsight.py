"""BLM501: hindsight, the outcome read back into what people could have known."""

from __future__ import annotations

import re

from nofault.core.lint.packs.blame.checks import Clause, Found, Table
from nofault.core.lint.packs.blame.grammar import clause_tokens, negated_at, thing_agent
from nofault.core.lint.packs.blame.patterns import (
    ANYONE_SHOULD,
    BLAMEY,
    DETECTION_TIME,
    EXPLAINED,
    FORESEEABLE_THAT,
    HINDSIGHT,
    HINDSIGHT_ANY,
    HINDSIGHT_CUE,
    HINDSIGHT_PHRASE,
    HOW_MISSED,
    HOW_THROUGH,
    IT_WAS_CLEAR,
    KNOWN_RISK,
    RISK_NOUNS,
    WERE_OBVIOUS,
    WHY_MISJUDGED,
)


def hindsight(c: Clause, m: re.Match[str]) -> Found | None:
    """Report a hindsight phrase that needs no context ("the signs were all there")."""
    return Found("BLM501", m.start(), m.end(), "hindsight")


def in_hindsight(c: Clause, m: re.Match[str]) -> Found | None:
    """Report "in hindsight" when the sentence also says what should have been seen."""
    if HINDSIGHT_CUE.search(c.text, m.end()) or HINDSIGHT_CUE.search(c.text, 0, m.start()):
        return Found("BLM501", m.start(), m.end(), "hindsight")
    return None


def why_misjudged(c: Clause, m: re.Match[str]) -> Found | None:
    """Report "why was the impact misjudged?" unless a thing did the misjudging."""
    if not thing_agent(c.text, m.end(), c.people):
        return Found("BLM501", m.start(), m.end(), "hindsight")
    return None


def were_obvious(c: Clause, m: re.Match[str]) -> Found | None:
    """Report risks called obvious ("some of these were obvious"), not quick detection."""
    tokens, _b, at = clause_tokens(c.text, m.start())
    subject = c.text[tokens[0].start() if tokens else at : m.start()]
    if (
        tokens
        and tokens[0].start() > 0
        and c.text[: tokens[0].start()].rstrip().lower().endswith(("that", "which"))
    ):
        subject = c.text[: m.start()]  # "the chaos that followed was predictable"
    if RISK_NOUNS.search(subject) and not DETECTION_TIME.search(c.text):
        return Found("BLM501", m.start(), m.end(), "hindsight")
    return None


def it_was_clear(c: Clause, m: re.Match[str]) -> Found | None:
    """Report "it was clear that" followed by what someone missed or should have done."""
    if BLAMEY.search(c.text, m.end()):
        return Found("BLM501", m.start(), m.end(), "hindsight")
    return None


def how_missed(c: Clause, m: re.Match[str]) -> Found | None:
    """Report "how did nobody catch this?" as a question, not an account of detection."""
    if "?" in c.text[m.end() :]:
        return Found("BLM501", m.start(), m.end(), "hindsight")
    return None


def foreseen(c: Clause, m: re.Match[str]) -> Found | None:
    """Report the outcome read back as foreseeable, unless a reason from the data follows."""
    if m.group(0).lower().startswith(("surprised", "shocked")) and EXPLAINED.search(
        c.text, m.end()
    ):
        return None  # "surprised nobody on the storage team because the disks were full"
    return Found("BLM501", m.start(), m.end(), "hindsight")


def known_risk(c: Clause, m: re.Match[str]) -> Found | None:
    """Report a risk called long known or warned about, unless the sentence denies it."""
    if negated_at(c.text, m.start()) or _NOT_BEFORE.search(c.text, max(0, m.start() - 40), m.end()):
        return None  # "the flaw was not widely known", "none of this was common knowledge"
    return Found("BLM501", m.start(), m.end(), "hindsight")


_NOT_BEFORE = re.compile(r"\b(?:not|never|hardly|barely|none\s+of)\b|n['’]t\b", re.I)


TABLE = Table(
    (HINDSIGHT, hindsight),
    (HINDSIGHT_ANY, hindsight),
    (HINDSIGHT_PHRASE, in_hindsight),
    (WHY_MISJUDGED, why_misjudged),
    (WERE_OBVIOUS, were_obvious),
    (IT_WAS_CLEAR, it_was_clear),
    (HOW_MISSED, how_missed),
    (HOW_THROUGH, hindsight),
    (FORESEEABLE_THAT, foreseen),
    (ANYONE_SHOULD, hindsight),
    (KNOWN_RISK, known_risk),
)
