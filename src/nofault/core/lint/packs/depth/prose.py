"""Reasoning written as prose: the sentences that explain why, wherever the layout puts them.

Careful readers rate a postmortem deep when it explains several conditions that combined and
looks at how the response went, whether that is in nofault's sections, a numbered list of
causes or the paragraphs of a narrative write-up. The structured parts of the score read the
first two; this module reads the third, so a narrative with real analysis is not scored as
empty and a long timeline or many headings add nothing by themselves.

Only sentences outside the timeline count (an event log is not an explanation), each
sentence counts once per kind, and the patterns are plain alternations of words, so the scan
is linear in the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from nofault.core.document import Postmortem, Section, SectionKind
from nofault.core.lint.text import without_comments

# A sentence that says why: a cause, a condition, a consequence.
_CAUSE = re.compile(
    r"\b(?:because|caused|causing|due\s+to|led\s+to|leading\s+to|resulted\s+in|as\s+a\s+result"
    r"|root\s+causes?|contribut\w*|trigger(?:ed|s)?|the\s+reason|which\s+meant|meant\s+that"
    r"|made\s+it\s+possible|allowed|underlying|stemm(?:ed|ing)\s+from|combination"
    r"|so\s+that|,\s+so\s+(?:the|it|we|they|a|an|our|this|that|no|nobody)|since\s+the|this\s+meant|the\s+cause|exacerbat\w*|compounded|prevented)\b",
    re.IGNORECASE,
)

# A sentence that looks at detection and the response: what hid the problem, what slowed or
# helped the people handling it, what was assumed and what was learnt.
_RESPONSE = re.compile(
    r"\b(?:(?:was|were|wasn't|weren't)\s+not\s+(?:caught|noticed|detected|aware|alerted)"
    r"|(?:wasn't|weren't)\s+(?:caught|noticed|detected|aware|alerted)"
    r"|(?:did\s+not|didn't)\s+(?:catch|notice|detect|alert|know|realise|realize|expect)"
    r"|went\s+unnoticed|no\s+alerts?|not\s+alerted|monitoring|observability|visibility"
    r"|took\s+(?:us\s+)?longer|slowed|delayed|went\s+well|went\s+wrong|lucky|luckily"
    r"|in\s+hindsight|we\s+learn(?:ed|t)|lessons?|learnings?|surpris\w*|assum\w*"
    r"|expected|trade-?offs?|unclear|confus\w*|gaps?|blind\s+spots?|runbooks?|playbooks?"
    r"|escalat\w*|on-?call|paged|communicat\w*|coordinat\w*|handoffs?|hand-offs?"
    r"|harder\s+to|made\s+it\s+difficult|difficult\s+to|hard\s+to|could\s+not\s+tell)\b",
    re.IGNORECASE,
)

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n[ \t]*\n|\n[ \t]*(?:[-*+]|\d+[.)])[ \t]+")

# Distinct explaining sentences that earn each half in full: enough to cover several
# conditions and the path of the response, not so many that length alone is rewarded.
CAUSE_FULL = 8
RESPONSE_FULL = 6


@dataclass(frozen=True, slots=True)
class Reasoning:
    """How many sentences explain causes and how many examine detection and the response."""

    causes: int
    response: int
    words: int

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


@lru_cache(maxsize=16)
def _reasoning(segments: tuple[tuple[str, str], ...]) -> Reasoning:
    causes = response = words = 0
    for text, place in segments:
        words += len(text.split())
        # A table's cells are labels and values, not sentences; a factor table's rows are
        # read as factors and counted from there.
        text = "\n".join(ln for ln in text.splitlines() if not ln.lstrip().startswith("|"))
        for sentence in _SENTENCE_END.split(text):
            # A fragment of a few words (a heading, a table cell) explains nothing.
            if len(sentence.split()) < 6:
                continue
            causes += place == "cause" or bool(_CAUSE.search(sentence))
            response += place == "response" or bool(_RESPONSE.search(sentence))
    return Reasoning(causes=causes, response=response, words=words)
