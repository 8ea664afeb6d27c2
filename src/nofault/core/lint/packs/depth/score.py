"""The depth score: 0 to 100 for how far a postmortem's analysis and follow-through go.

Pure functions over a `Postmortem`, so the linter, the web editor and insights all compute
the same number. Each part asks one question, answers it with a fraction from 0 to 1 and a
line of detail, and is weighted by the review level: a light review of a minor incident is
scored on the few parts it is asked for, so a short review can still score well.
"""

from __future__ import annotations

from datetime import date

from nofault.core.document import ActionItem, Postmortem, ReviewLevel, SectionKind
from nofault.core.lint.config import LintConfig
from nofault.core.lint.packs.actions import analysis as act
from nofault.core.lint.packs.depth import analysis as dep
from nofault.core.lint.packs.depth import prose
from nofault.core.lint.packs.depth.analysis import response_times
from nofault.core.lint.result import DepthScore, ResponseTimes, ScorePart

__all__ = [
    "WEIGHTS",
    "DepthScore",
    "ResponseTimes",
    "ScorePart",
    "depth_score",
    "min_depth",
    "response_times",
]

# Points per part for each review level; each row sums to 100. A light review is asked for
# factors, detection, what went well and sound, covering actions; nothing else costs it.
WEIGHTS: dict[str, dict[str, float]] = {
    "full": {
        "factors": 15, "categories": 5, "chains": 10, "reasoning": 15, "detection": 10,
        "timeline": 8, "impact": 10, "learning sections": 7, "action coverage": 10,
        "action quality": 10,
    },
    "light": {
        "factors": 20, "categories": 0, "chains": 0, "reasoning": 0, "detection": 20,
        "timeline": 0, "impact": 0, "learning sections": 15, "action coverage": 20,
        "action quality": 25,
    },
}  # fmt: skip


def min_depth(pm: Postmortem, config: LintConfig) -> int | None:
    """Return the minimum score the configuration sets for this postmortem's severity."""
    return config.min_depth.get(pm.severity or "")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' * (n != 1)}"


def _factors(pm: Postmortem, config: LintConfig, light: bool) -> tuple[float, str]:
    total = len(pm.contributing_factors)
    counted = len(dep.counted_factors(pm, config))
    dropped = total - counted
    note = f" ({dropped} naming a person or human error, not counted)" if dropped else ""
    if light:
        return (1.0 if counted else 0.0), f"{_plural(counted, 'condition')} listed{note}"
    if not total:
        # No list of factors was read: a narrative explains its conditions in sentences, and
        # several such sentences earn most of this part (a list is clearer to act on).
        causes = prose.reasoning(pm).causes
        return 0.8 * min(causes / prose.CAUSE_FULL, 1.0), (
            f"no list of contributing factors; {_plural(causes, 'sentence')} explain causes "
            f"({prose.CAUSE_FULL} earn 80%)"
        )
    fraction = {0: 0.0, 1: 1 / 3, 2: 2 / 3}.get(counted, 1.0)
    return fraction, f"{_plural(counted, 'contributing factor')}; 3 or more score full{note}"


def _categories(pm: Postmortem) -> tuple[float, str]:
    factors = pm.contributing_factors
    found = sorted({f.category.value for f in factors if f.category})
    how = ""
    if factors and not found:
        # Layouts that never tag categories: the kinds the factors' own words name.
        found = sorted({dep.read_category(f) for f in factors})
        how = ", read from the factors' words"
    fraction = {0: 0.0, 1: 0.3, 2: 0.7}.get(len(found), 1.0)
    if not found:
        return fraction, "no factor carries a category"
    return fraction, (
        f"{_plural(len(found), 'kind')} ({', '.join(found)}{how}); 3 or more score full"
    )


def _chains(pm: Postmortem, config: LintConfig) -> tuple[float, str]:
    chains = pm.why_chains
    if chains:
        good = [
            c for c in chains
            if not dep.chain_problem(c, config)
            and c.answers and dep.non_systemic(c.answers[-1], pm, config) is None
        ]  # fmt: skip
        return len(good) / len(chains), (
            f"{len(good)} of {_plural(len(chains), 'five-whys chain')} reach "
            f"{config.min_why_steps}+ steps and end at the system"
        )
    narrative, where = dep.section_text(pm, SectionKind.ANALYSIS), "an analysis narrative"
    if not dep.has_content(narrative):
        # Templates with no analysis section (the SRE book's) reason in their causes section.
        section = dep.section_text(pm, SectionKind.CONTRIBUTING_FACTORS)
        narrative = " ".join([section, *(f.text for f in pm.contributing_factors)])
        where = "reasoning in the causes section"
    words = len(narrative.split())
    if dep.has_content(narrative) and words >= 60:
        return 0.7, f"no five-whys chain; {where} of {words} words"
    if not pm.contributing_factors and prose.reasoning(pm).causes >= prose.CAUSE_FULL:
        # A narrative write-up reasons in its story's own sections: as much as a causes
        # section in prose earns, when its sentences explain causes as fully.
        return 0.7, (
            f"no five-whys chain and no analysis section; the narrative explains causes in "
            f"{prose.CAUSE_FULL}+ sentences"
        )
    return 0.0, "no five-whys chain and no analysis narrative"


