"""BLM401: judgemental words about people and their work, and vows of more care."""

from __future__ import annotations

import re

from nofault.core.lint.packs.blame.checks import OWN_WORDS, Clause, Found, Table
from nofault.core.lint.packs.blame.grammar import (
    TOKEN,
    Subject,
    about_someone,
    is_imperative,
    negated_at,
    person_subject,
    subject_of,
)
from nofault.core.lint.packs.blame.lexicon import OUTCOME_JUDGEMENTS
from nofault.core.lint.packs.blame.patterns import (
    BEFORE_STEP,
    CARE_ASKED,
    CONDUCT,
    CRITICISED,
    CULPRIT_ASKED,
    EXPLAINED,
    INCOMPETENT,
    INCREDULITY,
    JUDGEMENT,
    NOBODY_QUESTION,
    PERSON_STATE,
    PERSON_TRAIT,
    POOR_WORK,
    PUNISH_CALL,
    REASON,
    THOUGHT_FINE,
    TRAINING_FIX,
    VIGILANCE,
    VOW,
    VOW_DISCUSSED,
    WHAT_THINKING,
    WHY_WOULD,
)

_NEGATED_JUDGEMENT = re.compile(
    r"(?:\b(?:not|never|rarely|seldom|hardly|nor)|n['’]t)\s+(?:\w+\s+){0,2}$", re.I
)


