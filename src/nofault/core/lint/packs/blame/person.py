"""BLM101: a person, role or team made the cause of the failure."""

from __future__ import annotations

import re

from nofault.core.lint.packs.blame.checks import Clause, Found, Table, by_subject
from nofault.core.lint.packs.blame.grammar import (
    PAST_FORM,
    TOKEN,
    Subject,
    clause_tokens,
    elided_actor,
    first_actor,
    negated_at,
    next_words,
    np_after,
    person_subject,
    subject_of,
)
from nofault.core.lint.packs.blame.human_error import mistake_owned
from nofault.core.lint.packs.blame.lexicon import JUDGEMENT_VERBS, MISSED_TARGETS, REMEDY_VERBS
from nofault.core.lint.packs.blame.patterns import (
    ABSENT,
    AGENT,
    BEHIND,
    BLAME_DISCUSSED,
    BLAME_PLACED,
    BLAME_WITH,
    BREACHED,
    CAUSAL,
    CAUSAL_IS,
    CAUSE,
    CAUSE_SPLIT,
    CAUSED_FAILURE,
    CLEFT,
    CONSEQUENCE_LINK,
    CREDITED,
    CULPRIT_QUESTION,
    DECLINED,
    DEED_OUTCOME,
    DESTROYED,
    DID_NOT,
    DOING,
    ERROR_ADVERB,
    EXPLAINED,
    FAILURE_BY,
    FAILURE_CONTEXT,
    FAULT_OWNED,
    FAULTY_WORK,
    FELL_SHORT,
    FIRED,
    GERUND,
    HE_CAUSE,
    HE_NEGATED,
    INACTION,
    INSTEAD_OF_THING,
    IS_REASON,
    LET,
    MADE_SLIP,
    MISTAKE_OWNED,
    NEGATED_DEED,
    NEVER_DID,
    NOBODY_FROM,
    OMIT,
    PASSIVE_OMISSION,
    PAST_VERB,
    POSS_FAILURE_TO,
    POSS_SUBJECT,
    POSSESSIVE_FAULT,
    PUNITIVE,
    RECOVERY,
    RESPONSIBLE,
    ROLE_IN,
    ROOT_CAUSE,
    STEP_SKIPPED,
    SYSTEM_REASON,
    TOLD_NOBODY,
    UNAWARE,
    WHO_DID,
    WHY_PERSON,
    WHY_VERB,
    WITHOUT,
    WITHOUT_PERSON,
    WRONG_OBJECT,
)

_PASSIVE_BEFORE = re.compile(r"\b(?:was|were|been|being|is|are|get|got)\s+$")
_NEGATED_BEFORE = re.compile(
    r"(?:\b(?:not|no|never|rarely|seldom|hardly)|n['’]t)\s+(?:\w+\s+){0,2}$"
)
_PARTICIPLE_AFTER = re.compile(
    r"\s+(?:[\w-]+ed|[\w-]+en|set|put|cut|shut|run|sent|left|made)\b", re.I
)
_BY_AFTER = re.compile(r"\s+[\w-]+\s+by\s+(?!mistake|accident)", re.I)
_SYSTEM_OWNED = re.compile(
    r"['’]s\s+(?:[\w-]+\s+)?(?:network|networks|systems?|services?|platform|servers?|site|"
    r"website|app|apps|database|grid|infrastructure|software|routers?|switches|cloud|api|"
    r"cluster|backbone|data\s+cent(?:re|er))\b",
    re.I,
)
_PRAISED = re.compile(r"\b(?:prais|commend|credit|thank|applaud|laud)\w*", re.I)
_WHO_FOLLOWS = re.compile(r"(?:\s+[\w-]+){0,2}\s*,?\s*(?:who|that)\b")


