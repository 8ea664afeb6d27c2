"""BLM301: counterfactuals about what people did or should have done."""

from __future__ import annotations

import re

from nofault.core.lint.packs.blame.checks import Clause, Found, Table, by_subject
from nofault.core.lint.packs.blame.grammar import (
    TOKEN,
    by_system,
    clause_tokens,
    had_person,
    is_participle,
    next_words,
    np_after,
    subject_of,
    thing_agent,
)
from nofault.core.lint.packs.blame.lexicon import (
    ARTIFACTS,
    CONDUCT,
    DUTIES,
    HUMAN_ACTIONS,
    HUMAN_PASSIVES,
    ING_NOUNS,
    OUTCOMES,
    PATIENT,
)
from nofault.core.lint.packs.blame.patterns import (
    ARTIFACT_FAILED,
    BOTHER,
    EXPLAINED,
    FAILED_TO,
    FAILURE_TO,
    HAD_X,
    IF_HAD,
    IF_HAD_BEEN,
    IF_ONLY,
    INSTEAD,
    MODAL,
    RISK,
    SUPPOSED,
    WHY_DIDNT,
    WORSE,
    WOULD_HAVE,
)


def modal(c: Clause, m: re.Match[str]) -> Found | None:
    """Report "should have", "could have" said of what a person did or did not do."""
    text, people = c.text, c.people
    kind = (m.group("m") or m.group("m2")[:-1] + "d").lower().split()[0]
    nxt = next_words(text, m.end(), 3)
    if text[m.end() : m.end() + 2].strip()[:1] == "?":
        return None  # "(I think we should have?)": a hedge, not a verdict
    if not nxt or text[m.end() : m.end() + 2].strip()[:1] in (".", ",", ";", "!"):
        subj = subject_of(text, m.start(), people, person_only_verb=True)
        if subj.kind in ("person", "team", "possessive"):  # "... they should have."
            return Found("BLM301", subj.start, m.end(), "modal")
        return None
    verb = nxt[0]
    if kind == "could" and RISK.match(text, m.end()):
        return None  # a risk ("could have noticed it much later") or a weighed alternative
    if verb == "known" or not is_participle(verb):
        return None  # "should have known" is judgemental; "should have an alert" looks ahead
    subj = subject_of(text, m.start(), people, person_only_verb=True)
    human = subj.kind in ("person", "team", "possessive")
    after = nxt[1] if len(nxt) > 1 else ""
    if verb == "been":
        if after in ("obvious", "clear", "evident", "apparent", "plain"):
            return None  # hindsight, reported there
        if human:
            if after in PATIENT or (after not in CONDUCT and kind == "could"):
                return None
        elif after in ("faster", "quicker", "sooner", "earlier", "better", "smoother"):
            pass  # "the response could have been faster"
        elif (
            after not in HUMAN_PASSIVES
            or by_system(text, m.end(), people)
            or (subj.kind == "none" and kind == "could")
        ):
            return None
    elif human or subj.kind == "none":
        if kind == "could" and verb in OUTCOMES:
            return None
        if subj.kind == "none" and kind == "could":
            return None
    else:
        return None
    return Found("BLM301", subj.start if human else m.start(), m.end(), "modal")


_TRIED = re.compile(r"\b(?:tried|attempted|tries|attempts|struggled)\s+and\s+$", re.I)


def failed_to(c: Clause, m: re.Match[str]) -> Found | None:
    """Report "failed to", "neglected to" with a person (or no one named) as the subject."""
    if _TRIED.search(c.text, max(0, m.start() - 25), m.start()):
        return None  # "the crew tried and failed to turn back": effort, not an omission
    subj = subject_of(c.text, m.start(), c.people, person_only_verb=True)
    verb = m.group("v").lower()
    omitting = m.group(0)[:4].lower() in ("omit", "negl")
    if (
        subj.kind in ("person", "team", "possessive")
        or (subj.kind == "none" and verb in HUMAN_ACTIONS)
        or verb in DUTIES  # "the health board failed to act": a duty only people have
        or (omitting and subj.kind != "thing")
        or m.group(0)[:7].lower() == "omittin"
    ):
        return Found("BLM301", min(subj.start, m.start()), m.end(), "failed_to")
    return None


def failure_to(c: Clause, m: re.Match[str]) -> Found | None:
    """Report "failure to follow the procedure": an omission as a noun."""
    return Found("BLM301", m.start(), m.end(), "failed_to")


