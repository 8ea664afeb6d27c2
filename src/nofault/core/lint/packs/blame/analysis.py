"""One pass of the blame pack over a text's prose: the prefilter, the families, the hits.

A sentence is read only when it holds a key word of some gate; the gates it opens pick the
families of checks that run. Each family is a table of (gate, check) pairs in its module.
"""

from __future__ import annotations

import re
from functools import lru_cache

from nofault.core.document import SectionKind
from nofault.core.lint.context import LintContext
from nofault.core.lint.packs.blame import (
    counterfactual,
    guards,
    hindsight,
    human_error,
    judgement,
    learned,
    minimising,
    patterns,
    person,
    reported,
)
from nofault.core.lint.packs.blame.checks import Clause, Found
from nofault.core.lint.packs.blame.gates import ALNUM, Gated, alternation, key_word
from nofault.core.lint.packs.blame.grammar import (
    DETERMINERS,
    People,
    is_imperative,
    mask_quotes,
    supposed_at,
)
from nofault.core.lint.packs.blame.hint import action_hint
from nofault.core.lint.packs.blame.lexicon import LEXICON, SUGGESTIONS
from nofault.core.lint.packs.blame.patterns import (
    ACTION,
    CONSEQUENCE,
    CONSEQUENCE_FOLDED,
    HINDSIGHT_DISCUSSED,
    JUDGEMENT_EXCEPTIONS,
    META,
)
from nofault.core.lint.packs.blame.reword import reword
from nofault.core.lint.rule import Hit, Level, Rule
from nofault.core.lint.text import Sentence

_I = re.IGNORECASE

# Every key word of every pattern: a sentence with none of them is skipped at once.
ALL_GATES = tuple(g for g in vars(patterns).values() if isinstance(g, Gated))
NOT_TRIGGERS = frozenset({META, ACTION, JUDGEMENT_EXCEPTIONS})
# Gates that report nothing by themselves: the guide-text check (read before) and the
# exceptions to judgemental words.
INERT = frozenset({META, JUDGEMENT_EXCEPTIONS})
_BY_KEY: dict[str, list[Gated]] = {}
for _gate in ALL_GATES:
    for _word in _gate.keys:
        _BY_KEY.setdefault(_word, []).append(_gate)
ALL_KEYS = frozenset(_BY_KEY)
# Per key word: the gates it opens at once, and those that also need an `also` word.
_OPENS: dict[str, tuple[Gated, ...]] = {
    k: tuple(g for g in gates if not g.also) for k, gates in _BY_KEY.items()
}
_OPENS_ALSO: dict[str, tuple[Gated, ...]] = {
    k: tuple(g for g in gates if g.also) for k, gates in _BY_KEY.items()
}
_NONE: frozenset[Gated] = frozenset()


# Per set of key words found: the gates they open at once, and those that also need an
# `also` word. A pure function of the lexicon, kept for the process (bounded in size).
_OPENED: dict[frozenset[str], tuple[frozenset[Gated], tuple[Gated, ...]]] = {}
_OPENED_MAX = 4096


def gates_for(words: frozenset[str]) -> frozenset[Gated]:
    """Return the patterns that could match a text with these words."""
    return gates_for_keys(ALL_KEYS.intersection(words), words)


def gates_for_keys(hits: frozenset[str], words: frozenset[str]) -> frozenset[Gated]:
    """Return the patterns that could match a text with these words, given its key words."""
    if not hits:
        return _NONE
    entry = _OPENED.get(hits)
    if entry is None:
        opened = frozenset(g for k in hits for g in _OPENS[k])
        entry = (opened, tuple({g: None for k in hits for g in _OPENS_ALSO[k]}))
        if len(_OPENED) < _OPENED_MAX:
            _OPENED[hits] = entry
    opened, also = entry
    if not also:
        return opened
    more = [g for g in also if not g.also.isdisjoint(words)]
    return opened.union(more) if more else opened


