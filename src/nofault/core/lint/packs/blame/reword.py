"""A blameless rewording built from the flagged sentence's own words.

A finding's general advice is the same for every sentence; what helps a writer is that advice
applied to what they wrote. "Dave forgot to renew the certificate" becomes "Renewing the
certificate depended on someone remembering it; what reminded people, and what did not?",
followed by the rule's advice. Only the flagged sentence is read, with patterns that cannot
backtrack (each alternative starts at a fixed word), so the cost stays linear.

When a sentence does not fit a shape below, the suggestion quotes the flagged words and gives
the advice: it never invents a subject or an object the writer did not write.
"""

from __future__ import annotations

import re

_I = re.IGNORECASE

# Irregular past forms and the -ing form of their verb.
_IRREGULAR_ING = {
    "ran": "running", "run": "running", "took": "taking", "taken": "taking", "made": "making",
    "saw": "seeing", "seen": "seeing", "did": "doing", "done": "doing", "went": "going",
    "gone": "going", "wrote": "writing", "written": "writing", "caught": "catching",
    "sent": "sending", "left": "leaving", "forgot": "forgetting", "forgotten": "forgetting",
    "knew": "knowing", "known": "knowing", "gave": "giving", "given": "giving",
    "brought": "bringing", "built": "building", "set": "setting", "put": "putting",
    "read": "reading", "shut": "shutting", "cut": "cutting", "hit": "hitting", "let": "letting",
    "began": "beginning", "begun": "beginning", "broke": "breaking", "broken": "breaking",
    "chose": "choosing", "chosen": "choosing", "drove": "driving", "driven": "driving",
    "got": "getting", "gotten": "getting", "kept": "keeping", "lost": "losing",
    "meant": "meaning", "paid": "paying", "said": "saying", "told": "telling",
    "thought": "thinking", "understood": "understanding", "upgraded": "upgrading",
}  # fmt: skip

_OMISSION = re.compile(
    r"\b(?:forgot|forgets|forget|failed|fails|neglected|neglects|omitted|omits)\s+to\s+"
    r"(?P<verb>[a-z]+)(?P<rest>[^,.;:!?]*)",
    _I,
)
_NOT_DONE = re.compile(
    # An adverb between is passed over: "never actually reloaded" is about reloading.
    r"\b(?:didn't|did\s+not|never|hadn't|had\s+not)\s+(?:[a-z]+ly\s+)?(?P<verb>[a-z]+)"
    r"(?P<rest>[^,.;:!?]*)",
    _I,
)
_SKIPPED = re.compile(r"\b(?:skipped|ignored|overlooked|missed)\s+(?P<rest>[^,.;:!?]+)", _I)
_SHOULD = re.compile(
    r"\b(?:should|could|would|must|ought\s+to)\s+have\s+(?:been\s+)?(?P<verb>[a-z]+)"
    r"(?P<rest>[^,.;:!?]*)",
    _I,
)
_CAUSE = re.compile(
    r"\b(?:caused|causing|cause|causes|triggered|led\s+to|resulted\s+in|took\s+down|brought"
    r"\s+down|broke)\s+(?P<rest>[^,.;:!?]+)",
    _I,
)
_CAUSED_BY = re.compile(
    r"^(?P<outcome>[^,.;:!?]*?)\s+(?:was|were|is|are)\s+(?:caused|triggered)\s+by\b", _I
)
_JUDGED = re.compile(
    r"\b(?:was|were|is|are|been|being)\s+(?:(?:too|so|very|rather|quite)\s+)?"
    r"(?P<word>[a-z][a-z-]+)",
    _I,
)
_MORE_CARE = re.compile(
    r"\b(?P<ask>(?:be|being|pay|paying|take|taking)\s+(?:more|extra|closer)\s+[a-z]+"
    r"(?:\s+attention)?|double-check\w*|check\s+harder)",
    _I,
)
# A clause ends at "and" or "because" for the object phrases read above.
_CLAUSE_END = re.compile(
    r"\s+(?:and|but|because|so|which|when|while|after|before|until|by|since)\s+.*$", _I
)