def _reasoning(pm: Postmortem) -> tuple[float, str]:
    found = prose.reasoning(pm)
    return found.fraction, (
        f"{_plural(found.causes, 'sentence')} explaining causes "
        f"({prose.CAUSE_FULL} score full), {found.response} examining detection and the "
        f"response ({prose.RESPONSE_FULL} score full), outside the timeline; counted up to "
        "those numbers"
    )


def _detection(pm: Postmortem, light: bool) -> tuple[float, str]:
    when = dep.detection_time_known(pm)
    how = dep.detection_described(pm)
    parts = [
        "detection time known" if when else "no detection time",
        "how it was noticed is described" if how else "not said how it was noticed",
    ]
    if light:  # a light review has no timeline to take the time from
        return float(how), parts[1]
    return (0.5 * when + 0.5 * how), "; ".join(parts)


def _timeline(pm: Postmortem, config: LintConfig, zone: str | None) -> tuple[float, str]:
    events = pm.timeline
    if not events:
        return 0.0, "no timeline events"
    minimum = max(dep.min_timeline_events(pm, config), 1)
    timed = dep.timed_events(pm, zone)
    zoned = sum(t.zoned for t in timed) / len(timed)
    ordered = not dep.out_of_order(timed)
    times = response_times(pm, zone)
    measured = (times.time_to_detect_minutes is not None) + (
        times.time_to_resolve_minutes is not None or times.time_to_mitigate_minutes is not None
    )
    # How full the timeline is scales how much its zones, order and measurements count.
    fraction = min(len(events) / minimum, 1.0) * (
        0.6 + 0.2 * zoned + 0.1 * ordered + 0.05 * measured
    )
    detail = (
        f"{_plural(len(events), 'event')} (bar {minimum}); {round(zoned * 100)}% with a zone; "
        f"{'in order' if ordered else 'out of order'}"
    )
    return fraction, detail


def _impact(pm: Postmortem) -> tuple[float, str]:
    if dep.impact_quantified(pm):
        return 1.0, "quantified"
    if dep.has_content(dep.section_text(pm, SectionKind.IMPACT)):
        return 0.3, "described but not measured (no duration, count or rate)"
    if dep.measured(prose.explaining_text(pm)):
        # No Impact section: a narrative states its figures where it tells the story.
        return 0.6, "figures stated in the text, no impact section"
    return 0.0, "no impact given"


def _learning(pm: Postmortem, config: LintConfig) -> tuple[float, str]:
    wanted = config.learning_sections.get(pm.review_level.value, [])
    if not wanted:
        return 1.0, "none required"
    missing = dep.missing_learning_sections(pm, config)
    present = len(wanted) - len(missing)
    detail = f"{present} of {len(wanted)} present"
    if missing:
        detail += "; missing " + ", ".join(k.value.replace("_", " ") for k in missing)
    return present / len(wanted), detail