def failure_verb(c: Clause, m: re.Match[str]) -> Found | None:
    """Report a person as the subject of a failure verb ("Bob broke", "she forgot")."""
    omission = m.re is OMIT.pattern
    if not (OMIT if omission else CAUSE).ready(c.masked_words):
        return None
    text, people = c.text, c.people
    verb = m.group(0).lower()
    nxt = next_words(text, m.end(), 4)
    if verb == "neglected" and nxt[:1] == ["to"]:
        return None  # a counterfactual ("neglected to"), reported there
    if verb == "missed" and any(w in MISSED_TARGETS for w in nxt):
        return None
    if _PASSIVE_BEFORE.search(text[max(0, m.start() - 12) : m.start()].lower()):
        if verb in ("ignored", "overlooked", "disregarded", "neglected", "misjudged",
                    "misread", "misunderstood"):  # fmt: skip
            if nxt[:1] == ["by"]:
                kind, _e = np_after(text, m.end() + 4, people)
                if not kind:
                    return None
            return Found("BLM101", m.start(), m.end(), "ignored_passive")
        return None
    person_only = verb not in ("crashed", "blew up", "blown up")
    subj = subject_of(
        text, m.start(), people, person_only_verb=person_only, negative_is_none=not omission
    )
    if (
        omission
        and DECLINED.match(verb)
        and EXPLAINED.search(text, m.end())
        and not SYSTEM_REASON.search(text, m.end())
    ):
        return None  # "did not check the dashboard because the pipeline reported success"
    if subj.kind in ("person", "possessive") or (subj.kind == "team" and omission):
        return Found("BLM101", subj.start, m.end(), "omission" if omission else "cause")
    return None


def possessive_fault(c: Clause, m: re.Match[str]) -> Found | None:
    """Report a fault owned by a person ("his mistake", "Bob's typo")."""
    if _NEGATED_BEFORE.search(c.text[max(0, m.start() - 20) : m.start()]):
        return None
    if _PRAISED.search(c.text, 0, m.start()):
        return None  # "the review praised the duty officer's decision": credit
    owner = m.group("owner")
    if owner is None or c.people.kind(owner + "'s", capitalised_name=True) == "possessive":
        return Found("BLM101", m.start(), m.end(), "possessive")
    return None


def _thanked(c: Clause, m: re.Match[str], end: int) -> bool:
    """Tell whether a "thanks to <person>" credits them ("thanks to Maya, who spotted it")."""
    return m.group(0)[:6].lower() == "thanks" and bool(CREDITED.match(c.text, end))


def fault_owned(c: Clause, m: re.Match[str]) -> Found | None:
    """Report a fault predicated of a person ("the error was hers"), unless it is denied."""
    if negated_at(c.text, m.start()) or _NEGATED_BEFORE.search(c.text, 0, m.end()):
        return None
    return Found("BLM101", m.start(), m.end(), "possessive")


def agent(c: Clause, m: re.Match[str]) -> Found | None:
    """Report a person as the agent of a cause ("caused by the intern", "blamed on Bob")."""
    kind, end = np_after(c.text, m.end(), c.people)
    if kind not in ("person", "possessive") or _thanked(c, m, end):
        return None
    if negated_at(c.text, m.start()):
        return None  # "none of the failures were the fault of the person who ran it"
    return Found("BLM101", m.start(), end, "agent")


def blame_with(c: Clause, m: re.Match[str]) -> Found | None:
    """Report "the blame lies with <person or team>"."""
    kind, end = np_after(c.text, m.end(), c.people)
    if kind in ("person", "possessive", "team"):
        return Found("BLM101", m.start(), end, "agent")
    return None


def causal(c: Clause, m: re.Match[str]) -> Found | None:
    """Report "because <person> ...", "traced back to <person>" tied to a failure."""
    text = c.text
    kind, end = np_after(text, m.end(), c.people, names=True)
    if kind not in ("person", "possessive") or _thanked(c, m, end):
        return None
    # "one team member typing": the head is the last of the person words in a row.
    while kind == "person" and (nxt := TOKEN.match(text, end + 1)) and text[end : end + 1] == " ":
        if c.people.kind(nxt.group(0)) not in ("person", "possessive"):
            break
        kind, end = c.people.kind(nxt.group(0)) or kind, nxt.end()
    if (
        kind == "possessive"
        or (FAILURE_CONTEXT.search(text) and PAST_VERB.match(text, end))
        or GERUND.match(text, end)
        or (
            not TOKEN.match(text, end + 1) or text[end : end + 2].strip()[:1] in (".", ",", ";", "")
        )
    ):
        return Found("BLM101", m.start(), end, "agent")
    return None


def cleft(c: Clause, m: re.Match[str]) -> Found | None:
    """Report "it was <person> who ..." about a failure."""
    kind, end = np_after(c.text, m.end(), c.people, names=True)
    if (
        kind in ("person", "team")
        and _WHO_FOLLOWS.match(c.text[end:])
        and FAILURE_CONTEXT.search(c.text, end)
    ):
        return Found("BLM101", m.start(), end, "agent")
    return None


