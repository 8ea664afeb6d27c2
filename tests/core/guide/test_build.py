"""The guide's nine parts and appendix, traced to every value and principle, for both examples."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from nofault.core.guide import (
    Guide,
    GuideInputError,
    Inputs,
    make_guide,
    parse_guide_config,
    to_markdown,
)
from nofault.core.guide.config import GuideConfig
from nofault.core.guide.inputs import OwnPractice, Statement, StatementKind
from nofault.core.guide.knowledge import MatchedBy, match_statement, themes
from nofault.core.guide.model import Callout, Code, Heading, Items, Paragraph, Table
from nofault.core.guide.vocabulary import Role, Stage
from nofault.core.lint.registry import all_rules
from nofault.core.lint.rule import Category, Examples, Level, Rule, RuleDoc
from nofault.core.template import new_postmortem_markdown
from tests.core.guide.conftest import TODAY, org_inputs

ORG = "Example Org"

PART_TITLES = [
    "Why blameless",
    "When a postmortem is required",
    "The process, stage by stage",
    "Action items",
    "Roles and responsibilities",
    "The postmortem template",
    "Facilitation",
    "Blameless language",
    "Anti-patterns",
    "Values and principles in detail",
    "Appendix",
]
APPENDIX = "appendix"


def _part(guide: Guide, key: str):  # type: ignore[no-untyped-def]
    return guide.part(key)


def _tables(guide: Guide, key: str) -> list[Table]:
    return [b for b in _part(guide, key).blocks if isinstance(b, Table)]


def _value_practices(guide: Guide) -> list[str]:
    """Each value's line in Part 9 that names its practices (by number, stage and words)."""
    return [
        b.text
        for b in _part(guide, "values").blocks
        if isinstance(b, Paragraph) and b.text.startswith("**Practices**")
    ]


def _part_md(guide: Guide, key: str) -> str:
    """One part of the Markdown guide, from its anchor to the next part's."""
    md = to_markdown(guide)
    number = _part(guide, key).number
    start = md.index(f'<a id="{_part(guide, key).anchor}">')
    following = [p.anchor for p in guide.parts if p.number > number]
    end = md.index(f'<a id="{following[0]}">') if following else len(md)
    return md[start:end]


def _checklists(guide: Guide) -> list[str]:
    """Every checklist item of Part 3, where each practice's text is printed."""
    return [i for b in _part(guide, "process").blocks if isinstance(b, Items) for i in b.items]


def test_nine_parts_in_order(org_guide: Guide) -> None:
    assert [p.title for p in org_guide.parts] == PART_TITLES


def test_every_value_and_principle_is_quoted_traced_and_mapped(org: str, org_guide: Guide) -> None:
    inputs, _ = org_inputs(org)
    names = [s.name for s in inputs.all]
    assert [t.statement.name for t in org_guide.traces] == names
    headings = [b.text for b in _part(org_guide, "values").blocks if isinstance(b, Heading)]
    for s in inputs.all:
        assert any(h.endswith(f": {s.name}") for h in headings), s.name
    (trace_table,) = [t for t in _tables(org_guide, APPENDIX) if t.css == "trace"]
    assert [row[1] for row in trace_table.rows] == [f"**{n}**" for n in names]
    for trace in org_guide.traces:
        assert trace.complete, f"{trace.statement.name} maps to no practice"
        assert trace.stages and trace.roles
    assert org_guide.to_complete == []


def test_acme_values_are_recognised_and_tidewater_mostly_are_not() -> None:
    acme, _ = org_inputs("acme")
    assert all(match_statement(s).by is MatchedBy.NAME for s in acme.all)
    tidewater, _ = org_inputs("tidewater")
    unrecognised = [s.name for s in tidewater.all if match_statement(s).by is MatchedBy.NONE]
    assert len(unrecognised) >= 4, unrecognised
    # …and each of those is completed by Tidewater's own practices, not by nofault's guesses.
    assert all(s.practices for s in tidewater.all if s.name in unrecognised)


def test_unknown_value_gets_practices_from_its_own_words_marked_to_confirm() -> None:
    odd = Statement(
        StatementKind.VALUE,
        "Keep the kettle warm",
        "We are there for each other when the night is long.",
        "/tmp/upload-123/values.yaml",
        7,
    )
    guide = make_guide(Inputs(values=[odd]), GuideConfig(), rules=[], today=TODAY, organisation=ORG)
    (trace,) = guide.traces
    assert trace.complete
    (line,) = _value_practices(guide)
    assert "from “We are there for each other when the night is long”" in line
    practices = [i for i in _checklists(guide) if "**Practice " in i]
    assert practices and all("to confirm" in p for p in practices)
    assert "/tmp/" not in to_markdown(guide)


