"""Reasoning written as prose: the sentences that explain why, wherever the layout puts them.

Careful readers rate a postmortem deep when it explains several conditions that combined and
looks at how the response went, whether that is in nofault's sections, a numbered list of
causes or the paragraphs of a narrative write-up. The structured parts of the score read the
first two; this module reads the third, so a narrative with real analysis is not scored as
empty and a long timeline or many headings add nothing by themselves.

Only sentences outside the timeline count (an event log is not an explanation), each
sentence counts once per kind, and terms are looked up word by word, so the scan is linear
in the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from nofault.core.document import Postmortem, Section, SectionKind
from nofault.core.lint.text import without_comments

# A sentence that says why: a cause, a condition, a consequence. Words and phrases, matched
# on the lower-cased words of each sentence; a word ending in "*" matches as a prefix.
_CAUSE_TERMS = (
    "because", "caused", "causing", "due to", "led to", "leading to", "resulted in",
    "as a result", "root cause", "root causes", "contribut*", "trigger", "triggers",
    "triggered", "the reason", "which meant", "meant that", "made it possible", "allowed",
    "underlying", "stemmed from", "stemming from", "combination", "so that", "so the",
    "so it", "so we", "so they", "so a", "so an", "so our", "so this", "so no", "so nobody",
    "since the", "this meant", "the cause", "exacerbat*", "compounded", "prevented",
)  # fmt: skip

# A sentence that looks at detection and the response: what hid the problem, what slowed or
# helped the people handling it, what was assumed and what was learnt.
_SEEN = ("caught", "noticed", "detected", "aware", "alerted")
_SEE = ("catch", "notice", "detect", "alert", "know", "realise", "realize", "expect")
_RESPONSE_TERMS = (
    *(f"{be} not {seen}" for be in ("was", "were") for seen in _SEEN),
    *(f"{be} {seen}" for be in ("wasn't", "weren't") for seen in _SEEN),
    *(f"{did} {see}" for did in ("did not", "didn't") for see in _SEE),
    "went unnoticed", "no alert", "no alerts", "not alerted", "monitoring", "observability",
    "visibility", "took longer", "took us longer", "slowed", "delayed", "went well",
    "went wrong", "lucky", "luckily", "in hindsight", "we learned", "we learnt", "lesson",
    "lessons", "learning", "learnings", "surpris*", "assum*", "expected", "tradeoff",
    "tradeoffs", "trade-off", "trade-offs", "unclear", "confus*", "gap", "gaps", "blind spot",
    "blind spots", "runbook", "runbooks", "playbook", "playbooks", "escalat*", "on-call",
    "oncall", "paged", "communicat*", "coordinat*", "handoff", "handoffs", "hand-off",
    "harder to", "made it difficult", "difficult to", "hard to", "could not tell",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Terms:
    """Terms by their first word: the rest of each phrase, and the prefixes."""

    phrases: dict[str, tuple[tuple[str, ...], ...]]
    prefixes: tuple[str, ...]

    @classmethod
    def of(cls, terms: tuple[str, ...]) -> _Terms:
        phrases: dict[str, list[tuple[str, ...]]] = {}
        for term in terms:
            if not term.endswith("*"):
                first, *rest = term.split()
                phrases.setdefault(first, []).append(tuple(rest))
        prefixes = tuple(t[:-1] for t in terms if t.endswith("*"))
        return cls({k: tuple(v) for k, v in phrases.items()}, prefixes)

    def found(self, words: list[str]) -> bool:
        """Tell whether one of the terms occurs in the words."""
        for index, word in enumerate(words):
            if word.startswith(self.prefixes):
                return True
            if word not in self.phrases:
                continue
            for rest in self.phrases[word]:
                if tuple(words[index + 1 : index + 1 + len(rest)]) == rest:
                    return True
        return False


_CAUSE = _Terms.of(_CAUSE_TERMS)
_RESPONSE = _Terms.of(_RESPONSE_TERMS)
_EDGES = ".,;:!?()[]{}\"'`*_“”‘’"
_LIST_ITEM = ("- ", "* ", "+ ")

# Distinct explaining sentences that earn each half in full: enough to cover several
# conditions and the path of the response, not so many that length alone is rewarded.
CAUSE_FULL = 8
RESPONSE_FULL = 6


@dataclass(frozen=True, slots=True)
class Reasoning:
    """How many sentences explain causes and how many examine detection and the response."""

    causes: int  # counted up to CAUSE_FULL
    response: int  # counted up to RESPONSE_FULL

    @property
    def fraction(self) -> float:
        """Return the score's fraction: causes weigh 0.6, the response 0.4, each capped."""
        return 0.6 * min(self.causes / CAUSE_FULL, 1.0) + 0.4 * min(
            self.response / RESPONSE_FULL, 1.0
        )