def agent_phrase(c: Clause, m: re.Match[str]) -> Found | None:
    """Report a phrase that names a culprit by itself ("who approved this")."""
    return Found("BLM101", m.start(), m.end(), "agent")


def error_adverb(c: Clause, m: re.Match[str]) -> Found | None:
    """Report "mistakenly", "by accident" on a person's deed, a subject left unsaid too."""
    text, people = c.text, c.people
    if _PASSIVE_BEFORE.search(text[max(0, m.start() - 12) : m.start()].lower()) and (
        _PARTICIPLE_AFTER.match(text, m.end()) and not _BY_AFTER.match(text, m.end())
    ):
        return None  # "the key was accidentally deleted": a passive with no actor
    subj = subject_of(text, m.start(), people, person_only_verb=True)
    # "We by mistake passed the wrong flag" owns a slip; "we wrongly assessed it as
    # low-impact" judges a decision with hindsight.
    judged = bool(set(next_words(text, m.end(), 2)) & JUDGEMENT_VERBS)
    kinds = (
        ("person", "possessive")
        if m.group("accident") or not judged
        else ("person", "possessive", "team")
    )
    if elided_actor(text, m):
        return Found("BLM101", m.start(), m.end(), "cause")
    if subj.kind == "team" and EXPLAINED.search(text, m.end()):
        return None  # "we mistakenly assumed it was in sync, because the metric read zero"
    if subj.kind in ("none", "thing"):
        # "Two engineers deleted the cluster by accident": the adverb ends the clause, so
        # its subject is the first noun phrase of the clause (or of the sentence).
        tokens, _b, _at = clause_tokens(text, m.start())
        scope = tokens if subj.kind == "thing" else list(TOKEN.finditer(text, 0, m.start()))
        for tok in scope[:4] if subj.kind == "thing" else scope:
            if people.kind(tok.group(0), capitalised_name=True) in kinds:
                subj = Subject(people.kind(tok.group(0), capitalised_name=True) or "", tok.start())
                break
    if subj.kind in kinds and not (m.group("accident") and EXPLAINED.search(text)):
        return Found("BLM101", min(subj.start, m.start()), m.end(), "cause")
    return None


def why_person(c: Clause, m: re.Match[str]) -> Found | None:
    """Report "why did <person> not check ...?"."""
    kind, end = np_after(c.text, m.end(), c.people)
    verb = WHY_VERB.match(c.text, end) if kind in ("person", "team") else None
    return Found("BLM101", m.start(), verb.end(), "omission") if verb else None


def passive_omission(c: Clause, m: re.Match[str]) -> Found | None:
    """Report "was never tested" with no reason given."""
    if not EXPLAINED.search(c.text, m.end()):
        return Found("BLM101", m.start(), m.end(), "omission")
    return None


def without(c: Clause, m: re.Match[str]) -> Found | None:
    """Report "<person> deployed it without testing"."""
    if negated_at(c.text, m.start()):
        return None  # "they did not deploy without speaking to the lead": a care taken
    for tok in TOKEN.finditer(c.text, 0, m.start()):
        kind = c.people.kind(tok.group(0), capitalised_name=True)
        if kind in ("person", "possessive") and PAST_VERB.match(c.text, tok.end(), m.start()):
            return Found("BLM101", tok.start(), m.end(), "omission")
    return None


def possessive_subject(c: Clause, m: re.Match[str]) -> Found | None:
    """Report "Bob's change broke the build" in a sentence about a failure."""
    owner = m.group("owner") + "'s"
    if c.people.kind(owner, capitalised_name=True) != "possessive" or not FAILURE_CONTEXT.search(
        c.text
    ):
        return None
    if c.people.kind(owner) is None and _SYSTEM_OWNED.match(c.text, m.end("owner")):
        return None  # "Meridian's network went down": a company's system as the subject
    return Found("BLM101", m.start(), m.end(), "possessive")