def test_value_with_nothing_to_draw_on_is_to_complete_named_by_its_place() -> None:
    known = _value("Ownership")
    bare = Statement(StatementKind.VALUE, "Zyx", "", "/srv/tmp/values.yaml", 9)
    guide = make_guide(
        Inputs(values=[known, bare]), GuideConfig(), rules=[], today=TODAY, organisation=ORG
    )
    assert not guide.traces[1].complete
    callouts = [
        b for n in ("values", APPENDIX) for b in _part(guide, n).blocks if isinstance(b, Callout)
    ]
    assert len(callouts) == 2 and all(c.tone == "todo" for c in callouts)
    assert all("your core values, item 2" in c.text for c in callouts)
    page = to_markdown(guide)
    assert "/srv/tmp" not in page and "values.yaml" not in page
    trace = next(t for t in _tables(guide, APPENDIX) if t.css == "trace")
    assert "**To complete**" in trace.rows[1]


def test_the_organisation_name_is_required_and_never_a_placeholder() -> None:
    with pytest.raises(GuideInputError, match="organisation's name is not set"):
        make_guide(Inputs(values=[_value("Trust")]), GuideConfig(), rules=[], today=TODAY)
    config = parse_guide_config('[organisation]\nname = "Harbour Co"\n')
    guide = make_guide(Inputs(values=[_value("Trust")]), config, rules=[], today=TODAY)
    assert guide.organisation == "Harbour Co" and "Your organisation" not in to_markdown(guide)
    guide = make_guide(
        Inputs(values=[_value("Trust")]), config, rules=[], today=TODAY, organisation="Quay Ltd"
    )
    assert "Quay Ltd" in to_markdown(guide) and "Harbour Co" not in to_markdown(guide)


def test_values_sharing_a_theme_get_different_practices_from_their_words() -> None:
    bar = Statement(
        StatementKind.VALUE,
        "Raise the bar",
        "We hold every change to a high standard and review each one before it ships.",
        "values.yaml",
        1,
    )
    learn = Statement(
        StatementKind.VALUE,
        "Always be learning",
        "We set aside time every week to learn something beyond our own team.",
        "values.yaml",
        2,
    )
    guide = make_guide(
        Inputs(values=[bar, learn]), GuideConfig(), rules=[], today=TODAY, organisation=ORG
    )
    first, second = _value_practices(guide)
    assert "beyond our own team" in second and "high standard" in first
    printed = [i for i in _checklists(guide) if "**Practice " in i]
    mine = {
        trace.statement.name: [p for p in printed for i in trace.practice_ids
                               if f"**Practice {i}**" in p]
        for trace in guide.traces
    }  # fmt: skip
    assert mine["Raise the bar"] and mine["Always be learning"]
    assert not set(mine["Raise the bar"]) & set(mine["Always be learning"])


def test_every_theme_has_practices_on_known_stages_and_roles() -> None:
    for theme in themes().values():
        assert theme.practices and theme.questions and theme.asks, theme.key
        for p in theme.practices:
            assert p.stage in Stage and p.role in Role
            assert "{" not in p.text or re.fullmatch(r"[^{}]*(\{\w+\}[^{}]*)*", p.text)


def test_practices_from_values_appear_in_the_stage_checklists(org_guide: Guide) -> None:
    checklists = _checklists(org_guide)
    stages = [b.text for b in _part(org_guide, "process").blocks if isinstance(b, Heading)]
    for trace in org_guide.traces:
        for pid in trace.practice_ids:
            (item,) = [i for i in checklists if f"**Practice {pid}**," in i]
            assert trace.statement.name in item
            # Numbered by the stage whose checklist prints it: 6.2 is in "6. Review meeting".
            assert any(h.startswith(f"{pid.split('.')[0]}. ") for h in stages), pid
    assert "{" not in to_markdown(org_guide).split("## 5.")[0], "a placeholder was not filled"


