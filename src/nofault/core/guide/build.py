"""Build the Guide from the organisation's values, principles and guide.toml."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from nofault.core.document import ReviewLevel
from nofault.core.guide.agenda import meeting_agenda
from nofault.core.guide.config import GuideConfig, Severity
from nofault.core.guide.errors import GuideInputError
from nofault.core.guide.inputs import Inputs, OwnPractice, Statement, StatementKind
from nofault.core.guide.knowledge import (
    MatchedBy,
    Practice,
    Theme,
    ThemeMatch,
    match_statement,
    theme_keys,
)
from nofault.core.guide.model import (
    Block,
    Callout,
    Code,
    Guide,
    Heading,
    Items,
    Paragraph,
    Part,
    Quote,
    Table,
    Trace,
)
from nofault.core.guide.vocabulary import Role, Stage, parse_role, parse_stage
from nofault.core.guide.words import closest_themes, commitments
from nofault.core.lint.rule import Category, Rule
from nofault.core.markdown import heading_kind
from nofault.core.template import TemplateSection, new_postmortem_markdown


@lru_cache(maxsize=1)
def _example_content() -> dict[str, Any]:
    """The worked example's sections and notes, and its blameful version."""
    text = (
        resources.files("nofault.core.guide")
        .joinpath("data/example.yaml")
        .read_text(encoding="utf-8")
    )
    data: dict[str, Any] = yaml.safe_load(text)
    return data


@lru_cache(maxsize=1)
def process_content() -> dict[str, Any]:
    """The fixed content of the guide: stages, default responsibilities, facilitation."""
    text = (
        resources.files("nofault.core.guide")
        .joinpath("data/process.yaml")
        .read_text(encoding="utf-8")
    )
    data: dict[str, Any] = yaml.safe_load(text)
    return data


def _and(names: list[str]) -> str:
    """Join names as a sentence does: "A", "A and B", "A, B and C"."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


class _Fill(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def slug(text: str) -> str:
    """Return an anchor-safe slug of a heading."""
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-") or "section"


_STAGE_HINTS: tuple[tuple[Stage, str], ...] = (
    (Stage.INTERVIEW, r"interview|one-to-one|conversation|talk with|account"),
    (Stage.GATHER, r"timeline|logs?\b|data|evidence|metrics|sources?"),
    (Stage.REVIEW, r"meeting|review\b|discussion|in the room"),
    (Stage.PUBLISH, r"publish|announce|share the postmortem|circulate"),
    (Stage.FOLLOW_THROUGH, r"action items?|follow|fix|tracker|due date"),
    (Stage.REVISIT, r"revisit|quarter|recurring|patterns?"),
    (Stage.DRAFT, r"draft|write|written|summary|section"),
    (Stage.ASSIGN, r"assign|appoint|name the"),
    (Stage.TRIGGER, r"declare|open the postmortem|trigger"),
)


def infer_stage(text: str) -> Stage | None:
    """Guess the stage an organisation's own practice shapes from its words, or None."""
    lowered = text.casefold()
    return next((stage for stage, pattern in _STAGE_HINTS if re.search(pattern, lowered)), None)


# The parts in reading order: what to do first (the process and its action items), the values'
# detail last. Each part's number comes from here, so a reference never names the wrong part.
PARTS: tuple[tuple[str, str], ...] = (
    ("why-blameless", "Why blameless"),
    ("when-required", "When a postmortem is required"),
    ("process", "The process, stage by stage"),
    ("action-items", "Action items"),
    ("roles", "Roles and responsibilities"),
    ("template", "The postmortem template"),
    ("facilitation", "Facilitation"),
    ("language", "Blameless language"),
    ("anti-patterns", "Anti-patterns"),
    ("values", "Values and principles in detail"),
    ("appendix", "Appendix"),
)
PART_NUMBER = {key: number for number, (key, _) in enumerate(PARTS, start=1)}


def part(key: str, blocks: Iterable[Block]) -> Part:
    """A part of the guide, numbered and titled by its place in PARTS."""
    return Part(PART_NUMBER[key], key, dict(PARTS)[key], tuple(blocks))


MAX_FROM_WORDS = 3  # practices drawn from one description; more crowd out the process

# A commitment no theme practice fits becomes a question for the stage its words point to.
_WORDS_PRACTICE: dict[Stage, str] = {
    Stage.TRIGGER: "When deciding whether an incident needs a postmortem, ask whether it "
    "touched “{words}”; if it did, hold one.",
    Stage.ASSIGN: "When naming the owner and facilitator, choose people who can speak for "
    "“{words}”.",
    Stage.GATHER: "While gathering the timeline, note each point where “{words}” was tested, "
    "and what helped or got in the way.",
    Stage.INTERVIEW: "In the conversations, ask how “{words}” showed up in what each person saw "
    "and decided.",
    Stage.DRAFT: "In the draft, say in a sentence how the incident bore on “{words}”.",
    Stage.REVIEW: "In the review, ask how the incident bore on “{words}”: what helped it hold, "
    "and what made it hard.",
    Stage.PUBLISH: "When publishing, check the postmortem would stand up to “{words}”.",
    Stage.FOLLOW_THROUGH: "Give at least one action item that serves “{words}”, with an owner "
    "and a date.",
    Stage.REVISIT: "At the revisit, ask whether the changes made since served “{words}”.",
}
_WORDS_ROLE: dict[Stage, Role] = {
    Stage.TRIGGER: Role.INCIDENT_COMMANDER,
    Stage.ASSIGN: Role.SPONSOR,
    Stage.GATHER: Role.OWNER,
    Stage.INTERVIEW: Role.FACILITATOR,
    Stage.DRAFT: Role.OWNER,
    Stage.REVIEW: Role.FACILITATOR,
    Stage.PUBLISH: Role.OWNER,
    Stage.FOLLOW_THROUGH: Role.OWNER,
    Stage.REVISIT: Role.OWNER,
}