# Sections whose sentences explain causes, or examine detection and the response, by what
# they are; elsewhere (a summary, a narrative's own headings) a sentence's words decide.
_CAUSE_SECTIONS = {SectionKind.CONTRIBUTING_FACTORS, SectionKind.ANALYSIS, SectionKind.TRIGGER}
_RESPONSE_SECTIONS = {
    SectionKind.DETECTION, SectionKind.WENT_WELL, SectionKind.WENT_WRONG, SectionKind.LUCKY,
    SectionKind.SURPRISED, SectionKind.LESSONS,
}  # fmt: skip

# A narrative's own headings: one asking why or telling how it came about holds causes; one
# about noticing, responding or learning holds the response. Words, not whole headings.
_CAUSE_HEADING = re.compile(
    r"\b(?:why|causes?|caused|how\s+(?:we\s+got|it\s+happened|did\s+this)|contribut\w*"
    r"|analysis|background|went\s+wrong|factors?|conditions?|what\s+happened\s+and\s+why)\b",
    re.IGNORECASE,
)
_RESPONSE_HEADING = re.compile(
    r"\b(?:notic\w*|detect\w*|respon\w*|learn\w*|lessons?|went\s+well|lucky|surpris\w*"
    r"|reflections?|takeaways?|handling|recovery)\b",
    re.IGNORECASE,
)


def _place(section: Section) -> str:
    if section.kind in _CAUSE_SECTIONS:
        return "cause"
    if section.kind in _RESPONSE_SECTIONS:
        return "response"
    if section.kind is SectionKind.OTHER:
        if _RESPONSE_HEADING.search(section.heading):
            return "response"
        if _CAUSE_HEADING.search(section.heading):
            return "cause"
    return ""


def _segments(pm: Postmortem) -> tuple[tuple[str, str], ...]:
    """Return the text outside the timeline with what its place says it is (cause, response)."""
    segments = [(pm.preamble, "")]
    for section in pm.sections:
        if section.kind is SectionKind.TIMELINE:
            continue
        segments.append((section.body, _place(section)))
    # Items read from lists are not in their section's body; a factor states a condition.
    segments += [(f.text, "cause") for f in pm.contributing_factors]
    segments += [(answer, "cause") for chain in pm.why_chains for answer in chain.answers]
    return tuple((without_comments(text), place) for text, place in segments if text.strip())


def explaining_text(pm: Postmortem) -> str:
    """Return the document's text outside the timeline: preamble, sections, factors, chains."""
    return "\n\n".join(text for text, _ in _segments(pm))


def reasoning(pm: Postmortem) -> Reasoning:
    """Count the sentences outside the timeline that explain causes or examine the response."""
    return _reasoning(_segments(pm))


def _sentences(text: str) -> list[list[str]]:
    """Split text into sentences of lower-cased words: at . ! ?, blank lines and list items."""
    sentences: list[list[str]] = []
    current: list[str] = []
    for line in text.lower().replace("’", "'").splitlines():
        stripped = line.lstrip()
        # A table's cells are labels and values, not sentences; a factor table's rows are
        # read as factors and counted from there.
        if stripped.startswith("|"):
            continue
        head = stripped.split(maxsplit=1)[0] if stripped else ""
        if not stripped or stripped.startswith(_LIST_ITEM) or head[:-1].isdigit():
            sentences.append(current)
            current = []
        for raw in stripped.split():
            word = raw.strip(_EDGES)
            if word:
                current.append(word)
            if raw.endswith((".", "!", "?")):
                sentences.append(current)
                current = []
    sentences.append(current)
    return sentences


@lru_cache(maxsize=16)
def _reasoning(segments: tuple[tuple[str, str], ...]) -> Reasoning:
    causes = response = 0
    for text, place in segments:
        # Past the counts that score full nothing changes: stop reading (a long file is
        # scored on every keystroke pause).
        if causes >= CAUSE_FULL and response >= RESPONSE_FULL:
            break
        for sentence in _sentences(text):
            # A fragment of a few words (a heading, a list marker) explains nothing.
            if len(sentence) < 6:
                continue
            if causes < CAUSE_FULL:
                causes += place == "cause" or _CAUSE.found(sentence)
            if response < RESPONSE_FULL:
                response += place == "response" or _RESPONSE.found(sentence)
    return Reasoning(causes=causes, response=response)