def people_of(ctx: LintContext) -> People:
    """Return the names the document and the configured roster know."""
    names: set[str] = set()
    for raw in [*ctx.postmortem.people(), *ctx.config.roster]:
        for part in re.split(r"[\s,]+", str(raw)):
            part = part.strip("@<>()").lower()
            if len(part) >= 2 and part.isalpha() is not False and part not in DETERMINERS:
                names.add(part)
                names.add(part.split(".")[0])
    return People(frozenset(names))


@lru_cache(maxsize=32)
def own_words_pattern(words: tuple[str, ...]) -> re.Pattern[str] | None:
    """Return a pattern of the organisation's own blame words, or None when there are none."""
    return re.compile(rf"\b(?:{alternation(words)})\b", _I) if words else None


# The families that run on every opened sentence, and those that run unless it gives an
# instruction or looks ahead (an action item): their gates decide whether they run at all.
ALWAYS = (human_error.TABLE, judgement.TABLE, hindsight.TABLE)
ABOUT_THE_PAST = (person.TABLE, reported.TABLE, counterfactual.TABLE, minimising.TABLE)
PAST_GATES = tuple(table.gates for table in ABOUT_THE_PAST)


def find(clause: Clause, section: SectionKind | None) -> list[Found]:
    """Return every finding in one (quote-masked) sentence that no guard lifts.

    The guards (guards.py) are constructions that lay no blame whatever rule found the cue:
    suppositions, general statements, denials, things as the real subject.
    """
    found = find_cues(clause, section)
    return guards.keep(clause.text, found, clause.people) if found else found


def find_cues(clause: Clause, section: SectionKind | None) -> list[Found]:
    """Return every blame cue the families find in one (quote-masked) sentence."""
    found: list[Found] = []
    for table in ALWAYS:
        table.run(clause, found)
    opened = [not clause.ready.isdisjoint(gates) for gates in PAST_GATES]
    if not (any(opened) or found):
        return found
    if section is SectionKind.ACTION_ITEMS or is_imperative(clause.text):
        return [f for f in found if f.rule != "BLM501"]
    for table, runs in zip(ABOUT_THE_PAST, opened, strict=True):
        if runs:
            table.run(clause, found)
    # Blame inside a supposition ("if you nuke the tables by mistake", "whether it counts
    # as negligence") is not laid on anyone; counterfactuals and hindsight are read as such.
    if not found:
        return found
    discussed = any(f.rule == "BLM501" for f in found) and bool(
        HINDSIGHT_DISCUSSED.search(clause.text)
    )
    return [
        f
        for f in found
        if (f.rule in SUPPOSABLE or not supposed_at(clause.text, f.end))
        and not (discussed and f.rule == "BLM501")
    ]


SUPPOSABLE = frozenset({"BLM301", "BLM501"})


META_PHRASES: dict[str, list[frozenset[str]]] = {}
for _phrase in [*LEXICON["meta_cues"], "avoid", "only looks", "only seems", "only appears",
                "what should done", "not about who"]:  # fmt: skip
    _parts = frozenset(ALNUM.findall(str(_phrase).lower()))
    META_PHRASES.setdefault(key_word(str(_phrase)), []).append(_parts)


def meta_possible(words: frozenset[str]) -> bool:
    """Tell whether a sentence holds every word of some guide phrase."""
    return any(
        parts <= words for key in words.intersection(META_PHRASES) for parts in META_PHRASES[key]
    )


# Curly quotes and dashes as their ASCII twins, one character for one, so that positions in
# the lower-cased copy are positions in the sentence.
_ASCII_PUNCTUATION = str.maketrans("‘’“”–—", "''\"\"--")


def _ascii_lower(text: str, lowered: str | None) -> str | None:
    """Return the sentence lower-cased for the patterns' twins, or None if not ASCII."""
    if text.isascii():
        return lowered if lowered is not None else text.lower()
    low = text.translate(_ASCII_PUNCTUATION).lower()
    return low if low.isascii() and len(low) == len(text) else None