def test_each_practice_is_printed_once_and_referenced_elsewhere(org_guide: Guide) -> None:
    from nofault.core.guide import to_html
    from nofault.core.guide.render import inline_html

    md, page = to_markdown(org_guide), to_html(org_guide)
    texts = [i.split(" (**Practice ")[0] for i in _checklists(org_guide) if "**Practice " in i]
    assert len(texts) == len({p for t in org_guide.traces for p in t.practice_ids})
    for text in texts:
        assert md.count(text) == 1, text
        assert page.count(inline_html(text)) == 1, text
    references = " ".join(_value_practices(org_guide))
    for trace in org_guide.traces:
        assert all(f"**{pid}** (" in references for pid in trace.practice_ids)


def test_time_targets_come_from_each_severity(org: str, org_guide: Guide) -> None:
    _, config = org_inputs(org)
    md = to_markdown(org_guide)
    deadlines = _tables(org_guide, "when-required")[0]
    assert [row[0] for row in deadlines.rows] == [f"**{s.name}**" for s in config.severities]
    unit = "working days" if config.process.working_days else "days"
    (targets,) = [t for t in _tables(org_guide, "process") if t.css == "targets"]
    assert list(targets.header[1:]) == [s.name for s in config.severities]
    draft = next(row for row in targets.rows if row[0] == Stage.DRAFT.label)
    for s, cell in zip(config.severities, draft[1:], strict=True):
        if not s.batched:
            assert cell == f"By {s.draft_due_days} {unit}"
            assert f"| {s.draft_due_days} {unit} |" in md  # the same figure in Part 2


def test_roles_table_uses_the_organisations_names_with_one_accountable_per_stage(
    org: str, org_guide: Guide
) -> None:
    _, config = org_inputs(org)
    raci = next(t for t in _tables(org_guide, "roles") if t.css == "raci")
    assert list(raci.header[1:]) == [config.roles.name(r) for r in Role]
    assert len(raci.rows) == len(Stage)
    for row in raci.rows:
        assert sum("A" in cell for cell in row[1:]) == 1, row
        assert any("R" in cell for cell in row[1:]), row


def test_raci_override_from_config() -> None:
    config = parse_guide_config('[raci.review]\nsponsor = "A"\nreviewer = "R"\n')
    guide = make_guide(
        Inputs(values=[_value("Ownership")]), config, rules=[], today=TODAY, organisation=ORG
    )
    raci = next(t for t in _tables(guide, "roles") if t.css == "raci")
    review = next(r for r in raci.rows if r[0] == Stage.REVIEW.label)
    roles = list(Role)
    assert review[1 + roles.index(Role.SPONSOR)] == "A"
    assert review[1 + roles.index(Role.OWNER)] == ""  # the default A moved to the sponsor
    assert "R" in review[1 + roles.index(Role.REVIEWER)]


def test_waivers_and_light_reviews(org: str, org_guide: Guide) -> None:
    _, config = org_inputs(org)
    md = to_markdown(org_guide)
    decider = config.roles.name(config.waivers.decided_by)
    assert f"Only the {decider} can waive a postmortem" in md
    for s in config.waivable_severities:
        assert s.name in md.split("Waiving a postmortem")[1].split("## 3.")[0]
    light = [s.title for s in config.postmortem_template if s.light]
    assert light and f"**A light review has these sections:** {', '.join(light)}." in md


def test_template_part_is_exactly_what_nofault_new_writes(org: str, org_guide: Guide) -> None:
    _, config = org_inputs(org)
    template = config.postmortem_template
    code = next(b for b in _part(org_guide, APPENDIX).blocks if isinstance(b, Code))
    assert code.text == new_postmortem_markdown(
        title="Short title of the incident",
        severity=config.severities[0].name,
        incidents=["INC-0000"],
        authors=[config.roles.name(Role.OWNER)],
        created=TODAY,
        template=template,
    )
    rows = _tables(org_guide, "template")[0].rows
    assert [r[0] for r in rows] == [f"**{s.title}**" for s in template]
    assert [r[1] for r in rows] == [s.guidance for s in template]
    assert [r[2] == "✓" for r in rows] == [s.light for s in template]
    assert org_guide.warnings == ()


def test_template_settings_rename_extend_and_choose_light_sections() -> None:
    config = parse_guide_config(
        '[template]\nlight_sections = ["summary", "action_items"]\n'
        '[template.headings]\nwent_well = "Things that went well"\n'
        '[template.guidance]\nimpact = "Use the SLO dashboard."\n'
    )
    by_kind = {s.kind.value: s for s in config.postmortem_template}
    assert by_kind["went_well"].title == "Things that went well"
    assert by_kind["impact"].guidance.endswith(" Use the SLO dashboard.")
    # Impact and Timeline stay in every light review.
    assert [k for k, s in by_kind.items() if s.light] == [
        "summary",
        "impact",
        "timeline",
        "action_items",
    ]


