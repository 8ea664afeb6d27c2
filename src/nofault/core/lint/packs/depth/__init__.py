"""The depth pack: catch superficial analysis that stops at the first cause.

Each detector asks one question of the parsed postmortem through `analysis` and points at
the part of the file that answers it through `locate`. The depth score (`score`) is attached
to every postmortem's lint result by a hook registered here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from nofault.core.document import SectionKind
from nofault.core.lint.context import LintContext
from nofault.core.lint.engine import LintResult, register_result_hook
from nofault.core.lint.packs.depth import analysis as a
from nofault.core.lint.packs.depth.locate import (
    chain_hit,
    event_hit,
    factor_hit,
    section_hit,
    section_span,
)
from nofault.core.lint.packs.depth.score import depth_score
from nofault.core.lint.packs.loader import load_pack
from nofault.core.lint.rule import Category, Detector, Hit, Rule
from nofault.core.lint.text import folded

_Check = Callable[[LintContext, Rule], Iterator[Hit]]


def _for_review(check: _Check) -> Detector:
    """Run a check only when the review level holds the postmortem to it."""

    def detect(ctx: LintContext, rule: Rule) -> Iterator[Hit]:
        if a.applies(rule, ctx.postmortem, ctx.config):
            yield from check(ctx, rule)

    detect.__doc__ = check.__doc__
    return detect


def _declared_zone(ctx: LintContext) -> str | None:
    """Return the zone the timeline declares, reading its table header too ("Time (UTC)")."""
    cache = vars(ctx)  # three rules and the score ask; the answer is the same for one lint
    if "_declared_zone" not in cache:
        span = section_span(ctx, SectionKind.TIMELINE)
        header = ""
        if span is not None:
            for block in ctx.blocks_between(*span):
                if block.type == "table":
                    header = ctx.lines[block.start]
                    break
        cache["_declared_zone"] = a.timeline_zone(ctx.postmortem, header)
    zone: str | None = cache["_declared_zone"]
    return zone


_ROOT_CAUSE = re.compile(
    "|".join(f"(?:{p})" for p in a.pack_entry("depth", "DEP102")["prose_patterns"]),
    re.IGNORECASE,
)


_ROOT_CAUSE_FOLDED = folded(_ROOT_CAUSE)
_NEGATIONS = frozenset(a.pack_entry("depth", "DEP102").get("negated_by", ()))
_NEGATION_WINDOW = 5  # words before the match


def _denied(text: str, start: int) -> bool:
    """Tell whether one of the few words before `start` denies what follows ("no single …")."""
    words = text[max(0, start - 60) : start].lower().replace("’", "'").split()
    return any(w.strip(',;:()"') in _NEGATIONS for w in words[-_NEGATION_WINDOW:])


def root_cause(ctx: LintContext, rule: Rule) -> Iterator[Hit]:
    """Flag prose that names "the root cause" or "the sole cause" of the incident."""
    for sentence in ctx.sentences:
        if sentence.in_quote:
            continue
        text = sentence.text
        # Every pattern holds "cause": one substring test skips the regex for most sentences
        # (casefold, so that the test is never stricter than the pattern's IGNORECASE).
        # ASCII text is matched lower-cased by the case-sensitive twin, at the same places.
        matches: Iterable[re.Match[str]]
        if _ROOT_CAUSE_FOLDED is not None and text.isascii():
            low = text.lower()
            matches = _ROOT_CAUSE_FOLDED.finditer(low) if "cause" in low else ()
        else:
            matches = _ROOT_CAUSE.finditer(text) if "cause" in text.casefold() else ()
        for m in matches:
            if _denied(text, m.start()):
                continue
            line, column = sentence.position(m.start())
            end_line, end_column = sentence.position(m.end())
            yield Hit(line, column, end_line, end_column)


def single_cause(ctx: LintContext, rule: Rule) -> Iterator[Hit]:
    """Flag a review that lists one contributing factor, or none, where there are always several."""
    pm = ctx.postmortem
    if pm.section(SectionKind.CONTRIBUTING_FACTORS) is None:
        return
    factors = pm.contributing_factors
    if len(factors) == 1:
        yield factor_hit(
            ctx, 0, factors[0].id,
            message="only one contributing factor is listed; complex failures have several",
        )  # fmt: skip
    elif not factors:
        yield section_hit(
            ctx, SectionKind.CONTRIBUTING_FACTORS,
            message="no contributing factor is listed (one list item per factor: - **CF1** …)",
        )  # fmt: skip


def person_as_factor(ctx: LintContext, rule: Rule) -> Iterator[Hit]:
    """Flag a contributing factor that is a person or 'human error' rather than a condition."""
    pm = ctx.postmortem
    for position, factor in enumerate(pm.contributing_factors):
        why = a.person_as_factor(factor, pm, ctx.config)
        if why:
            needle = why.split("'")[1] if "'" in why else None
            yield factor_hit(
                ctx, position, factor.id, needle,
                message=f"contributing factor {factor.id} names {why} as the cause",
            )  # fmt: skip


def chain_ends_at_person(ctx: LintContext, rule: Rule) -> Iterator[Hit]:
    """Flag a five-whys chain whose last answer is a person or a lapse, not the system."""
    pm = ctx.postmortem
    for number, chain in enumerate(pm.why_chains):
        if not chain.answers:
            continue
        why = a.non_systemic(chain.answers[-1], pm, ctx.config)
        if why:
            needle = why.split("'")[1] if "'" in why else None
            yield chain_hit(
                ctx, number, len(chain.answers) - 1, needle,
                message=f"the five whys stop at {why}; ask why that was a reasonable thing to do",
            )  # fmt: skip


def short_chain(ctx: LintContext, rule: Rule) -> Iterator[Hit]:
    """Flag a five-whys chain with fewer steps than the configured minimum."""
    for number, chain in enumerate(ctx.postmortem.why_chains):
        if a.chain_problem(chain, ctx.config):
            steps = len(chain.answers)
            yield chain_hit(
                ctx, number, None,
                message=f"five-whys chain has {steps} step{'s' * (steps != 1)}; "
                f"ask why at least {ctx.config.min_why_steps} times",
            )  # fmt: skip


def one_category(ctx: LintContext, rule: Rule) -> Iterator[Hit]:
    """Flag contributing factors that all fall in one category (or carry none)."""
    factors = ctx.postmortem.contributing_factors
    if len(factors) < 2:
        return
    categories = {f.category for f in factors if f.category is not None}
    if not categories:
        message = "no contributing factor has a category, so nobody can see what was looked for"
    elif len(categories) == 1:
        only = next(iter(categories)).value
        message = f"every contributing factor is {only}; no other kind of condition was looked for"
    else:
        return
    yield section_hit(ctx, SectionKind.CONTRIBUTING_FACTORS, message=message)


def no_detection_time(ctx: LintContext, rule: Rule) -> Iterator[Hit]:
    """Flag a review that never says when the problem was detected."""
    if not a.detection_time_known(ctx.postmortem):
        kind = (
            SectionKind.TIMELINE
            if ctx.postmortem.section(SectionKind.TIMELINE)
            else (SectionKind.DETECTION)
        )
        yield section_hit(ctx, kind)


def detection_not_described(ctx: LintContext, rule: Rule) -> Iterator[Hit]:
    """Flag a review that never says how the problem was noticed."""
    if not a.detection_described(ctx.postmortem):
        yield section_hit(ctx, SectionKind.DETECTION)


def thin_timeline(ctx: LintContext, rule: Rule) -> Iterator[Hit]:
    """Flag a timeline with fewer events than the severity asks for."""
    pm = ctx.postmortem
    minimum = a.min_timeline_events(pm, ctx.config)
    count = len(pm.timeline)
    if count < minimum:
        yield section_hit(
            ctx, SectionKind.TIMELINE,
            message=f"the timeline has {count} event{'s' * (count != 1)}; a {pm.severity} review "
            f"needs at least {minimum}",
        )  # fmt: skip


def timeline_order(ctx: LintContext, rule: Rule) -> Iterator[Hit]:
    """Flag timeline events whose time comes before an event listed above them."""
    events = ctx.postmortem.timeline
    timed = a.timed_events(ctx.postmortem, _declared_zone(ctx))
    for index, earlier in a.out_of_order(timed):
        yield event_hit(
            ctx, index, events[index].time,
            message=f"{events[index].time} comes before {events[earlier].time}, listed above it",
        )  # fmt: skip


def timeline_zone(ctx: LintContext, rule: Rule) -> Iterator[Hit]:
    """Flag timeline times that name no time zone (when the timeline declares none)."""
    events = ctx.postmortem.timeline
    if not events or _declared_zone(ctx):
        return
    bare = [i for i, e in enumerate(events) if not e.has_timezone()]
    if bare:
        first = bare[0]
        yield event_hit(
            ctx, first, events[first].time,
            message=f"{len(bare)} of {len(events)} timeline times name no time zone "
            f"(first: {events[first].time!r})",
        )  # fmt: skip


def impact_not_quantified(ctx: LintContext, rule: Rule) -> Iterator[Hit]:
    """Flag impact given without a duration, a count or a rate."""
    if not a.impact_quantified(ctx.postmortem):
        yield section_hit(ctx, SectionKind.IMPACT)


_LEARNING_NAMES = {
    SectionKind.WENT_WELL: "What went well",
    SectionKind.LUCKY: "Where we got lucky",
    SectionKind.SURPRISED: "What surprised us",
}


def learning_sections(ctx: LintContext, rule: Rule) -> Iterator[Hit]:
    """Flag a review without what went well, where it got lucky or what surprised it."""
    missing = a.missing_learning_sections(ctx.postmortem, ctx.config)
    if missing:
        names = ", ".join(f"'{_LEARNING_NAMES.get(k, k.value)}'" for k in missing)
        yield Hit(ctx.title_line(), 1, message=f"missing or empty: {names}")


RULES = load_pack(
    Path(__file__).with_name("rules.yaml"),
    Category.DEPTH,
    {
        name: _for_review(check)
        for name, check in {
            "single_cause": single_cause,
            "person_as_factor": person_as_factor,
            "chain_ends_at_person": chain_ends_at_person,
            "short_chain": short_chain,
            "one_category": one_category,
            "no_detection_time": no_detection_time,
            "detection_not_described": detection_not_described,
            "thin_timeline": thin_timeline,
            "timeline_order": timeline_order,
            "timeline_zone": timeline_zone,
            "impact_not_quantified": impact_not_quantified,
            "learning_sections": learning_sections,
        }.items()
    }
    | {"root_cause": root_cause},
)


@register_result_hook
def _attach_score(ctx: LintContext, result: LintResult) -> None:
    """Attach the depth score to every postmortem's lint result."""
    if not result.is_postmortem:
        return
    result.score = depth_score(
        ctx.postmortem, config=ctx.config, today=ctx.today, zone=_declared_zone(ctx)
    )
