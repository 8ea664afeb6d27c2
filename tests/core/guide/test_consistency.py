"""The guide does not contradict itself: stages, roles and deadlines agree wherever they appear."""

from __future__ import annotations

import re

import pytest

from nofault.core.guide import Guide, Inputs, make_guide, read_inputs, to_markdown
from nofault.core.guide.config import GuideConfig
from nofault.core.guide.model import Items, Paragraph, Table
from nofault.core.guide.vocabulary import Role, Stage
from tests.core.guide.conftest import TODAY, org_inputs
from tests.shared_corpus import shared_folder

HELD_OUT = shared_folder("corpus/org-values")


def _guides() -> list[tuple[str, Guide, GuideConfig]]:
    out = []
    for org in ("acme", "tidewater"):
        inputs, config = org_inputs(org)
        out.append((org, make_guide(inputs, config, today=TODAY), config))
    defaults = GuideConfig()
    inputs = Inputs(values=org_inputs("acme")[0].values)
    out.append(("defaults", make_guide(inputs, defaults, today=TODAY, organisation="D"), defaults))
    return out


GUIDES = _guides()


def _targets(guide: Guide) -> dict[str, dict[str, str]]:
    """Each stage's time target by severity, as Part 3's table prints it."""
    (table,) = [
        b for b in guide.part("process").blocks if isinstance(b, Table) and b.css == "targets"
    ]
    return {row[0]: dict(zip(table.header[1:], row[1:], strict=True)) for row in table.rows}


def _day(text: str) -> int | None:
    m = re.search(r"\bby (\d+) (?:working )?days?\b", text, re.IGNORECASE)
    return int(m.group(1)) if m else None


@pytest.mark.parametrize(("name", "guide", "config"), GUIDES, ids=[g[0] for g in GUIDES])
def test_stage_deadlines_follow_the_order_of_the_stages(
    name: str, guide: Guide, config: GuideConfig
) -> None:
    targets = _targets(guide)
    for s in config.severities:
        if s.batched:
            continue
        days = {
            stage: _day(targets[stage.label][s.name])
            for stage in (Stage.GATHER, Stage.INTERVIEW, Stage.DRAFT, Stage.REVIEW, Stage.PUBLISH)
        }
        gather, talk, draft = days[Stage.GATHER], days[Stage.INTERVIEW], days[Stage.DRAFT]
        review, publish = days[Stage.REVIEW], days[Stage.PUBLISH]
        assert gather and draft and review and publish, (s.name, days)
        if talk is not None:  # light reviews talk only when the timeline has gaps
            assert gather < talk <= draft, (s.name, days)
        assert gather < draft < review <= publish, (s.name, days)
        assert s.action_due_days >= s.publish_due_days, s.name


@pytest.mark.parametrize(("name", "guide", "config"), GUIDES, ids=[g[0] for g in GUIDES])
def test_roles_and_clocks_agree_between_parts(name: str, guide: Guide, config: GuideConfig) -> None:
    text = to_markdown(guide)
    raci = next(
        t for p in guide.parts for t in p.blocks if isinstance(t, Table) and t.css == "raci"
    )
    assign = next(r for r in raci.rows if r[0] == Stage.ASSIGN.label)
    roles = list(Role)
    namer = config.roles.name(Role.SPONSOR)
    # The process says who names the owner; the responsibility table gives that role the work.
    assert f"The {namer} (or the on-call manager) names the" in text
    assert "R" in assign[1 + roles.index(Role.SPONSOR)]
    assert "R" not in assign[1 + roles.index(Role.INCIDENT_COMMANDER)]
    # Deadlines count from resolution; only the revisit counts from publication.
    assert "from the moment the incident is resolved" in text
    for line in text.splitlines():
        if "after publication" in line:
            assert "Revisit" in line or re.search(r"\d+ (working )?days after publication", line)
    # A near miss belongs to one severity only.
    near = [s.name for s in config.severities if "near miss" in s.description.casefold()]
    assert len(near) <= 1, near
    # A light review keeps what customers felt and what happened when.
    light = next(
        b.text
        for b in guide.part("when-required").blocks
        if isinstance(b, Paragraph) and b.text.startswith("**A light review")
    )
    listed = set(light.split(":** ", 1)[1].rstrip(".").split(", "))
    kinds = {s.title for s in config.postmortem_template if s.kind.value in ("impact", "timeline")}
    assert kinds <= listed
    # Analysis asks "how", and a why-chain is never a required practice.
    assert "why-chain for each" not in text.casefold()


def test_a_held_out_organisation_gets_a_consistent_guide() -> None:
    values = HELD_OUT / "posthog-values.md"
    if not values.exists():
        pytest.skip("the shared corpus of published values is not on this machine")
    inputs = read_inputs(values, None)
    guide = make_guide(inputs, GuideConfig(), today=TODAY, organisation="PostHog")
    text = to_markdown(guide)
    assert "PostHog" in text and "Your organisation" not in text and str(HELD_OUT) not in text
    assert "posthog-values.md" not in text
    assert all(t.complete for t in guide.traces if t.statement.description)
    # Each practice is printed once, in its stage's checklist, and named in Part 9.
    printed = [
        i.split(" (**Practice ")[0]
        for b in guide.part("process").blocks
        if isinstance(b, Items)
        for i in b.items
        if "**Practice " in i
    ]
    assert len(printed) == len({p for t in guide.traces for p in t.practice_ids}) > 0
    assert all(text.count(p) == 1 for p in printed)


def test_depth_checks_do_not_prefer_a_why_chain_to_an_equally_deep_narrative() -> None:
    from nofault.core.lint.engine import lint

    guide = GUIDES[0][1]
    example = next(
        b.text for b in guide.part("template").blocks if getattr(b, "language", "") == "markdown"
        and "## Analysis" in b.text and "Checkout errors" in b.text
    )  # fmt: skip
    before, after = example.split("## Analysis", 1)
    rest = after.split("\n## ", 1)[1]
    chain = (
        f"{before}## Analysis\n\n"
        "- Why did checkouts fail? Requests waited for a database connection until timeout.\n"
        "- Why did they wait? The pool had 20 connections, fewer than the afternoon peak needs.\n"
        "- Why was the pool lowered? The load test showed fewer than 15 connections in use.\n"
        "- Why did the test show that? Its load profile predates the growth of afternoon sales.\n"
        "- Why did it reach every server at once? Configuration changes skip the canary stage.\n"
        f"\n## {rest}"
    )

    def depth(text: str) -> list[str]:
        return sorted(f.code for f in lint(text).findings if f.category == "depth")

    assert depth(example) == depth(chain)