def causal_is(c: Clause, m: re.Match[str]) -> Found | None:
    """Report "the cause was the intern", "this one is on me"."""
    if c.text[m.end() : m.end() + 5].lower() == "that ":
        return None  # "the root cause is that the ...": a clause follows, read on its own
    kind, end = np_after(c.text, m.end(), c.people, names=True)
    if "reason" in m.group(0).lower() and TOKEN.match(c.text, end + 1):
        return None  # "this is the reason we have a testnet": "we" starts a relative clause
    root = m.group(0).lower().startswith("root")
    if kind in ("person", "team", "possessive") and (root or FAILURE_CONTEXT.search(c.text)):
        return Found("BLM101", m.start(), end, "agent")  # "the root cause was the VP's decision"
    return None


def consequence_link(c: Clause, m: re.Match[str]) -> Found | None:
    """Report a person's deed followed by "which is why the incident dragged on"."""
    actor = first_actor(c.text, m.start(), c.people)
    if actor is None:
        # "The employee went around the release process, and that is why it fell over".
        found = deed_subject(c, _clause_start(c.text, m.start()), m.start())
        actor = found[0].start if found else None
    return Found("BLM101", actor, m.end(), "agent") if actor is not None else None


def punitive(c: Clause, m: re.Match[str]) -> Found | None:
    """Report punishment ("was let go", "disciplinary action"), unless it is ruled out."""
    if negated_at(c.text, m.start()):
        return None  # "no disciplinary action", "nobody should have been fired"
    return Found("BLM101", m.start(), m.end(), "punitive")


def negated_deed(c: Clause, m: re.Match[str]) -> Found | None:
    """Report "the reviewer did not run it" with no reason given."""
    subj = person_subject(c.text, m.start(), c.people)
    if subj.kind not in ("person", "possessive", "team") or EXPLAINED.search(c.text, m.end()):
        return None
    if subj.kind == "team" and SYSTEM_REASON.search(c.text, 0, m.start()):
        return None  # "because of a gap in routing, we did not learn of it until 09:10"
    return Found("BLM101", subj.start, m.end(), "omission")


_PASSIVE_THEN = re.compile(
    r"\b(?:is|are|was|were|be|been|being|get|got)\s+(?:\w+\s+){0,2}?\w+ed\b[^.;:]{0,40}?"
    r"\b(?:but|and|yet)\s+$",
    re.I,
)


def never_did(c: Clause, m: re.Match[str]) -> Found | None:
    """Report "the admin never reloaded the server", not a passive ("recorded but never mapped")."""
    if _PASSIVE_THEN.search(c.text, max(0, m.start() - 80), m.start()):
        return None
    return negated_deed(c, m)


def unaware(c: Clause, m: re.Match[str]) -> Found | None:
    """Report "the developer was unaware" with no account of what they could see."""
    if EXPLAINED.search(c.text, m.end()):
        return None  # what the person could see is given: that is the blameless account
    if m.group("be") or m.group("be2"):
        subj = person_subject(c.text, m.start(), c.people)
        head = c.text[subj.start : m.start()].split()
        if subj.kind not in ("person", "possessive") or head[-1:] in (["team"], ["teams"]):
            return None  # "the team was not aware" is the writing team's account, as "we"
        return Found("BLM101", subj.start, m.end(), "awareness")
    return Found("BLM101", m.start(), m.end(), "awareness")


def person_deed(c: Clause, m: re.Match[str]) -> Found | None:
    """Report a person as the author of faulty work or of an absence."""
    subj = person_subject(c.text, m.start(), c.people)
    if subj.kind in ("person", "possessive"):
        return Found("BLM101", subj.start, m.end(), "absent" if m.re is ABSENT.pattern else "cause")
    return None


def wrong_object(c: Clause, m: re.Match[str]) -> Found | None:
    """Report "the DBA dropped the wrong index" (not "noticed the wrong value")."""
    if m.group("v").lower() in REMEDY_VERBS:
        return None  # "Alice noticed the wrong value and fixed it": finding it, not doing it
    subj = person_subject(c.text, m.start(), c.people)
    if subj.kind in ("person", "possessive") and not EXPLAINED.search(c.text, m.end()):
        return Found("BLM101", subj.start, m.end(), "cause")
    return None


def caused_failure(c: Clause, m: re.Match[str]) -> Found | None:
    """Report a person, or one at work ("an employee carrying out repairs"), causing it."""
    subj = person_subject(c.text, m.start(), c.people)
    if subj.kind in ("person", "possessive") and not negated_at(c.text, m.start()):
        return Found("BLM101", subj.start, m.end(), "cause")
    return None