@dataclass
class _Numbered:
    """A practice with its id, the statements it comes from, and its text filled in."""

    id: str
    text: str
    stage: Stage | None
    role: Role | None
    sources: list[Statement]
    own: bool
    words: str = ""  # the clause of the statement's description this practice comes from
    confirm: bool = False  # drawn from a theme nofault only guessed, for the facilitator to confirm


class GuideBuilder:
    """Builds each part of the guide; one instance per build."""

    def __init__(
        self, inputs: Inputs, config: GuideConfig, rules: Sequence[Rule], today: date
    ) -> None:
        self.inputs = inputs
        self.config = config
        self.rules = list(rules)
        self.today = today
        self.content = process_content()
        roles = config.roles
        folder = config.organisation.postmortem_folder
        self.fill_map = _Fill({role.value: roles.name(role) for role in Role})
        self.fill_map.update(
            organisation=config.organisation.name,
            periodic_review=config.process.periodic_review,
            follow_up_every_days=str(config.process.follow_up_every_days),
            waiver_decider=roles.name(config.waivers.decided_by),
            postmortem_folder=f" in {folder}" if folder else "",
            just_culture_limit=config.commitment.just_culture_limit,
        )
        # "Part {part_template}" in the built-in text: the number the part has in this guide.
        self.fill_map.update(
            {f"part_{k.replace('-', '_')}": str(n) for k, n in PART_NUMBER.items()}
        )
        self.days = "working days" if config.process.working_days else "days"
        self.practices: list[_Numbered] = []
        self.by_text: dict[str, _Numbered] = {}
        self.traces: list[Trace] = []
        self.warnings: list[str] = []
        if not config.commitment_set:
            self.warnings.append(
                "[commitment] just_culture_limit is not set; the guide prints the default limit. "
                "Agree the limit with HR and Legal and write it in guide.toml."
            )

    @property
    def possessive(self) -> str:
        """The organisation's name with its possessive ending ("Acme's", "Tidewater Ferries'")."""
        name = self.config.organisation.name
        return f"{name}'" if name.endswith("s") else f"{name}'s"

    def fill(self, text: str) -> str:
        """Put the organisation's role names and settings into built-in text."""
        return text.format_map(self.fill_map)

    def role(self, role: Role) -> str:
        """The organisation's name for a role."""
        return self.config.roles.name(role)

    # --- practices and traces ----------------------------------------------------------

    def _add_practice(
        self,
        text: str,
        stage: Stage | None,
        role: Role | None,
        source: Statement,
        own: bool,
        words: str = "",
        confirm: bool = False,
    ) -> _Numbered:
        key = " ".join(text.casefold().split())
        existing = self.by_text.get(key)
        if existing:
            if source not in existing.sources:
                existing.sources.append(source)
            return existing
        item = _Numbered(
            f"P{len(self.practices) + 1}", text, stage, role, [source], own, words, confirm
        )
        self.practices.append(item)
        self.by_text[key] = item
        return item

    def _own_practice(self, statement: Statement, practice: OwnPractice) -> _Numbered:
        stage = role = None
        if practice.stage:
            stage = parse_stage(practice.stage)
            if stage is None:
                raise GuideInputError(
                    statement.source,
                    practice.line,
                    f"unknown stage {practice.stage!r} "
                    f"(known: {', '.join(s.value for s in Stage)})",
                )
        else:
            stage = infer_stage(practice.text)
        if practice.role:
            role = parse_role(practice.role)
            if role is None:
                raise GuideInputError(
                    statement.source,
                    practice.line,
                    f"unknown role {practice.role!r} (known: {', '.join(r.value for r in Role)})",
                )
        return self._add_practice(practice.text, stage, role, statement, own=True)

    def trace(self, statement: Statement) -> tuple[Trace, list[_Numbered]]:
        """Match a statement to themes and number the practices it contributes."""
        unknown = [t for t in statement.themes if t not in theme_keys()]
        if unknown:
            raise GuideInputError(
                statement.source,
                statement.line,
                f"{statement.kind.value} {statement.name!r} names unknown theme "
                f"{unknown[0]!r} (known: {', '.join(theme_keys())})",
            )
        match = match_statement(statement)
        found, by = list(match.themes), match.by
        if not found and not statement.practices:
            found = [c.theme for c in closest_themes(statement.name, statement.description)]
            by = MatchedBy.CLOSEST if found else MatchedBy.NONE
        confirm = by is MatchedBy.CLOSEST
        numbered = [self._own_practice(statement, p) for p in statement.practices]
        numbered += self._practices_from_words(statement, found, confirm)
        if not numbered:
            # No description to draw on: the themes' practices, each printed once in the guide.
            for theme in found:
                for p in theme.practices:
                    numbered.append(
                        self._add_practice(
                            self.fill(p.text), p.stage, p.role, statement, False, confirm=confirm
                        )
                    )
        match = ThemeMatch(tuple(found), by, match.words)
        stages = {p.stage for p in numbered if p.stage}
        roles = {p.role for p in numbered if p.role}
        if any(t.facilitator for t in match.themes) or statement.questions:
            roles.add(Role.FACILITATOR)
        if any(t.leaders for t in match.themes):
            roles.add(Role.SPONSOR)
        trace = Trace(
            statement=statement,
            themes=match.themes,
            matched_by=match.by,
            stages=tuple(s for s in Stage if s in stages),
            roles=tuple(r for r in Role if r in roles),
            practice_ids=tuple(dict.fromkeys(p.id for p in numbered)),
        )
        self.traces.append(trace)
        return trace, numbered

    def _practices_from_words(
        self, statement: Statement, found: list[Theme], confirm: bool
    ) -> list[_Numbered]:
        """One practice per commitment in the description, quoting the words it comes from."""
        out: list[_Numbered] = []
        for commitment in commitments(statement.description, limit=MAX_FROM_WORDS):
            theme = commitment.theme
            unused = [
                p
                for p in (theme.practices if theme else ())
                if " ".join(self.fill(p.text).casefold().split()) not in self.by_text
            ]
            if unused:
                p = unused[0]
                out.append(
                    self._add_practice(
                        self.fill(p.text),
                        p.stage,
                        p.role,
                        statement,
                        False,
                        words=commitment.text,
                        confirm=confirm,
                    )
                )
                continue
            stage = infer_stage(commitment.text) or Stage.REVIEW
            text = _WORDS_PRACTICE[stage].format(words=commitment.text)
            out.append(
                self._add_practice(
                    text,
                    stage,
                    _WORDS_ROLE[stage],
                    statement,
                    False,
                    commitment.text,
                    confirm or not found,
                )
            )
        return out

    # --- parts -------------------------------------------------------------------------

    def build(self) -> Guide:
        """Build the nine parts and the appendix."""
        traced = self._trace_all()  # first: it numbers the practices the other parts place
        values = self._values_blocks(traced)
        parts = [
            self.part_why(),
            self.part_when(),
            self.part_process(),
            self.part_action_items(),
            self.part_roles(),
            self.part_template(),
            self.part_facilitation(),
            self.part_language(),
            self.part_anti_patterns(),
            part("values", values),
            self.part_appendix(),
        ]
        return Guide(
            title=self.config.organisation.guide_title,
            organisation=self.config.organisation.name,
            built_on=self.today,
            parts=tuple(parts),
            traces=tuple(self.traces),
            warnings=tuple(self.warnings),
        )

    def where(self, statement: Statement) -> str:
        """Name a statement's place by what the reader knows: "your core values, item 5"."""
        items = (
            self.inputs.values if statement.kind is StatementKind.VALUE else self.inputs.principles
        )
        what = "core values" if statement.kind is StatementKind.VALUE else "leadership principles"
        number = next((i for i, s in enumerate(items, start=1) if s is statement), 0)
        return f"your {what}, item {number}" if number else f"your {what}"

    def _trace_all(self) -> list[tuple[Trace, list[_Numbered]]]:
        """Trace every statement, then number each practice by the stage that prints it."""
        traced = [
            self.trace(statement) for statement in (*self.inputs.values, *self.inputs.principles)
        ]
        renamed: dict[str, str] = {}
        for number, stage in enumerate(Stage, start=1):
            here = [p for p in self.practices if self.home(p) is stage]
            for index, p in enumerate(here, start=1):
                renamed[p.id] = f"{number}.{index}"
                p.id = renamed[p.id]
        self.traces = [
            replace(t, practice_ids=tuple(renamed.get(i, i) for i in t.practice_ids))
            for t in self.traces
        ]
        return [(self.traces[i], numbered) for i, (_, numbered) in enumerate(traced)]

    def home(self, p: _Numbered) -> Stage:
        """The stage whose checklist prints a practice: its own, else where its role works."""
        if p.stage:
            return p.stage
        if p.role:
            raci = self._raci()
            return next((s for s in Stage if "R" in raci[s].get(p.role, "")), Stage.REVIEW)
        return Stage.REVIEW

    def _practice_item(self, p: _Numbered) -> str:
        """A practice as its stage's checklist prints it: the only place its text appears."""
        names = _and([s.name for s in p.sources])
        text = f"{p.text} (**Practice {p.id}**, from {names}"
        if p.role and p.role is not self._doer(self.home(p)):
            text += f"; {self.role(p.role)}"
        if p.confirm:
            text += f"; for the {self.role(Role.FACILITATOR)} to confirm"
        return text + ")"

    def _doer(self, stage: Stage) -> Role | None:
        return next((r for r, v in self._raci()[stage].items() if "R" in v), None)

    def _practice_reference(self, p: _Numbered) -> str:
        """A practice named where its value is described: number, stage and the words used."""
        ref = f"**{p.id}** ({self.home(p).label})"
        if p.words:
            return f"{ref} from “{p.words}”"
        return f"{ref}, {self.possessive} own" if p.own else ref

    def _statement_blocks(
        self, trace: Trace, numbered: list[_Numbered], earlier_traces: list[Trace]
    ) -> list[Block]:
        statement = trace.statement
        shown = {t.key for tr in earlier_traces for t in tr.themes}
        earlier = {t.key: tr.statement.name for tr in reversed(earlier_traces) for t in tr.themes}
        kind = "Core value" if statement.kind is StatementKind.VALUE else "Leadership principle"
        blocks: list[Block] = [
            Heading(f"{kind}: {statement.name}", f"{statement.kind.value}-{slug(statement.name)}"),
        ]
        if statement.description:
            what = (
                "core values" if statement.kind is StatementKind.VALUE else "leadership principles"
            )
            blocks.append(Quote(statement.description, f"{self.possessive} {what}"))
        themes = trace.themes
        if themes and trace.matched_by is MatchedBy.CLOSEST:
            reasons = closest_themes(statement.name, statement.description)
            because = "; ".join(
                f"**{c.theme.label}** (it shares the words {_and([f'“{w}”' for w in c.words])})"
                for c in reasons
            )
            blocks.append(
                Paragraph(
                    f"This guide does not know this {statement.kind.value}. The closest themes "
                    f"are {because}. The {self.role(Role.FACILITATOR)} confirms them, or "
                    "replaces them, with the people who wrote it."
                )
            )
        elif themes:
            labels = " and ".join(f"**{t.label}**" for t in themes)
            how = {
                MatchedBy.EXPLICIT: "as the organisation chose",
                MatchedBy.NAME: "from its name",
                MatchedBy.DESCRIPTION: "from its description",
            }.get(trace.matched_by, "")
            new = [t for t in themes if t.key not in shown]
            asks = " ".join(t.asks for t in new)
            again = [f"{t.label} (see {earlier[t.key]})" for t in themes if t.key in shown]
            if again:
                asks += f" It shares the theme {_and(again)}; its own words add what follows."
            blocks.append(Paragraph(f"Read as {labels} ({how}). {asks}".strip()))
        if numbered:
            unique = {p.id: p for p in numbered}.values()
            in_order = sorted(unique, key=lambda p: tuple(int(n) for n in p.id.split(".")))
            refs = "; ".join(self._practice_reference(p) for p in in_order)
            blocks.append(
                Paragraph(
                    f"**Practices** {refs} (in the checklists of Part {PART_NUMBER['process']})."
                )
            )
        else:
            blocks.append(
                Callout(
                    f"Write what “{statement.name}” asks of a postmortem, in "
                    f"{self.where(statement)}: a sentence or two on what it commits people to, "
                    "or the practices it adds (what is done, at which stage, by whom) and the "
                    "questions it asks in a review.",
                    tone="todo",
                    title=f"To complete by {self.config.organisation.name}",
                )
            )
        # Guidance for the facilitator and leaders is printed with the first value of a theme.
        new_themes = [t for t in themes if t.key not in shown]
        facilitator = [b for t in new_themes for b in t.facilitator]
        leaders = [b for t in new_themes for b in t.leaders]
        questions = [*statement.questions, *(q for t in new_themes for q in t.questions)]
        rows = [
            (label, " · ".join(items))
            for label, items in (
                (f"The {self.role(Role.FACILITATOR)}", facilitator),
                ("Leaders", leaders),
                ("Questions to ask", questions),
            )
            if items
        ]
        if rows:
            blocks.append(Table(("Who", "What it asks"), tuple(rows), css="asks"))
        return blocks

    def part_why(self) -> Part:
        """Why blameless, in the organisation's words."""
        org = self.config.organisation.name
        blocks: list[Block] = [
            Paragraph(
                f"{org} reviews its incidents to learn how they happened and to make the next "
                f"one less likely. A blameless postmortem assumes that everyone involved acted "
                f"in good faith on what they knew at the time, and looks for the conditions "
                f"that made the incident possible, not for someone to blame. People who fear "
                f"blame hide what they know; without what they know, the review cannot learn."
            ),
            Heading("The blameless commitment and its limit", "commitment"),
            Paragraph(
                f"At {org}, an honest account of an incident is never used against the person "
                f"who gives it: not in a performance review, not in a promotion decision, not in "
                f"a disciplinary process. The limit of that promise, agreed with HR and Legal: "
                f"{self.config.commitment.just_culture_limit}"
            ),
            Paragraph(
                f"When someone asks who is responsible, the answer names the system and the "
                f"accountable role: the conditions the analysis found, the team that owns the "
                f"affected service, and the {self.role(Role.SPONSOR)} who answers for the "
                f"follow-through. It never names a person."
            ),
            Paragraph(
                f"This guide is built from {self.possessive} own core values and leadership "
                "principles. Each practice they add is printed once, in the checklist of the "
                "stage where it is done, and numbered by that stage: Practice 6.2 is the second "
                f"one in stage 6, the review meeting. Part {PART_NUMBER['values']} shows which "
                "words of each value "
                "every practice comes from."
            ),
        ]
        blocks += self._quick_start()
        return part("why-blameless", blocks)

    def _deadline(self, days: int) -> str:
        unit = self.days if days != 1 else self.days.rstrip("s")
        return f"{days} {unit}"

    def _values_blocks(self, traced: list[tuple[Trace, list[_Numbered]]]) -> list[Block]:
        """Every value and principle with what it asks of a postmortem, in the input order."""
        blocks: list[Block] = []
        for kind in (StatementKind.VALUE, StatementKind.PRINCIPLE):
            mine = [i for i, (t, _) in enumerate(traced) if t.statement.kind is kind]
            if not mine:
                continue
            title = "Core values" if kind is StatementKind.VALUE else "Leadership principles"
            blocks.append(Heading(title, f"{kind.plural}", level=3))
            for index in mine:
                trace, numbered = traced[index]
                earlier = [t for t, _ in traced[:index]]
                for block in self._statement_blocks(trace, numbered, earlier):
                    if isinstance(block, Heading):
                        block = Heading(block.text, block.anchor, level=4)
                    blocks.append(block)
        return blocks

    def _quick_start(self) -> list[Block]:
        """One short list per role: what to do, and where in the guide it is explained."""
        org = self.config.organisation.name
        first = self.config.severities[0] if self.config.severities else None
        draft = f" within {self._deadline(first.draft_due_days)} for {first.name}" if first else ""
        # "{part_process}" and the like become the parts' numbers in this guide.
        lines: dict[Role, tuple[str, ...]] = {
            Role.INCIDENT_COMMANDER: (
                "When the incident is resolved, open the postmortem before the incident channel "
                "closes (Part {part_process}, Trigger).",
                "Hand over the incident record and explain what was known when "
                "(Part {part_process}).",
            ),
            Role.OWNER: (
                "Gather the timeline first, then talk with the people involved, then write the "
                "draft" + draft.replace("{", "{{").replace("}", "}}") + " (Part {part_process}).",
                "Use the template of Part {part_template}; write about conditions, not people "
                "(Part {part_language}).",
            ),
            Role.FACILITATOR: (
                "Talk first with the people most likely to be blamed, and open the review with "
                "the commitment and its limit (Part {part_facilitation}).",
                "Keep the timeline before any fix, and ask how, not why "
                "(Part {part_facilitation}).",
            ),
            Role.PARTICIPANTS: (
                "Add your part of the timeline and say what you knew at the time; you are never "
                "asked to defend it (Part {part_roles}).",
            ),
            Role.REVIEWER: (
                "Check the draft against the template and the language of Part {part_language}, "
                "then approve it or ask for changes (Part {part_process}, Review).",
            ),
            Role.ACTION_OWNER: (
                "Take one action item for your team, word it as a change to the system, keep its "
                "status current, and close it, or record the risk accepted and why "
                "(Part {part_action_items}).",
            ),
            Role.SPONSOR: (
                "Name the {owner}, speak last in the review, fund the action items, and answer "
                "'who is responsible?' with the system and the role (Part {part_roles}).",
            ),
        }
        return [
            Heading("Where to start", "quick-start"),
            Paragraph(
                f"What each role at {org} does in a postmortem, in a few lines; the parts named "
                "explain each step."
            ),
            Table(
                ("Role", "What you do"),
                tuple(
                    (f"**{self.role(role)}**", " ".join(self.fill(i) for i in items))
                    for role, items in lines.items()
                ),
                css="quick",
            ),
        ]

    def part_when(self) -> Part:
        """When a postmortem is required, by severity, and how to waive one."""
        cfg = self.config
        org = cfg.organisation.name
        rows = []
        for s in cfg.severities:
            if s.batched:
                batch = f"In the {cfg.process.periodic_review} batch"
                rows.append(
                    (f"**{s.name}**", s.description or "—", "Batched", "—", "—", batch, batch,
                     self._deadline(s.action_due_days), "—")
                )  # fmt: skip
                continue
            rows.append(
                (
                    f"**{s.name}**",
                    s.description or "—",
                    "Full" if s.review is ReviewLevel.FULL else "Light",
                    f"{s.assign_within_hours} h",
                    self._deadline(s.draft_due_days),
                    self._deadline(s.review_due_days),
                    self._deadline(s.publish_due_days),
                    self._deadline(s.action_due_days),
                    self._deadline(s.revisit_after_days)
                    if s.revisit_after_days
                    else cfg.process.periodic_review.capitalize(),
                )
            )
        light = [s.title for s in cfg.postmortem_template if s.light]
        lead = cfg.leadership_review_severities
        blocks: list[Block] = [
            Paragraph(
                f"Every incident at {org} gets a postmortem. The severity decides how deep it "
                f"goes: a **full review** (every template section and a review meeting) or a "
                f"**light review** (the key sections only, reviewed in writing"
                + (
                    f" or in a {cfg.meeting.light_length_minutes}-minute meeting"
                    if cfg.meeting.light_length_minutes
                    else ""
                )
                + "). Deadlines count "
                + (f"{self.days}" if cfg.process.working_days else "calendar days")
                + " from the moment the incident is resolved; the owner is named within "
                "the hours given. Only the revisit counts from publication."
            ),
            Table(
                (
                    "Severity",
                    "Meaning",
                    "Review",
                    "Owner named",
                    "Draft",
                    "Reviewed",
                    "Published",
                    "Action items due",
                    "Revisit",
                ),
                tuple(rows),
                css="deadlines",
            ),
            Paragraph(f"**A light review has these sections:** {', '.join(light)}."),
        ]
        batched = [s.name for s in cfg.severities if s.batched]
        if batched:
            blocks.append(
                Paragraph(
                    f"{_and(batched)} incidents get no postmortem each: the "
                    f"{self.role(Role.INCIDENT_COMMANDER)} adds a line to the incident record "
                    f"(what happened, what was done, anything surprising), and the "
                    f"{self.role(Role.FACILITATOR)} reviews them together in the "
                    f"{cfg.process.periodic_review} review, looking for patterns."
                )
            )
        if cfg.process.triggers:
            blocks.append(
                Items(
                    tuple(cfg.process.triggers),
                    label="Whatever the severity, hold at least a light review when",
                )
            )
        if lead:
            blocks.append(
                Paragraph(
                    f"The {self.role(Role.SPONSOR)} attends the review meeting for "
                    f"{_and([s.name for s in lead])} incidents."
                )
            )
        waivable = cfg.waivable_severities
        blocks.append(Heading("Waiving a postmortem", "waivers"))
        if not waivable:
            blocks.append(
                Paragraph(
                    f"{org} does not waive postmortems: every incident is "
                    "reviewed, if only lightly."
                )
            )
        else:
            blocks.append(
                Paragraph(
                    f"Only the {self.role(cfg.waivers.decided_by)} can waive a postmortem, and "
                    f"only for {_and([s.name for s in waivable])} incidents. The request is "
                    f"made when the incident is resolved, and the decision is recorded "
                    f"{cfg.waivers.record}. A waiver is never granted because a review would be "
                    f"uncomfortable or because the team is busy; those are reasons to ask for help "
                    f"with it."
                )
            )
            if cfg.waivers.reasons:
                reasons = " ".join(r.strip() for r in cfg.waivers.reasons)
                blocks.append(Paragraph(f"**Accepted reasons:** {reasons}"))
        return part("when-required", blocks)

    def _target(self, stage: Stage, s: Severity) -> str:
        light = s.review is ReviewLevel.LIGHT
        # The timeline comes first, the conversations after it, and both before the draft.
        gather_by = max(1, s.draft_due_days // 3)
        talk_by = min(s.draft_due_days, max(gather_by + 1, s.draft_due_days - 1))
        meeting = self.config.meeting
        if s.batched and stage not in (Stage.TRIGGER, Stage.FOLLOW_THROUGH):
            return f"In the {self.config.process.periodic_review} batch review"
        match stage:
            case Stage.TRIGGER:
                return "At resolution"
            case Stage.ASSIGN:
                return f"Within {s.assign_within_hours} hours"
            case Stage.GATHER:
                return f"By {self._deadline(gather_by)}"
            case Stage.INTERVIEW:
                if light:
                    return "Only if the timeline has gaps; a short chat"
                return f"By {self._deadline(talk_by)}"
            case Stage.DRAFT:
                return f"By {self._deadline(s.draft_due_days)}"
            case Stage.REVIEW:
                if light and not meeting.light_length_minutes:
                    return (
                        f"Written review by the {self.role(Role.REVIEWER)} by "
                        f"{self._deadline(s.review_due_days)}"
                    )
                minutes = meeting.light_length_minutes if light else meeting.length_minutes
                return (
                    f"{minutes}-minute meeting by {self._deadline(s.review_due_days)}; "
                    f"draft sent {self._deadline(meeting.notice_days)} before"
                )
            case Stage.PUBLISH:
                return f"By {self._deadline(s.publish_due_days)}"
            case Stage.FOLLOW_THROUGH:
                return (
                    f"Items due within {self._deadline(s.action_due_days)}; status every "
                    f"{self.config.process.follow_up_every_days} days"
                )
            case Stage.REVISIT:
                if s.revisit_after_days:
                    return f"{self._deadline(s.revisit_after_days)} after publication"
                return f"In the {self.config.process.periodic_review} review of postmortems"
        return ""

    def _raci(self) -> dict[Stage, dict[Role, str]]:
        table: dict[Stage, dict[Role, str]] = {}
        for stage in Stage:
            row = {Role(k): str(v) for k, v in self.content["raci"][stage.value].items()}
            override = self.config.raci.get(stage, {})
            if override and any("A" in v.upper() for v in override.values()):
                row = {r: v.replace("A", "") for r, v in row.items()}
            row.update({r: v.upper() for r, v in override.items()})
            table[stage] = {r: v for r, v in row.items() if v}
        return table

    def part_process(self) -> Part:
        """The process, stage by stage: one table of time targets, then checklists."""
        raci = self._raci()
        overview = []
        for number, stage in enumerate(Stage, start=1):
            data = self.content["stages"][stage.value]
            leads = [self.role(r) for r, v in raci[stage].items() if "R" in v]
            overview.append(
                (f"{number}. {stage.label}", self.fill(data["purpose"]), ", ".join(leads))
            )
        severities = self.config.severities
        targets = tuple(
            (stage.label, *(self._target(stage, s) for s in severities)) for stage in Stage
        )
        blocks: list[Block] = [
            Paragraph(
                "Nine stages take an incident from resolution to lasting change. The first "
                "table says who does each; the second, by when, for each severity. Each stage "
                "then lists what it starts from and produces, and a checklist; items marked "
                f"with a practice number come from {self.possessive} values and principles."
            ),
            Table(("Stage", "Purpose", "Done by"), tuple(overview)),
            Table(("Stage", *(s.name for s in severities)), targets, css="targets"),
        ]
        for number, stage in enumerate(Stage, start=1):
            data = self.content["stages"][stage.value]
            blocks.append(Heading(f"{number}. {stage.label}", f"stage-{slug(stage.value)}", 4))
            blocks.append(
                Paragraph(
                    "**From** "
                    + " ".join(self.fill(i) for i in data["inputs"])
                    + " **To** "
                    + " ".join(self.fill(o) for o in data["outputs"])
                )
            )
            checklist = [self.fill(c) for c in data["checklist"]]
            checklist += [self._practice_item(p) for p in self.practices if self.home(p) is stage]
            blocks.append(Items(tuple(checklist), style="checklist"))
        blocks += [
            Heading("Measuring the practice", "measures"),
            Paragraph(
                f"The {self.role(Role.SPONSOR)} reports these at each "
                f"{self.config.process.periodic_review} review:"
            ),
            Items(tuple(self.fill(m) for m in self.content["measures"])),
        ]
        return part("process", blocks)

    def part_action_items(self) -> Part:
        """Action items: their kinds, their wording, the completion target, approvals, risk."""
        actions = self.content["action_items"]
        follow = list(Stage).index(Stage.FOLLOW_THROUGH) + 1
        blocks: list[Block] = [
            Paragraph(self.fill(actions["purpose"])),
            Items(tuple(self.fill(t) for t in actions["types"]), label="Six kinds"),
            Table(
                ("Instead of", "Write"),
                tuple((p["bad"], p["good"]) for p in actions["pairs"]),
                css="pairs",
            ),
            Paragraph(f"**The completion target.** {self._completion_target()}"),
            *(Paragraph(self.fill(text)) for text in actions["notes"]),
        ]
        ids = [p.id for p in self.practices if self.home(p) is Stage.FOLLOW_THROUGH]
        if ids:
            blocks.append(
                Paragraph(
                    f"{self.possessive} values add Practice{'s' if len(ids) > 1 else ''} "
                    f"{_and(ids)}, in the checklist of stage {follow}, "
                    f"{Stage.FOLLOW_THROUGH.label}."
                )
            )
        return part("action-items", blocks)

    def _completion_target(self) -> str:
        """When action items are due, by severity, and the share to close on time."""
        by_days: dict[int, list[str]] = {}
        for s in self.config.severities:
            by_days.setdefault(s.action_due_days, []).append(s.name)
        due = "; ".join(f"{_and(names)}, {self._deadline(days)}" for days, names in by_days.items())
        process = self.config.process
        return (
            "Each item is due on the date the review gives it, and no later than this after the "
            f"incident is resolved: {due}. At least {process.action_items_on_time}% of items are "
            f"done by their due date; the {self.role(Role.SPONSOR)} reports the figure at each "
            f"{process.periodic_review} review, and re-plans an overdue item with its "
            f"{self.role(Role.ACTION_OWNER)} (a new date and the reason), never silently."
        )

    def part_roles(self) -> Part:
        """Roles and responsibilities, with the responsibility (RACI) table."""
        raci = self._raci()
        rows = []
        for role in Role:
            ids = [p.id for p in self.practices if p.role is role]
            rows.append(
                (
                    f"**{self.role(role)}**",
                    " ".join(self.fill(t) for t in self.content["roles"][role.value]),
                    ", ".join(ids) or "—",
                )
            )
        header = ("Stage", *(self.role(r) for r in Role))
        raci_rows = tuple((stage.label, *(raci[stage].get(r, "") for r in Role)) for stage in Stage)
        blocks: list[Block] = [
            Table(("Role", "Does", "Practices from the values"), tuple(rows), css="roles"),
            Heading("Responsibility table", "raci"),
            Paragraph(
                "**R** does the work · **A** answers for it (one per stage) · "
                "**C** is consulted · **I** is kept informed."
            ),
            Table(header, raci_rows, css="raci"),
        ]
        return part("roles", blocks)

    def part_template(self) -> Part:
        """The template, exactly as `nofault new` writes it."""
        template: tuple[TemplateSection, ...] = self.config.postmortem_template
        for s in template:
            if s.heading and heading_kind(s.heading) is not s.kind:
                self.warnings.append(
                    f"template heading {s.heading!r} for {s.kind.value} is recognised by `nofault "
                    f"lint` only where the configuration names this guide (guide = …)"
                )
        rows = tuple((f"**{s.title}**", s.guidance, "✓" if s.light else "") for s in template)
        blocks: list[Block] = [
            Paragraph(
                "Every postmortem has these sections, in this order. The light review keeps "
                "only the sections ticked. `nofault new` writes exactly this template (the "
                "file is in the appendix), so the guide and the documents cannot drift apart."
            ),
            Table(("Section", "What belongs in it", "Light"), rows, css="template"),
        ]
        blocks += self._worked_example(template)
        return part("template", blocks)

    def _template_file(self) -> list[Block]:
        """The template exactly as `nofault new` writes it, and how to make it do so."""
        first = self.config.severities[0].name if self.config.severities else None
        skeleton = new_postmortem_markdown(
            title="Short title of the incident",
            severity=first,
            incidents=["INC-0000"],
            authors=[self.role(Role.OWNER)],
            created=self.today,
            template=self.config.postmortem_template,
        )
        source = self.config.source or "guide.toml"
        return [
            Heading("The file `nofault new` writes", "template-file"),
            Paragraph(
                f"`nofault new --guide {source}` writes this file (or set "
                f'`guide = "{source}"` under `[tool.nofault]` in pyproject.toml).'
            ),
            Code(skeleton, "markdown"),
        ]

    def _worked_example(self, template: tuple[TemplateSection, ...]) -> list[Block]:
        """A filled-in postmortem under the organisation's headings, and a blameful version."""
        data = _example_content()
        severities = self.config.severities
        sev = severities[1] if len(severities) > 1 else (severities[0] if severities else None)
        texts: dict[str, str] = {k: str(v["text"]) for k, v in data["sections"].items()}
        used = [s for s in template if s.kind.value in texts]
        head = new_postmortem_markdown(
            title=data["title"],
            severity=sev.name if sev else None,
            incidents=[data["incident"]],
            authors=[self.role(Role.OWNER)],
            created=self.today,
            template=template,
        ).split("\n# ", 1)[0]
        good = "\n".join(
            [head, "", f"# {data['title']}", ""]
            + [f"## {s.title}\n\n{texts[s.kind.value]}\n" for s in used]
        )
        bad_sections = {k: str(v) for k, v in data["bad"].items()}
        bad = "\n".join(
            [head, "", f"# {data['title']}", ""]
            + [f"## {s.title}\n\n{bad_sections[s.kind.value]}\n" for s in template
               if s.kind.value in bad_sections]
        )  # fmt: skip
        notes = tuple((f"**{s.title}**", str(data["sections"][s.kind.value]["note"])) for s in used)
        name = sev.name if sev else "a"
        blocks: list[Block] = [
            Heading(f"A worked example: a {name} postmortem", "worked-example"),
            Paragraph(
                "A filled-in postmortem under the headings of the template above, with a note "
                "on why each section reads as it does. It changes when the template does."
            ),
            Table(("Section", "Why it reads this way"), notes, css="notes"),
            Code(good, "markdown"),
            Heading("The same incident, written with blame", "worked-example-bad"),
            Paragraph(
                "A short version of the same postmortem that blames a person, and what the "
                "checks run on every draft say about it."
            ),
            Code(bad, "markdown"),
        ]
        findings = self._findings(bad)
        if findings:
            blocks.append(Table(("Line", "What the check says"), findings, css="findings"))
        return blocks

    def _findings(self, text: str) -> tuple[tuple[str, str], ...]:
        if not self.rules:
            return ()
        from nofault.core.lint.engine import lint

        result = lint(text, path="worked-example.md")
        return tuple(
            (str(f.line), f.message[:1].upper() + f.message[1:])
            for f in result.findings
            if f.level in ("warning", "error") and f.category == Category.BLAME.value
        )

    def part_facilitation(self) -> Part:
        """Facilitation: opening, questions, responding to blame, closing."""
        f = self.content["facilitation"]
        meeting = self.config.meeting
        length = meeting.length_minutes
        agenda = meeting_agenda(length)
        blocks: list[Block] = [
            Paragraph(
                f"The {self.role(Role.FACILITATOR)} keeps the review blameless and on time. "
                f"A full review meeting lasts {length} minutes; the draft goes out "
                f"{self._deadline(meeting.notice_days)} before so that everyone arrives "
                "having read it."
            ),
            Table(("Agenda", "Time"), agenda),
            Heading("Before the meeting: the conversations", "interviews"),
            Items(tuple(self.fill(t) for t in self.content["interviews"]["before"])),
            Items(tuple(self.content["interviews"]["questions"]), label="A question bank"),
            Heading("Opening the meeting", "opening"),
            Items(tuple(self.fill(t) for t in f["opening"]), style="numbered"),
            Heading("Running the meeting", "running"),
            Items(tuple(self.fill(t) for t in self.content["meeting"])),
            Heading("Analysis: how, not why", "analysis"),
            Items(tuple(self.content["analysis"])),
            Heading("Questions that keep a review blameless", "questions"),
            Items(tuple(f["questions"])),
            Paragraph(
                "Each value's own questions are printed with the value, in "
                f"Part {PART_NUMBER['values']}."
            ),
            Heading("When blame appears", "responding-to-blame"),
            Table(
                ("When", "Respond"),
                tuple(
                    (self.fill(r["when"]), self.fill(r["respond"]))
                    for r in f["responding_to_blame"]
                ),
            ),
            Heading("Closing the meeting", "closing"),
            Items(tuple(self.fill(t) for t in f["closing"]), style="numbered"),
        ]
        return part("facilitation", blocks)

    def part_language(self) -> Part:
        """Blameless language, generated from the blame rule pack."""
        rules = [r for r in self.rules if r.category is Category.BLAME]
        blocks: list[Block] = [
            Paragraph(
                "Words shape the review. The pairs below are the ones the draft is checked "
                "against, taken from the same definitions, so the guide and the checks always "
                "say the same thing."
            ),
            Items(
                (
                    "Describe conditions and decisions, not people: name roles, not individuals.",
                    "Say what people knew and saw at the time; avoid hindsight ('should have', "
                    "'obviously').",
                    "Write about what happened, not what failed to happen ('the alert did not "
                    "fire' rather than 'the engineer failed to notice').",
                    "Prefer 'contributing factors' to a single 'root cause'.",
                ),
                label="In short",
            ),
        ]
        if not rules:
            blocks.append(
                Callout(
                    "The blame rule pack is not installed in this version of nofault. This part "
                    "lists its rules, with an example and a blameless rewording for each, as soon "
                    "as it is.",
                    title="Rules pending",
                )
            )
        else:
            rows = []
            for r in rules:
                # The rule's own example and rewording, so the pair always matches.
                flagged = r.doc.example or (r.examples.flag[0] if r.examples.flag else "")
                rows.append((r.message.capitalize(), flagged or "—", r.doc.instead or r.suggestion))
            blocks.append(
                Table(("What to avoid", "Instead of", "Write"), tuple(rows), css="language")
            )
        return part("language", blocks)

    def _rules_for(self, categories: Iterable[str], codes: Iterable[str]) -> list[Rule]:
        wanted = set(categories)
        codes = set(codes)
        return [r for r in self.rules if r.category.value in wanted or r.code in codes]

    def part_anti_patterns(self) -> Part:
        """The four anti-patterns, their signs and how nofault detects each."""
        rows = []
        missing: list[str] = []
        for ap in self.content["anti_patterns"]:
            rows.append(
                (
                    f"**{ap['name']}**. {ap['summary']}",
                    " ".join(ap["signs"]),
                    self.fill(ap["detection"]),
                )
            )
            categories = ap.get("categories", [])
            rules = self._rules_for(categories, ap.get("codes", []))
            missing += [c for c in categories if not any(r.category.value == c for r in rules)]
        blocks: list[Block] = [
            Paragraph("Four ways postmortems go wrong, their signs, and what nofault does."),
            Table(("Anti-pattern", "Signs", "How nofault detects it"), tuple(rows), css="anti"),
        ]
        if missing:
            blocks.append(
                Paragraph(
                    "The " + ", ".join(f"`{c}`" for c in missing) + " rule pack is not "
                    "installed in this version of nofault; its rules will be listed here "
                    "when it is."
                )
            )
        return part("anti-patterns", blocks)

    def part_appendix(self) -> Part:
        """The appendix: traceability, the template file, and the rule codes."""
        blocks = [
            Heading("Traceability", "traceability"),
            *self._traceability(),
            *self._template_file(),
            *self._rule_codes(),
        ]
        return part("appendix", blocks)

    def _rule_codes(self) -> list[Block]:
        """The appendix: each check's code, what it looks for, and the part it belongs to."""
        home: dict[str, str] = {}
        for ap in self.content["anti_patterns"]:
            for r in self._rules_for(ap.get("categories", []), ap.get("codes", [])):
                home.setdefault(r.code, ap["name"])
        for r in self.rules:
            if r.category is Category.BLAME:
                home[r.code] = "Blameless language"
        rows = tuple((f"`{r.code}`", r.message, home[r.code]) for r in self.rules if r.code in home)
        if not rows:
            return []
        return [
            Heading("Rule codes", "rule-codes"),
            Paragraph(
                "The codes `nofault lint` prints beside each finding, for those who run it; "
                "`nofault rule CODE` explains any of them."
            ),
            Table(("Code", "What it looks for", "Part"), rows, css="codes"),
        ]

    def _traceability(self) -> list[Block]:
        """Each value and principle against the stages, roles and practices it shaped."""
        rows = []
        for t in self.traces:
            kind = "Value" if t.statement.kind is StatementKind.VALUE else "Principle"
            rows.append(
                (
                    kind,
                    f"**{t.statement.name}**",
                    ", ".join(th.label for th in t.themes)
                    or ("Own practices" if t.complete else "—"),
                    ", ".join(s.label for s in t.stages) or "—",
                    ", ".join(self.role(r) for r in t.roles) or "—",
                    ", ".join(t.practice_ids) if t.complete else "**To complete**",
                )
            )
        done = sum(1 for t in self.traces if t.complete)
        values = sum(1 for t in self.traces if t.statement.kind is StatementKind.VALUE)
        summary = (
            f"{values} core values and {len(self.traces) - values} leadership "
            f"principles; {done} of {len(self.traces)} map to at least one concrete "
            "practice."
        )
        blocks: list[Block] = [
            Paragraph(
                "Each core value and leadership principle, the stages and roles it "
                "shaped, and the practices it added (numbered by stage, in "
                f"Part {PART_NUMBER['process']}). " + summary
            ),
            Table(
                ("", "Value or principle", "Read as", "Stages", "Roles", "Practices"),
                tuple(rows),
                css="trace",
            ),
        ]
        todo = [t for t in self.traces if not t.complete]
        if todo:
            blocks.append(
                Callout(
                    "These still need the organisation's own practices: "
                    + ", ".join(f"{t.statement.name} ({self.where(t.statement)})" for t in todo)
                    + ".",
                    tone="todo",
                    title="To complete",
                )
            )
        return blocks


def make_guide(
    inputs: Inputs,
    config: GuideConfig,
    *,
    rules: Sequence[Rule] | None = None,
    today: date | None = None,
    organisation: str | None = None,
) -> Guide:
    """Build the guide from values, principles and settings; rules default to all registered.

    `organisation`, when given, is the organisation's name and wins over guide.toml's; without
    either the build is refused, so no placeholder name is ever printed.
    """
    if organisation and organisation.strip():
        named = config.organisation.model_copy(update={"name": organisation.strip()})
        config = config.model_copy(update={"organisation": named})
    if not config.organisation.name.strip():
        raise GuideInputError(
            config.source or "guide.toml",
            None,
            'the organisation\'s name is not set: add `name = "…"` under `[organisation]` '
            "in guide.toml, or give it with --organisation",
        )
    if rules is None:
        from nofault.core.lint.registry import all_rules

        rules = all_rules()
    builder = GuideBuilder(inputs, config, rules, today or date.today())
    return builder.build()


__all__ = ["GuideBuilder", "Practice", "Theme", "infer_stage", "make_guide", "process_content"]