def test_heading_the_linter_cannot_read_is_warned_about() -> None:
    config = parse_guide_config('[template.headings]\nwent_well = "Wins of the day"\n')
    guide = make_guide(
        Inputs(values=[_value("Trust")]), config, rules=[], today=TODAY, organisation=ORG
    )
    assert any("Wins of the day" in w for w in guide.warnings)


def _rule(code: str, category: Category) -> Rule:
    return Rule(
        code=code,
        path=f"{category.value}.{code.lower()}",
        category=category,
        level=Level.WARNING,
        message="a person is blamed",
        suggestion="describe the condition",
        detector=lambda ctx, rule: [],
        doc=RuleDoc(
            what="Flags blame.",
            why="It stops learning.",
            example="Sam broke prod.",
            instead="The deploy reached prod unreviewed.",
        ),
        examples=Examples(flag=("Sam broke prod.",), pass_=("The deploy broke prod.",)),
    )


def test_blameless_language_is_generated_from_the_blame_rules() -> None:
    rules = [_rule("BLM900", Category.BLAME), _rule("DEP900", Category.DEPTH)]
    guide = make_guide(
        Inputs(values=[_value("Trust")]), GuideConfig(), rules=rules, today=TODAY, organisation=ORG
    )
    part = _part(guide, "language")
    (table,) = [b for b in part.blocks if isinstance(b, Table)]
    assert table.rows == (
        ("A person is blamed", "Sam broke prod.", "The deploy reached prod unreviewed."),
    )
    # Rule codes appear only in the appendix, each with the part it belongs to.
    body = to_markdown(guide).split("## 10.")[0]
    assert "BLM900" not in body and "DEP900" not in body
    (codes,) = [t for t in _tables(guide, APPENDIX) if t.css == "codes"]
    assert ("`BLM900`", "a person is blamed", "Blameless language") in codes.rows
    assert any(r[0] == "`DEP900`" and r[2] == "Superficial Analysis" for r in codes.rows)


def test_blameless_language_waits_for_the_blame_pack() -> None:
    guide = make_guide(
        Inputs(values=[_value("Trust")]), GuideConfig(), rules=[], today=TODAY, organisation=ORG
    )
    assert any(
        isinstance(b, Callout) and "not installed" in b.text
        for b in _part(guide, "language").blocks
    )


def test_registered_blame_rules_all_appear(org_guide: Guide) -> None:
    md = " ".join(_part_md(org_guide, "language").split())
    appendix = _part_md(org_guide, APPENDIX)
    for rule in all_rules():
        if rule.category is Category.BLAME:
            assert f"`{rule.code}`" in appendix and " ".join(rule.doc.instead.split()) in md


def test_own_practice_with_unknown_stage_names_the_line() -> None:
    from nofault.core.guide import GuideInputError

    bad = replace(_value("Odd"), practices=(OwnPractice("Do it.", stage="lunch", line=9),))
    with pytest.raises(GuideInputError, match=r"values.yaml:9: unknown stage 'lunch'"):
        make_guide(Inputs(values=[bad]), GuideConfig(), rules=[], today=TODAY, organisation=ORG)
    bad = replace(_value("Odd"), themes=("kindness",))
    with pytest.raises(GuideInputError, match=r"values.yaml:1: .*unknown theme 'kindness'"):
        make_guide(Inputs(values=[bad]), GuideConfig(), rules=[], today=TODAY, organisation=ORG)


def _value(name: str) -> Statement:
    return Statement(StatementKind.VALUE, name, "", "values.yaml", 1)


def test_the_blameless_commitment_prints_the_limit_the_organisation_set() -> None:
    config = parse_guide_config(
        '[organisation]\nname = "Quay"\n[commitment]\n'
        'just_culture_limit = "it does not cover theft, which goes to the People team."\n'
    )
    guide = make_guide(Inputs(values=[_value("Trust")]), config, rules=[], today=TODAY)
    page = to_markdown(guide)
    assert page.count("it does not cover theft, which goes to the People team.") >= 2
    assert "nothing said here is used" not in page and not guide.warnings
    unset = make_guide(Inputs(values=[_value("Trust")]), GuideConfig(), rules=[], today=TODAY,
                       organisation=ORG)  # fmt: skip
    assert any("just_culture_limit" in w for w in unset.warnings)
    assert "legal hold" in to_markdown(unset)
    with pytest.raises(GuideInputError, match="limit of the blameless commitment"):
        parse_guide_config('[commitment]\njust_culture_limit = "  "\n')