# --- a person's deed and what it did ------------------------------------------------------

# Past forms that are not a deed of the subject's ("a newly hired developer", "was paged").
_NOT_DEEDS = frozenset(
    [
        *("had", "called", "named", "hired", "based", "located", "supposed", "used", "involved"),
        *("needed", "expected", "required", "scheduled", "planned", "tasked", "assigned"),
        *("asked", "paged", "alerted", "notified", "told", "informed", "woken", "trained"),
        *("said", "reported", "stated", "claimed", "added", "explained", "noted", "confirmed"),
        *("tried", "wanted", "hoped", "seemed", "appeared", "meant", "intended", "attempted"),
    ]
)
# Verbs of choosing: "Alice used the script instead of the console" weighs an option.
_CHOICES = frozenset(
    [
        "chose",
        "decided",
        "opted",
        "picked",
        "preferred",
        "selected",
        "used",
        "went",
        "relied",
        "settled",
        "favoured",
        "favored",
    ]
)
_SENTENCE_START = re.compile(r"[.;:!?]\s+|\s[-—–]\s")


def _clause_start(text: str, end: int) -> int:
    """Return where the sentence part holding `end` begins (after ';', ':' or a full stop)."""
    last = 0
    for m in _SENTENCE_START.finditer(text, 0, end):
        last = m.end()
    return last


# Irregular past forms a deed takes besides those of PAST_FORM.
_PAST_MORE = frozenset(
    [
        "went",
        "did",
        "forgot",
        "hit",
        "cut",
        "let",
        "threw",
        "tore",
        "lost",
        "sold",
        "bought",
        "got",
        "drove",
    ]
)


def deed_subject(c: Clause, start: int, end: int) -> tuple[Subject, str] | None:
    """Return the person who does the first deed between `start` and `end`, and the verb."""
    tried = 0
    for tok in TOKEN.finditer(c.text, start, end):
        word = tok.group(0)
        past = PAST_FORM.fullmatch(word) or word.lower() in _PAST_MORE
        if not past or word.lower() in _NOT_DEEDS:
            continue
        if _PASSIVE_BEFORE.search(c.text, max(0, tok.start() - 12), tok.start()):
            return None  # "the key was deleted, which ...": no one acts
        subj = subject_of(c.text, tok.start(), c.people, person_only_verb=True)
        if subj.kind in ("person", "possessive"):
            return subj, word.lower()
        tried += 1
        if tried >= 2:
            return None
    return None


def deed_outcome(c: Clause, m: re.Match[str]) -> Found | None:
    """Report a person's deed followed by what it broke (", which took the site down")."""
    start = _clause_start(c.text, m.start())
    if EXPLAINED.search(c.text, start, m.start()) or RECOVERY.search(m.group(0)):
        return None  # what made the deed reasonable is given, or the deed was a fix
    found = deed_subject(c, start, m.start())
    return Found("BLM101", found[0].start, m.end(), "cause") if found else None


def instead_of_thing(c: Clause, m: re.Match[str]) -> Found | None:
    """Report a slip of the object ("a broker typed 300m instead of 3m")."""
    start = _clause_start(c.text, m.start())
    if EXPLAINED.search(c.text, start, m.end()):
        return None
    found = deed_subject(c, start, m.start())
    if found is None or found[1] in _CHOICES or found[1] in _PAST_MORE:
        return None
    alternative = TOKEN.search(c.text, m.end(), m.end() + 40)  # what was meant ("of 50")
    return Found("BLM101", found[0].start, alternative.end() if alternative else m.end(), "cause")


def blame_placed(c: Clause, m: re.Match[str]) -> Found | None:
    """Report blame put on a person, a team or a company ("placed the blame on the pilots")."""
    text = c.text
    if BLAME_DISCUSSED.search(text, max(0, m.start() - 40), m.start()) or negated_at(
        text, m.start()
    ):
        return None
    kind, end = np_after(text, m.end(), c.people)
    return Found("BLM101", m.start(), end, "agent") if kind in _PARTIES else None


_FAULTS = frozenset(["negligence", "carelessness", "misconduct", "incompetence"])