_NAMED_AS = re.compile(
    r"\b(?:call(?:ing|ed|s)?|label(?:l?ing|l?ed|s)?|term(?:ing|ed|s)?|dismiss(?:ing|ed)?\s+it\s+as|"
    r"writ(?:e|ing|ten)\s+(?:it\s+)?off\s+as)\s+(?:it|this|that|them|him|her|something|"
    r"(?:the|a|an|their|his|her|its)\s+[\w-]+)\s+"
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
    named = _NAMED_AS.search(c.text, max(0, m.start() - 30), m.start())
    if named and not any(
        c.people.kind(t.group(0)) in ("person", "team") for t in TOKEN.finditer(named.group(0))
    ):
        return None  # "calling it carelessness would explain nothing": the word as a label
    if _CARE_WORDS.search(m.group(0)) and VOW_DISCUSSED.search(c.text):
        return None  # "asking people to be more careful is not a fix"
    if m.group(0).lower() in OUTCOME_JUDGEMENTS and (
        not about_someone(c.text, m, c.people) or is_imperative(c.text)
    ):
        # "Losing data is unacceptable" judges the outcome, not a person; "remind
        # them that hindsight makes it feel embarrassing" is guide text.
        return None
    return Found("BLM401", m.start(), m.end(), "judgemental")


_CARE_WORDS = re.compile(r"\b(?:careful|attentive|diligent|attention)\b", re.I)


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
    subj = _quoted_subject(c, m.start())
    if subj.kind in ("person", "possessive", "team"):
        return Found("BLM401", subj.start, m.end(), "judgemental")
    return None


_QUOTE_BEFORE = re.compile(r"[\"“‘']\s*$")


def _quoted_subject(c: Clause, start: int) -> Subject:
    """Find a verb's subject, reading past a quotation that opens before the verb.

    'The pilots "over-relied on automation," the chair said': the quotation mark stands
    between the subject and its verb.
    """
    subj = person_subject(c.text, start, c.people)
    quote = _QUOTE_BEFORE.search(c.text, max(0, start - 3), start)
    if subj.kind == "none" and quote is not None:
        return person_subject(c.text, quote.start(), c.people)
    return subj


def vow(c: Clause, m: re.Match[str]) -> Found | None:
    """Report more care, attention or vigilance as the fix, unless the sentence rejects it."""
    if VOW_DISCUSSED.search(c.text):
        return None
    return Found("BLM401", m.start(), m.end(), "vigilance")


# The speaker and the writing team: disbelief at what "we" or "I" did is ownership, and a
# judge of what someone else did must name them.
_SPEAKER = frozenset({"i", "me", "my", "we", "us", "our"})
_DEED_GERUND = re.compile(
    r"^\W*(?:[A-Z]\w*\s+)?(?:\w+ly\s+)?(?:skipping|pushing|deploying|shipping|putting|running|"
    r"leaving|ignoring|letting|giving|merging|releasing|rolling|disabling|deleting|storing|"
    r"hard-?coding|keeping|allowing|relying|trusting|doing|making|sending|approving)\b",
    re.I,
)
_EXCULPATED = re.compile(
    r"\b(?:nobody|no\s+one)\s+could\s+have|could(?:\s+not|n['’]t)\s+have\s+known|"
    r"\bnot\s+(?:their|his|her|anyone['’]s)\s+fault\b",
    re.I,
)


_PREDICTED = re.compile(
    r"\b(?:will|would|may|might|could|can|tends?\s+to)\s+(?:\w+\s+)?(?:find|seem|look|appear|"
    r"feel)\b",
    re.I,
)


def _someone_acts(c: Clause, end: int | None = None) -> bool:
    """Tell whether a person or team other than the writer is named in the sentence."""
    return any(
        c.people.kind(t.group(0)) in ("person", "team", "possessive")
        and t.group(0).lower() not in _SPEAKER
        for t in TOKEN.finditer(c.text, 0, len(c.text) if end is None else end)
    )


def incredulity(c: Clause, m: re.Match[str]) -> Found | None:
    """Report disbelief at what someone did ("it is incomprehensible that none of them ...")."""
    if _NEGATED_JUDGEMENT.search(c.text, max(0, m.start() - 30), m.start()):
        return None  # "it is not crazy to want a canary"
    if _EXCULPATED.search(c.text) or VOW_DISCUSSED.search(c.text):
        return None
    if _PREDICTED.search(c.text, 0, m.start()):
        return None  # "a reviewer who knows the ending will find their choices baffling"
    if _someone_acts(c) or _DEED_GERUND.match(c.text):
        return Found("BLM401", m.start(), m.end(), "judgemental")
    return None


def thought_fine(c: Clause, m: re.Match[str]) -> Found | None:
    """Report "someone thought skipping the test was a good idea": a decision mocked."""
    before = c.text[max(0, m.start() - 12) : m.start()].lower().split()
    if before and before[-1] in ("who", "whoever"):
        return Found("BLM401", m.start(), m.end(), "judgemental")
    subj = subject_of(c.text, m.start(), c.people, person_only_verb=True)
    if subj.kind in ("person", "possessive", "team") and not negated_at(c.text, m.start()):
        return Found("BLM401", subj.start, m.end(), "judgemental")
    return None


def what_thinking(c: Clause, m: re.Match[str]) -> Found | None:
    """Report "what were they thinking?": a question that mocks someone's judgement."""
    if _someone_acts(c):
        return Found("BLM401", m.start(), m.end(), "judgemental")
    return None


_INTENSE = re.compile(r"\b(?:earth|world|hell|oh\s+why)\b", re.I)


def why_would(c: Clause, m: re.Match[str]) -> Found | None:
    """Report "why would they push it on a Friday?" about a person's choice."""
    if not (m.group("aux").lower().startswith("would") or _INTENSE.search(m.group(0))):
        return None  # "why did the engineer restart it?" asks, as a five-whys does
    words = m.group("who").split()
    if words and words[0].lower() in ("the", "a", "an", "any", "some", "that", "this"):
        words = words[1:]
    if (
        words
        and c.people.kind(words[0]) in ("person", "team")
        and words[0].lower() not in (_SPEAKER)
    ):
        return Found("BLM401", m.start(), m.end(), "judgemental")
    return None


def incompetent(c: Clause, m: re.Match[str]) -> Found | None:
    """Report a person's competence judged ("weren't competent to run it", "in over his head")."""
    if m.group(0).lower().startswith(("too little", "whether", "if ", "how little")):
        return Found("BLM401", m.start(), m.end(), "judgemental")  # a response judged
    if EXPLAINED.search(c.text, m.end()) or _NEGATED_JUDGEMENT.search(
        c.text, max(0, m.start() - 30), m.start()
    ):
        return None  # "didn't fully understand it, because the manual left it out"
    subj = _quoted_subject(c, m.start())
    if subj.kind in ("person", "possessive", "team"):
        return Found("BLM401", subj.start, m.end(), "judgemental")
    return None


def conduct(c: Clause, m: re.Match[str]) -> Found | None:
    """Report a person's conduct or character judged ("too eager to ship", "panicked")."""
    if EXPLAINED.search(c.text, m.end()) or (
        negated_at(c.text, m.start())
        and not re.match(r"(?:didn|did\s+not|never)", m.group(0), re.I)
    ):
        return None  # "patched it by hand because the pipeline was down", "nobody panicked"
    if _MOTIVE.match(m.group(0)):
        return Found("BLM401", m.start(), m.end(), "judgemental")  # only people act from spite
    if m.group(0).lower().startswith("without"):
        subj = person_subject(c.text, _first_verb(c.text, m.start()), c.people)
    else:
        subj = _quoted_subject(c, m.start())
    if subj.kind in ("person", "possessive", "team") or _KNOW_ALL.match(m.group(0)):
        return Found(
            "BLM401", subj.start if subj.kind != "none" else m.start(), m.end(), "judgemental"
        )
    return None


_MOTIVE = re.compile(r"(?:out\s+of|from|through)\s", re.I)
_KNOW_ALL = re.compile(r"know-?it-?all", re.I)


def _first_verb(text: str, end: int) -> int:
    """Return where the last word before `end` that ends in -ed starts (the deed), or `end`."""
    last = None
    for w in re.finditer(r"\b[a-z]+ed\b", text[:end], re.I):
        last = w
    return last.start() if last else end


def care_asked(c: Clause, m: re.Match[str]) -> Found | None:
    """Report more care asked of people as the fix ("we will remind staff to double-check")."""
    if VOW_DISCUSSED.search(c.text):
        return None
    who = m.group("who") or m.group("who3")
    if who is not None:
        last = who.split()[-1]
        if c.people.kind(last) in ("person", "team") or last.lower() in _CROWD:
            return Found("BLM401", m.start(), m.end(), "vigilance")
        return None
    if m.group("modal") is not None or m.group("passive") is not None:
        subj = person_subject(c.text, m.start(), c.people)
        if subj.kind not in ("person", "team") or negated_at(c.text, m.start()):
            return None  # "the script should double-check the region"
        return Found("BLM401", subj.start, m.end(), "vigilance")
    return Found("BLM401", m.start(), m.end(), "vigilance")


_CROWD = frozenset(
    {"staff", "everyone", "everybody", "all", "people", "team", "teams", "folks", "colleagues"}
)


def nobody_question(c: Clause, m: re.Match[str]) -> Found | None:
    """Report "is there really nobody there who checks?": a question that finds people wanting."""
    return Found("BLM401", m.start(), m.end(), "judgemental")


def training_fix(c: Clause, m: re.Match[str]) -> Found | None:
    """Report training of the people involved as the fix ("the engineer needs more training")."""
    if VOW_DISCUSSED.search(c.text) or _someone_denied(c.text, m.start()):
        return None  # "more training is not the answer", "rather than retraining staff"
    subj = person_subject(c.text, m.start(), c.people)
    if subj.kind in ("person", "possessive", "team") and subj.kind != "team":
        return Found("BLM401", subj.start, m.end(), "vigilance")
    if m.group(0).lower().startswith(("remedial", "refresher")) and _someone_acts(c):
        return Found("BLM401", m.start(), m.end(), "vigilance")
    return None


def criticised(c: Clause, m: re.Match[str]) -> Found | None:
    """Report criticism of a person or company for what they did ("MPs criticised the CEO over")."""
    if negated_at(c.text, m.start()) or VOW_DISCUSSED.search(c.text):
        return None  # "nobody criticised the on-call engineer"
    rest = m.group("rest")
    # The one criticised: the object ("blasted the carrier's staff for"), or the subject of a
    # passive ("the chief executive was criticised by MPs over").
    if rest and any(
        c.people.kind(t.group(0)) in ("person", "team", "possessive")
        for t in TOKEN.finditer(rest.split(" by ")[0])
    ):
        return Found("BLM401", m.start(), m.end(), "judgemental")
    subj = person_subject(c.text, m.start(), c.people)
    if subj.kind in ("person", "possessive") and re.search(
        r"\b(?:was|were|been|being|is|are|got|get)\s+(?:\w+ly\s+)?$", c.text[: m.start("verb")]
    ):
        return Found("BLM401", subj.start, m.end(), "judgemental")
    return None


def culprit_asked(c: Clause, m: re.Match[str]) -> Found | None:
    """Report a question that looks for a culprit ("which genius turned off the alerts?")."""
    return Found("BLM101", m.start(), m.end(), "responsible")


def punish_call(c: Clause, m: re.Match[str]) -> Found | None:
    """Report a call for punishment ("heads should roll", "he deserves to be fired")."""
    if negated_at(c.text, m.start()) or _someone_denied(c.text, m.start()):
        return None  # "nobody should be fired over this"
    return Found("BLM101", m.start(), m.end(), "punitive")


_DENIAL = re.compile(
    r"\b(?:nobody|no\s+one|not|never|n['’]t|shouldn['’]t|whether|if|fear\w*|afraid|worried|"
    r"scared|rather\s+than|instead\s+of)\b",
    re.I,
)


def _someone_denied(text: str, start: int) -> bool:
    return bool(_DENIAL.search(text, max(0, start - 60), start))


TABLE = Table(
    (JUDGEMENT, judged),
    (OWN_WORDS, judged),
    (POOR_WORK, poor_work),
    (VIGILANCE, vigilance),
    (REASON, for_some_reason),
    (PERSON_STATE, person_state),
    (PERSON_TRAIT, person_state),
    (VOW, vow),
    (INCREDULITY, incredulity),
    (THOUGHT_FINE, thought_fine),
    (WHAT_THINKING, what_thinking),
    (WHY_WOULD, why_would),
    (INCOMPETENT, incompetent),
    (CARE_ASKED, care_asked),
    (PUNISH_CALL, punish_call),
    (NOBODY_QUESTION, nobody_question),
    (TRAINING_FIX, training_fix),
    (CRITICISED, criticised),
    (CULPRIT_ASKED, culprit_asked),
    (CONDUCT, conduct),
)