def bother(c: Clause, m: re.Match[str]) -> Found | None:
    """Report "didn't bother to" said of anyone but a thing."""
    if subject_of(c.text, m.start(), c.people, person_only_verb=True).kind != "thing":
        return Found("BLM301", m.start(), m.end(), "counterfactual")
    return None


def counterfactual(c: Clause, m: re.Match[str]) -> Found | None:
    """Report a counterfactual that needs no context ("if only")."""
    return Found("BLM301", m.start(), m.end(), "counterfactual")


# What follows a wishful "if only": a past form ("if only he had checked"), not a present
# passive ("if only the index is updated").
_WISH = re.compile(
    r"(?:\s+(?!is\b|are\b|has\b|have\b)[\w'’-]+){0,5}?\s+(?:had|were|was|did|knew|would|"
    r"could|[\w-]+ed)\b|\s*[a-z]+['’]d\b",
    re.I,
)


def if_only(c: Clause, m: re.Match[str]) -> Found | None:
    """Report "if only he had checked", not "(if only the index is updated)"."""
    if not _WISH.match(c.text, m.end()):
        return None
    return Found("BLM301", m.start(), m.end(), "counterfactual")


def had_inverted(c: Clause, m: re.Match[str]) -> Found | None:
    """Report an inverted conditional about a person ("had Bob checked, ...")."""
    end = had_person(c.text, m.end(), c.people)
    return Found("BLM301", m.start(), end, "conditional") if end else None


def if_had(c: Clause, m: re.Match[str]) -> Found | None:
    """Report "if <person> had <done>"."""
    if not IF_HAD.ready(c.masked_words):
        return None
    words = TOKEN.findall(m.group("s"))
    if not words or any(w.lower() in ("had", "have") for w in words):
        return None
    people = c.people
    kind = people.kind(words[-1], capitalised_name=True) or (
        people.kind(words[-2]) if len(words) >= 2 else None
    )
    if kind == "possessive" and len(words) >= 2:
        kind = "person"
    verb = m.group("v").lower()
    after = (m.group("w") or "").lower()
    if kind not in ("person", "team") or verb == "had" or not is_participle(verb):
        return None
    if verb == "been" and (after in PATIENT or after not in CONDUCT):
        return None
    return Found("BLM301", m.start(), m.end(), "conditional")


def if_had_been(c: Clause, m: re.Match[str]) -> Found | None:
    """Report "if the review had been done, ... would have": a step people did not take."""
    would = WOULD_HAVE.search(c.text, m.end())
    if would and not thing_agent(c.text, m.end(), c.people):
        if WORSE.search(c.text, would.end()) or WORSE.search(c.text, m.end(), would.start()):
            return None  # "if it had been deployed at noon, more users would have been hit"
        return Found("BLM301", m.start(), m.end(), "conditional")
    return None


def artifact_failed(c: Clause, m: re.Match[str]) -> Found | None:
    """Report "the patch failed to account for ...": a change people made left something out."""
    tokens, _b, _at = clause_tokens(c.text, m.start())
    if any(t.group(0).lower() in ARTIFACTS for t in tokens) and not EXPLAINED.search(
        c.text, m.end()
    ):
        return Found("BLM301", m.start(), m.end(), "failed_to")
    return None


def instead(c: Clause, m: re.Match[str]) -> Found | None:
    """Report "instead of checking" in a sentence about a person."""
    if m.group("v").lower() in ING_NOUNS:
        return None
    if any(
        c.people.kind(t.group(0)) in ("person", "possessive")
        for t in TOKEN.finditer(c.text)
        if t.group(0).lower() not in ("you", "anyone", "everyone", "nobody")
    ):
        return Found("BLM301", m.start(), m.end(), "instead")
    return None


def why_didnt(c: Clause, m: re.Match[str]) -> Found | None:
    """Report "why didn't <person> ..."."""
    kind, end = np_after(c.text, m.end(), c.people)
    return Found("BLM301", m.start(), end, "counterfactual") if kind in ("person", "team") else None


# "<person> was supposed to".
supposed = by_subject("BLM301", "supposed")


TABLE = Table(
    (MODAL, modal),
    (FAILED_TO, failed_to),
    (FAILURE_TO, failure_to),
    (BOTHER, bother),
    (IF_ONLY, if_only),
    (HAD_X, had_inverted),
    (IF_HAD, if_had),
    (IF_HAD_BEEN, if_had_been),
    (ARTIFACT_FAILED, artifact_failed),
    (SUPPOSED, supposed),
    (INSTEAD, instead),
    (WHY_DIDNT, why_didnt),
)