def failure_by(c: Clause, m: re.Match[str]) -> Found | None:
    """Report a failing by a person or team given as a cause ("a failure by its staff")."""
    text = c.text
    if HE_NEGATED.search(text, max(0, m.start() - 30), m.start()):
        return None
    kind, end = np_after(text, m.end(), c.people)
    if kind not in _PARTIES:
        return None
    noun = m.group(0).split()[0].lower()
    if noun in _FAULTS or ROOT_CAUSE.search(text) or HE_CAUSE.search(text):
        return Found("BLM101", m.start(), end, "agent")
    return None


_SOMEONE = frozenset(
    ["anyone", "anybody", "someone", "somebody", "everyone", "everybody", "nobody", "one"]
)


def without_person(c: Clause, m: re.Match[str]) -> Found | None:
    """Report "... without either crew member doing anything": an omission by a person."""
    who = m.group("who")
    if who.lower() in _SOMEONE or negated_at(c.text, m.start()):
        return None
    if c.people.kind(who) in ("person", "team"):
        return Found("BLM101", m.start(), m.end(), "omission")
    return None


_PARTIES = ("person", "possessive", "team")


def poss_failure_to(c: Clause, m: re.Match[str]) -> Found | None:
    """Report a person's failure to act, as a noun ("the contractor's failure to isolate")."""
    owner = m.group("owner")
    if owner is not None and c.people.kind(owner + "'s", capitalised_name=True) != "possessive":
        return None
    if negated_at(c.text, m.start()):
        return None
    return Found("BLM301", m.start(), m.end(), "failed_to")


_PURPOSE = re.compile(
    r"\s+(?:[\w-]+\s+){0,6}?(?:to|so\s+that|in\s+order\s+to)\s+[a-z]+", re.IGNORECASE
)


def destroyed(c: Clause, m: re.Match[str]) -> Found | None:
    """Report a person's destructive act on what people depend on ("wiped every server")."""
    if EXPLAINED.search(c.text, m.end()) or _PURPOSE.match(c.text, m.end()):
        return None  # what made it reasonable, or what it was for, is given
    subj = person_subject(c.text, m.start(), c.people)
    if subj.kind in ("person", "possessive") and not negated_at(c.text, m.start()):
        return Found("BLM101", subj.start, m.end(), "cause")
    return None


_PREPOSITIONS = frozenset(
    ["in", "of", "on", "at", "from", "with", "by", "for", "under", "inside", "within"]
)


def role_in(c: Clause, m: re.Match[str]) -> Found | None:
    """Report a person's part in a failure ("the chief officer's actions played a key role")."""
    tokens, _b, _at = clause_tokens(c.text, m.start())
    if any(t.group(0).lower() in _PREPOSITIONS for t in tokens):
        return None  # "a race in the lock manager played a role": the head is not a person
    subj = subject_of(c.text, m.start(), c.people, person_only_verb=True)
    if subj.kind in ("person", "possessive") and not negated_at(c.text, m.start()):
        return Found("BLM101", subj.start, m.end(), "agent")
    return None


def _opening_person(c: Clause, end: int) -> Subject | None:
    """Return a person who heads the sentence ("The night nurse restarted ... but did not")."""
    tokens, boundary, _at = clause_tokens(c.text, end)
    if tokens or boundary not in ("and", "but", "then", "yet", "or"):
        return None
    for tok in TOKEN.finditer(c.text, 0, min(end, 60)):
        word = tok.group(0)
        if PAST_FORM.fullmatch(word) or word.lower() in _PAST_MORE:
            return None  # the first verb came before any person
        if c.people.kind(word) == "person":
            return Subject("person", tok.start())
    return None


def nobody_from(c: Clause, m: re.Match[str]) -> Found | None:
    """Report "nobody from the facilities division told IT": an omission pinned on a team."""
    if EXPLAINED.search(c.text, m.end()) or c.text.rstrip()[-1:] == "?":
        return None
    return Found("BLM301", m.start(), m.end(), "omission")


def did_not(c: Clause, m: re.Match[str]) -> Found | None:
    """Report "the night nurse did not read the label": a deed a person left undone."""
    # A capitalised word alone is not taken for a person here ("Ocarina did not filter").
    subj = subject_of(c.text, m.start(), c.people)
    if subj.kind == "thing":
        # "The night nurse restarted the pump but did not read the label": the person who
        # opens the sentence, when the clause has no subject of its own.
        subj = _opening_person(c, m.start()) or subj
    if subj.kind != "person" or EXPLAINED.search(c.text, m.end()):
        return None
    if c.text[subj.start : m.start()].split()[-1:] in (["team"], ["teams"]):
        return None  # "the team didn't start until ...": the writing team's account, as "we"
    tokens, boundary, _at = clause_tokens(c.text, m.start())
    if boundary in ("that", "which", "whom") and tokens:
        return None  # "movements that the crew did not command": the deed is the object's
    if c.text.rstrip()[-1:] == "?" or SYSTEM_REASON.search(c.text, 0, m.start()):
        return None  # a question about it, or a reason outside people given first
    return Found("BLM301", subj.start, m.end(), "omission")