def analyse(ctx: LintContext) -> dict[str, list[Hit]]:
    """Run the blame pack over the prose once and return each rule's hits."""
    out: dict[str, list[Hit]] = {}
    people: People | None = None
    extra = own_words_pattern(tuple(ctx.config.blame_words))
    # The learned second opinion reads the sentences the rules leave without a warning.
    learn = [rule for rule in LEARNED if ctx.config.is_enabled(rule)]
    warned: set[int] = set()
    for index, sentence in enumerate(ctx.sentences):
        if sentence.in_quote:
            continue
        raw = sentence.text
        lowered = raw.lower()
        tokens = ALNUM.findall(lowered)
        keys = ALL_KEYS.intersection(tokens)
        if not keys and not (extra and extra.search(raw)):
            continue  # no pattern can match, and the hint needs one (most sentences)
        words = frozenset(tokens)
        ready = gates_for_keys(keys, words)
        triggered = not NOT_TRIGGERS.issuperset(ready)
        if (
            not triggered
            and not (extra and extra.search(raw))
            # The hint needs a person's action and a consequence in the same sentence.
            and (
                ACTION not in ready
                or sentence.section is SectionKind.ACTION_ITEMS
                or not (
                    CONSEQUENCE_FOLDED.search(lowered) if raw.isascii() else CONSEQUENCE.search(raw)
                )
            )
        ):
            continue
        text = mask_quotes(raw)
        low = _ascii_lower(text, lowered if text is raw else None)
        if META in ready and meta_possible(words) and META.pattern.search(text):
            continue
        if low is not None:
            ready = matching(ready, low)
            if not extra and ready <= INERT:
                continue  # no pattern that reports anything matches
        if people is None:
            people = people_of(ctx)
        # The failure-verb and "if ... had" gates read the quote-masked words, the rest raw.
        masked = words if text is raw else frozenset(ALNUM.findall(text.lower()))
        clause = Clause(text, people, ready, masked, low, extra)
        found = find(clause, sentence.section) if triggered or extra else []
        if not found and sentence.section is not SectionKind.ACTION_ITEMS:
            hint = action_hint(clause)
            if hint:
                found.append(hint)
        for f in dedupe(found):
            if f.rule != "BLM102" and f.level is not Level.INFO:
                warned.add(index)
            out.setdefault(f.rule, []).append(to_hit(sentence, text, f))
    for rule in learn:
        silent = (s for i, s in enumerate(ctx.sentences) if i not in warned)
        out[rule.code] = learned.hits(silent, rule.message, rule.suggestion)
    return out


def matching(ready: frozenset[Gated], low: str) -> frozenset[Gated]:
    """Drop the gates whose pattern has no match in an ASCII text, given it lower-cased.

    A gate left out would have found nothing: its checks run as before on what is left.
    """
    drop = [g for g in ready if g.folded is not None and g is not META and not g.folded.search(low)]
    return ready.difference(drop) if drop else ready


def dedupe(found: list[Found]) -> list[Found]:
    """Keep one finding per rule for overlapping spans (the first, widest)."""
    found.sort(key=lambda f: (f.rule, f.start, -f.end))
    kept: list[Found] = []
    for f in found:
        if kept and kept[-1].rule == f.rule and f.start < kept[-1].end:
            continue
        kept.append(f)
    return kept


# Each rule's message by code, filled in when the pack's rules are loaded.
MESSAGES: dict[str, str] = {}
# The learned rule (BLM601), filled in when the pack's rules are loaded.
LEARNED: list[Rule] = []


def to_hit(sentence: Sentence, text: str, f: Found) -> Hit:
    """Return the hit for a finding, its message quoting the words found."""
    line, column = sentence.position(f.start)
    end_line, end_column = sentence.position(f.end)
    phrase = " ".join(text[f.start : f.end].split())
    return Hit(
        line, column, end_line, end_column,
        message=f"{MESSAGES[f.rule]}: “{phrase}”",
        suggestion=reword(text, f.start, f.end, f.kind, SUGGESTIONS.get(f.kind)),
        level=f.level,
    )  # fmt: skip