def test_who_is_responsible_is_answered_with_the_system_and_a_role(org_guide: Guide) -> None:
    facilitation = _tables(org_guide, "facilitation")
    answer = next(
        row[1] for t in facilitation for row in t.rows if "who is responsible" in row[0].casefold()
    )
    assert "accountable" in answer and "never a person" in answer
    assert "owns the follow-through" not in answer


def test_depth_where_practice_is_hard(org_guide: Guide) -> None:
    process, facilitation = (
        " ".join(_part_md(org_guide, n).split()) for n in ("process", "facilitation")
    )
    # Conversations: who first, consent and notes, a calibration note, a question bank.
    assert "most likely to be blamed" in facilitation and "consent" in facilitation
    assert "calibration note" in facilitation and "A question bank" in facilitation
    # The meeting: a note-taker, the timeline before any fix, leaders last, dominant voices.
    for words in ("note-taker", "timeline before anyone proposes a fix", "Leaders speak last"):
        assert words in facilitation
    assert "why-chain is one optional tool" in facilitation
    # Measures live with the process; action items have a part of their own, printed once.
    assert "The pulse" in process and "Risk accepted is a valid outcome" not in process


def test_action_items_have_a_part_of_their_own(org: str, org_guide: Guide) -> None:
    keys = [p.key for p in org_guide.parts]
    assert keys.index("action-items") == keys.index("process") + 1
    number = org_guide.part("action-items").number
    chapter = " ".join(_part_md(org_guide, "action-items").split())
    for kind in ("Prevent", "Detect", "Mitigate", "Repair", "Process", "Learn"):
        assert f"**{kind}**:" in chapter
    (pairs,) = [t for t in _tables(org_guide, "action-items") if t.css == "pairs"]
    assert pairs.header == ("Instead of", "Write") and len(pairs.rows) >= 3
    assert ("Be more careful when deploying.", pairs.rows[0][1]) == pairs.rows[0]
    assert "Why another approval rarely helps" in chapter and "sees less than the author" in chapter
    assert "Risk accepted is a valid outcome" in chapter and "accepted risk" in chapter
    # The completion target is the review policy's: each severity's deadline and the share.
    _, config = org_inputs(org)
    target = chapter[chapter.index("**The completion target.**") :].split("**Why")[0]
    for s in config.severities:
        assert re.search(rf"\b{s.name}\b[^;]*, {s.action_due_days} (working )?days", target), s
    assert f"{config.process.action_items_on_time}%" in target
    # The stage checklists point here rather than repeat it.
    assert any(
        f"(Part {number})" in item and "accepting a risk" in item for item in _checklists(org_guide)
    )


def test_completion_target_follows_guide_toml() -> None:
    config = parse_guide_config(
        '[organisation]\nname = "Acme"\n[process]\naction_items_on_time = 65\n'
        "working_days = false\n"
        '[[severities]]\nname = "High"\naction_due_days = 12\n'
        '[[severities]]\nname = "Low"\nreview = "light"\naction_due_days = 45\n'
    )
    guide = make_guide(Inputs(), config, rules=[], today=TODAY)
    chapter = " ".join(_part_md(guide, "action-items").split())
    assert "resolved: High, 12 days; Low, 45 days. At least 65% of items" in chapter


def test_worked_example_follows_the_template_and_the_linter(org: str, org_guide: Guide) -> None:
    from nofault.core.lint.engine import lint

    _, config = org_inputs(org)
    part = _part(org_guide, "template")
    good, bad = [b.text for b in part.blocks if isinstance(b, Code)]
    headings = [line[3:] for line in good.splitlines() if line.startswith("## ")]
    assert headings == [s.title for s in config.postmortem_template if f"## {s.title}" in good]
    assert len(headings) >= 10
    blame = [f for f in lint(good).findings if f.category == "blame" and f.level != "info"]
    assert blame == [], blame
    (findings,) = [b for b in part.blocks if isinstance(b, Table) and b.css == "findings"]
    real = [f for f in lint(bad).findings if f.category == "blame" and f.level != "info"]
    assert len(findings.rows) == len(real) >= 2
    assert {r[0] for r in findings.rows} == {str(f.line) for f in real}