# Steps people are meant to take: "the canary stage was skipped" leaves one out.
_STEPS = re.compile(
    r"\b(?:tests?|testing|reviews?|checks?|canary|canaries|procedures?|process|steps?|"
    r"approvals?|sign-?offs?|change\s+control|checklists?|validation|verification|qa|"
    r"drills?|inspections?|rehearsals?)\b",
    re.IGNORECASE,
)


_SKIP_REASON = re.compile(
    r"\b(?:as|because|since|due\s+to|when|for|if|unless|by\s+design)\b", re.IGNORECASE
)


def step_skipped(c: Clause, m: re.Match[str]) -> Found | None:
    """Report a step people are meant to take, skipped ("key tests were skipped")."""
    tokens, _b, _at = clause_tokens(c.text, m.start())
    subject = c.text[tokens[0].start() : m.start()] if tokens else ""
    if not _STEPS.search(subject) or _SKIP_REASON.search(c.text, m.end()):
        return None  # "validation was skipped for 373 records as they came in another way"
    return Found("BLM301", tokens[0].start(), m.end(), "omission")


# "<person> let the certificate lapse", "<person> is the reason ...", "<person> took the
# payments service down", "<person> was responsible for the outage".
let_slip = by_subject("BLM101", "omission", ("person", "possessive", "team"))
is_reason = by_subject("BLM101", "agent")
cause_split = by_subject("BLM101", "cause")
responsible = by_subject("BLM101", "responsible", person_only_verb=False)
breached = by_subject("BLM101", "responsible")
# "An engineer made a config slip", "she made two typos".
made_slip = by_subject("BLM101", "cause")


TABLE = Table(
    (CAUSE, failure_verb),
    (OMIT, failure_verb),
    (POSSESSIVE_FAULT, possessive_fault),
    (AGENT, agent),
    (BLAME_WITH, blame_with),
    (CAUSAL, causal),
    (CLEFT, cleft),
    (WHO_DID, agent_phrase),
    (ERROR_ADVERB, error_adverb),
    (WHY_PERSON, why_person),
    (PASSIVE_OMISSION, passive_omission),
    (LET, let_slip),
    (WITHOUT, without),
    (POSS_SUBJECT, possessive_subject),
    (MISTAKE_OWNED, mistake_owned),
    (CAUSAL_IS, causal_is),
    (IS_REASON, is_reason),
    (CAUSE_SPLIT, cause_split),
    (CONSEQUENCE_LINK, consequence_link),
    (PUNITIVE, punitive),
    (FIRED, punitive),
    (RESPONSIBLE, responsible),
    (NEGATED_DEED, negated_deed),
    (NEVER_DID, never_did),
    (UNAWARE, unaware),
    (FAULTY_WORK, person_deed),
    (WRONG_OBJECT, wrong_object),
    (ABSENT, person_deed),
    (INACTION, passive_omission),
    (CULPRIT_QUESTION, agent_phrase),
    (CAUSED_FAILURE, caused_failure),
    (FAULT_OWNED, fault_owned),
    (DEED_OUTCOME, deed_outcome),
    (INSTEAD_OF_THING, instead_of_thing),
    (DOING, possessive_fault),
    (BEHIND, responsible),
    (BLAME_PLACED, blame_placed),
    (FAILURE_BY, failure_by),
    (WITHOUT_PERSON, without_person),
    (BREACHED, breached),
    (POSS_FAILURE_TO, poss_failure_to),
    (FELL_SHORT, breached),
    (DID_NOT, did_not),
    (STEP_SKIPPED, step_skipped),
    (MADE_SLIP, made_slip),
    (NOBODY_FROM, nobody_from),
    (DESTROYED, destroyed),
    (ROLE_IN, role_in),
    (TOLD_NOBODY, made_slip),
)
