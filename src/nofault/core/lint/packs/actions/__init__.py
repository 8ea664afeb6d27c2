"""The actions pack: catch action items that will never be finished or prevent a recurrence."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from nofault.core.document import ActionItem, ActionStatus, SectionKind
from nofault.core.lint.context import LintContext
from nofault.core.lint.packs.actions import analysis as act
from nofault.core.lint.packs.depth.analysis import applies
from nofault.core.lint.packs.depth.locate import action_hit, factor_hit, section_hit
from nofault.core.lint.packs.loader import load_pack
from nofault.core.lint.rule import Category, Detector, Hit, Rule


def _for_review(check: Detector) -> Detector:
    """Run a check only when the review level holds the postmortem to it."""

    def detect(ctx: LintContext, rule: Rule) -> Iterator[Hit]:
        if applies(rule, ctx.postmortem, ctx.config):
            yield from check(ctx, rule)

    return detect


def _live(ctx: LintContext) -> Iterator[tuple[int, ActionItem]]:
    """Yield (position, item) for every action item except those marked `wont_do`."""
    for position, item in enumerate(ctx.postmortem.action_items):
        if item.status is not ActionStatus.WONT_DO:
            yield position, item


def no_owner(ctx: LintContext, rule: Rule) -> Iterator[Hit]:
    """Flag an action item nobody owns."""
    for position, item in _live(ctx):
        if item.is_open() and not act.has_owner(item):
            yield action_hit(ctx, position, item.id, message=f"action item {item.id} has no owner")


def no_due_date(ctx: LintContext, rule: Rule) -> Iterator[Hit]:
    """Flag an open action item with no due date."""
    for position, item in _live(ctx):
        if item.is_open() and item.due is None:
            yield action_hit(
                ctx, position, item.id, message=f"action item {item.id} has no due date"
            )


def overdue(ctx: LintContext, rule: Rule) -> Iterator[Hit]:
    """Flag an open action item whose due date has passed."""
    for position, item in _live(ctx):
        if act.is_overdue(item, ctx.today) and item.due is not None:
            days = (ctx.today - item.due).days
            yield action_hit(
                ctx, position, item.id, item.due.isoformat(),
                message=f"action item {item.id} was due {item.due.isoformat()} "
                f"({days} day{'s' * (days != 1)} ago) and is still {item.status.value}",
            )  # fmt: skip


def vague(ctx: LintContext, rule: Rule) -> Iterator[Hit]:
    """Flag an action item worded so that nobody can tell when it is done."""
    for position, item in _live(ctx):
        m = act.vague(item, ctx.config)
        if m:
            yield action_hit(
                ctx, position, item.id, m.group(0),
                message=f"action item {item.id} is vague ('{m.group(0)}'): it cannot be finished "
                "or verified",
            )  # fmt: skip


def approval_as_fix(ctx: LintContext, rule: Rule) -> Iterator[Hit]:
    """Flag an action item that adds a sign-off, reviewer, approval board or freeze."""
    pm = ctx.postmortem
    for position, item in _live(ctx):
        m = act.approval(item, ctx.config)
        if m and not act.accepted_reason(item, pm):
            yield action_hit(
                ctx, position, item.id, m.group(0),
                message=f"action item {item.id} adds another check ('{m.group(0)}') as the fix",
            )  # fmt: skip


def no_factor(ctx: LintContext, rule: Rule) -> Iterator[Hit]:
    """Flag an action item tied to no contributing factor."""
    if not ctx.postmortem.contributing_factors:
        return
    for position, item in _live(ctx):
        if not item.factors:
            yield action_hit(
                ctx, position, item.id,
                message=f"action item {item.id} addresses no contributing factor",
            )  # fmt: skip


def factor_unaddressed(ctx: LintContext, rule: Rule) -> Iterator[Hit]:
    """Flag a contributing factor that no action addresses and no accepted-risk note covers."""
    pm = ctx.postmortem
    if pm.section(SectionKind.ACTION_ITEMS) is None:
        return
    positions = {id(f): i for i, f in enumerate(pm.contributing_factors)}
    for factor in act.unaddressed_factors(pm):
        yield factor_hit(
            ctx, positions[id(factor)], factor.id,
            message=f"contributing factor {factor.id} has no action item and no accepted-risk note",
        )  # fmt: skip


def no_system_change(ctx: LintContext, rule: Rule) -> Iterator[Hit]:
    """Flag a severe incident whose actions only add process or learning."""
    pm = ctx.postmortem
    if pm.section(SectionKind.ACTION_ITEMS) is None or not act.needs_system_change(pm, ctx.config):
        return
    if act.changes_system(pm) is False:
        why = "every one is process or learning" if act.live(pm) else "it has no live action items"
        yield section_hit(
            ctx, SectionKind.ACTION_ITEMS,
            message=f"no action on this {pm.severity} changes the system: {why}",
        )  # fmt: skip


def person_corrective(ctx: LintContext, rule: Rule) -> Iterator[Hit]:
    """Flag an action item that asks the person involved to re-learn or take more care."""
    pm = ctx.postmortem
    for position, item in _live(ctx):
        who = act.corrective_for_person(item, pm, ctx.config)
        if who:
            yield action_hit(
                ctx, position, item.id, who,
                message=f"action item {item.id} corrects a person ({who}) instead of the system",
            )  # fmt: skip


RULES = load_pack(
    Path(__file__).with_name("rules.yaml"),
    Category.ACTIONS,
    {
        name: _for_review(check)
        for name, check in {
            "no_owner": no_owner,
            "no_due_date": no_due_date,
            "overdue": overdue,
            "vague": vague,
            "approval_as_fix": approval_as_fix,
            "no_factor": no_factor,
            "factor_unaddressed": factor_unaddressed,
            "no_system_change": no_system_change,
            "person_corrective": person_corrective,
        }.items()
    },
)