def _coverage(
    pm: Postmortem, items: list[ActionItem], problems: list[list[str]]
) -> tuple[float, str]:
    factors = pm.contributing_factors
    if not factors:
        # A narrative states its causes in sentences, not as a list: its sound actions count
        # against those (at most half this part; a list of factors lets each be tied).
        causes = prose.reasoning(pm).causes
        credible = [a for a, found in zip(items, problems, strict=True)
                    if not {"vague", "corrects a person"} & set(found)]  # fmt: skip
        if causes * 2 < prose.CAUSE_FULL or not credible:
            return 0.0, "no contributing factors to address"
        return 0.5 * min(len(credible) / 3, 1.0), (
            f"no list of contributing factors; {_plural(len(credible), 'sound action')} against "
            f"the causes {_plural(causes, 'sentence')} explain (3 earn half; list the factors "
            "to tie each)"
        )
    # A vague item, an approval step or a corrective for a person does not address a factor.
    weak = {"vague", "adds an approval step", "corrects a person"}
    credible = [a for a, found in zip(items, problems, strict=True) if not weak & set(found)]
    covered_ids = {ref for a in credible for ref in a.factors}
    implied = act.implied_links(pm)
    if implied is not None:
        # A layout whose actions name no factor: an action addresses the factors it shares
        # words with. No action is tied, so this part earns at most 0.7.
        covered_ids = {ref for a in credible for ref in implied.get(a.id, ())}
    covered = sum(1 for f in factors if f.id in covered_ids or act.accepted_risk(f, pm))
    tied = sum(1 for a in items if a.factors)
    tied_fraction = tied / len(items) if items else 0.0
    fraction = 0.7 * covered / len(factors) + 0.3 * tied_fraction
    detail = (
        f"{covered} of {_plural(len(factors), 'factor')} addressed by a sound action or accepted"
    )
    if implied is not None:
        detail += " (read from the words actions and factors share; no action names a factor)"
    if items:
        detail += f"; {tied} of {_plural(len(items), 'action')} tied to a factor"
    return fraction, detail


def _layout_fair(item: ActionItem, problems: list[str], items: list[ActionItem]) -> list[str]:
    """Return an action's problems as its layout can answer them.

    A tracked action (the SRE book's and Google's "Bug" column, an issue link) keeps its date
    in the tracker. A layout that records neither owners nor dates for any action (a
    narrative's list of next steps) has one gap, not two per action: its actions are
    untracked, and that costs each one half its credit, as any single problem does.
    """
    if item.tracker:
        problems = [p for p in problems if p != "no due date"]
    recorded = any(act.has_owner(a) or a.due is not None for a in items)
    if not recorded and "no owner" in problems and "no due date" in problems:
        problems = [p for p in problems if p != "no due date"]
    return problems


def _quality(
    pm: Postmortem, config: LintConfig, items: list[ActionItem], read: list[list[str]]
) -> tuple[float, str]:
    if not items:
        return 0.0, "no action items"
    problems = [_layout_fair(a, p, items) for a, p in zip(items, read, strict=True)]
    # Each problem costs a share of the action's credit, two or more cost it all.
    credit = sum(max(0.0, 1 - 0.5 * len(p)) for p in problems) / len(items)
    sound = sum(1 for p in problems if not p)
    counts: dict[str, int] = {}
    for found in problems:
        for name in found:
            counts[name] = counts.get(name, 0) + 1
    detail = f"{sound} of {_plural(len(items), 'action')} sound"
    if counts:
        detail += "; " + ", ".join(f"{n} {name}" for name, n in counts.items())
    if act.needs_system_change(pm, config) and act.changes_system(pm) is False:
        credit *= 0.5
        detail += f"; nothing changes the system on a {pm.severity}"
    return credit, detail


def depth_score(
    pm: Postmortem,
    *,
    config: LintConfig | None = None,
    today: date | None = None,
    zone: str | None = None,
) -> DepthScore:
    """Score a postmortem's depth from 0 to 100, with each part explained.

    `zone` is the time zone the timeline declares for bare times, when the caller read one
    from outside the model (the linter reads a `Time (UTC)` table header).
    """
    config = config or LintConfig()
    today = today or date.today()
    zone = zone or dep.timeline_zone(pm)
    light = pm.review_level is ReviewLevel.LIGHT
    weights = WEIGHTS["light" if light else "full"]
    # Each live action's problems, read once for both action parts (reading them twice was
    # about 5% of linting a folder of postmortems: benchmarks/lint_process.py).
    items = act.live(pm)
    problems = [act.action_problems(a, pm, config, today) for a in items]
    computed = {
        "factors": _factors(pm, config, light),
        "categories": _categories(pm),
        "chains": _chains(pm, config),
        "reasoning": _reasoning(pm),
        "detection": _detection(pm, light),
        "timeline": _timeline(pm, config, zone),
        "impact": _impact(pm),
        "learning sections": _learning(pm, config),
        "action coverage": _coverage(pm, items, problems),
        "action quality": _quality(pm, config, items, problems),
    }
    parts = []
    for name, weight in weights.items():
        fraction, detail = computed[name]
        if weight == 0:
            detail = "not required for a light review"
        parts.append(ScorePart(name, round(weight * fraction, 1), float(weight), detail))
    total = round(sum(weights[name] * computed[name][0] for name in weights))
    return DepthScore(
        score=max(0, min(100, total)),
        min=min_depth(pm, config),
        parts=tuple(parts),
        times=response_times(pm, zone),
        review_level=pm.review_level.value,
    )