def gerund(verb: str) -> str:
    """Return the -ing form of a verb given in its base or its regular past form."""
    word = verb.lower()
    if word in _IRREGULAR_ING:
        return _IRREGULAR_ING[word]
    if word.endswith("ied") and len(word) > 4:
        return word[:-3] + "ying"
    if word.endswith("ed") and len(word) > 4:
        return word[:-2] + "ing"  # updated -> updat-ing, stopped -> stopp-ing
    if word.endswith("ie"):
        return word[:-2] + "ying"
    if word.endswith("e") and not word.endswith(("ee", "ye", "oe")) and len(word) > 2:
        return word[:-1] + "ing"
    vowels = "aeiou"
    if (
        len(word) == 3
        and word[-1] not in vowels + "wxy"
        and word[-2] in vowels
        and word[-3] not in vowels
    ):
        return word + word[-1] + "ing"  # run -> running, set -> setting
    return word + "ing"


def _phrase(rest: str) -> str:
    return " ".join(_CLAUSE_END.sub("", rest).split())


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _advice(general: str | None) -> str:
    """The rule's advice without its fixed example, which would not be about this sentence."""
    if not general:
        return ""
    head = re.split(r"[:.]\s", general + " ", maxsplit=1)[0].rstrip(" .")
    return head + "."


def _specific(sentence: str, flagged: str, kind: str) -> str | None:
    m = _OMISSION.search(sentence) or (
        _NOT_DONE.search(sentence) if kind in ("omission", "failed_to", "absent") else None
    )
    if m and kind in ("omission", "failed_to", "absent", "cause", "agent", "action"):
        doing = _capital(f"{gerund(m['verb'])} {_phrase(m['rest'])}".strip())
        return (
            f"{doing} depended on someone remembering to do it; what reminded people, "
            "and what did not?"
        )
    if kind in ("omission", "ignored_passive", "awareness") and (m := _SKIPPED.search(sentence)):
        return (
            f"What made passing over {_phrase(m['rest'])} look reasonable at the time: "
            "time pressure, what the tools showed, or the usual practice?"
        )
    if kind in ("modal", "counterfactual", "conditional", "instead", "supposed") and (
        m := _SHOULD.search(sentence)
    ):
        doing = f"{gerund(m['verb'])} {_phrase(m['rest'])}".strip()
        return (
            f"What did people see at the time that made {doing} look unnecessary? Describe "
            "what the tools and signals showed then."
        )
    if kind in ("cause", "agent", "possessive", "responsible", "human_error", "action"):
        by = _CAUSED_BY.search(sentence)
        outcome = _phrase(by["outcome"]) if by else ""
        if by and outcome[:1].isupper() and outcome[1:2].islower():
            outcome = outcome[:1].lower() + outcome[1:]  # it began the sentence
        if not outcome and (m := _CAUSE.search(sentence)):
            outcome = _phrase(m["rest"])
        if outcome:
            return (
                f"What let one action lead to {outcome}? Name the change and the conditions "
                "that allowed it to have this effect."
            )
    if kind in ("judgemental", "work") and (m := _JUDGED.search(flagged)):
        return (
            f"Instead of calling it {m['word'].lower()}, describe what was done, what could be "
            "seen at the time, and what pressures were on the people doing it."
        )
    if kind == "vigilance" and (m := _MORE_CARE.search(sentence)):
        return (
            f"Asking people to {m['ask'].lower()} changes nothing the next person will meet; "
            "name a change to the system (a check, a default, an alert) instead."
        )
    return None


def reword(sentence: str, start: int, end: int, kind: str, general: str | None) -> str | None:
    """Return a rewording of the flagged words in `sentence`, then the rule's general advice."""
    flagged = " ".join(sentence[start:end].split())
    specific = _specific(sentence, flagged, kind)
    advice = _advice(general)
    if specific is None:
        if not advice:
            return general
        return f"Instead of “{flagged}”: {advice[:1].lower()}{advice[1:]}" if flagged else advice
    return f"{specific} {advice}".strip()
