"""The postmortem document model: one shape for Markdown files, the web editor and the API.

A postmortem is front-matter metadata plus an ordered list of sections. Keeping the sections
as a list (rather than one field per section) is what makes the Markdown format lossless:
the author's order, headings and any section nofault does not know all survive a round trip.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

DEFAULT_SEVERITIES: tuple[str, ...] = ("SEV1", "SEV2", "SEV3", "SEV4", "SEV5")


class _Model(BaseModel):
    """Base for every document value: strict about unknown fields, compared by value."""

    # defer_build: each model's validator is built when first used, not at import, so a
    # process that only lints (nofault lint, pre-commit) builds only the models it meets.
    model_config = ConfigDict(extra="forbid", validate_assignment=True, defer_build=True)


class IncidentStatus(StrEnum):
    """Where an incident stands in its response."""

    TRIGGERED = "triggered"
    ACKNOWLEDGED = "acknowledged"
    MITIGATED = "mitigated"
    RESOLVED = "resolved"


class IncidentRole(StrEnum):
    """The roles people hold while responding to an incident."""

    INCIDENT_COMMANDER = "incident_commander"
    COMMUNICATIONS_LEAD = "communications_lead"
    OPERATIONS_LEAD = "operations_lead"
    SCRIBE = "scribe"
    SUBJECT_MATTER_EXPERT = "subject_matter_expert"
    RESPONDER = "responder"


class PostmortemStatus(StrEnum):
    """Where a postmortem stands in its review."""

    DRAFT = "draft"
    IN_REVIEW = "in_review"
    PUBLISHED = "published"


class ReviewLevel(StrEnum):
    """How deep a review goes: full for major incidents, light for minor ones."""

    FULL = "full"
    LIGHT = "light"


class EventKind(StrEnum):
    """What a timeline event marks in the life of the incident."""

    TRIGGER = "trigger"
    START = "start"
    DETECTION = "detection"
    ESCALATION = "escalation"
    DIAGNOSIS = "diagnosis"
    MITIGATION = "mitigation"
    RESOLUTION = "resolution"
    COMMUNICATION = "communication"
    OTHER = "other"


class FactorCategory(StrEnum):
    """The kind of condition a contributing factor describes."""

    TECHNICAL = "technical"
    PROCESS = "process"
    TOOLING = "tooling"
    ORGANISATIONAL = "organisational"
    COMMUNICATION = "communication"
    KNOWLEDGE = "knowledge"
    EXTERNAL = "external"


class ActionType(StrEnum):
    """What an action item changes: detection, mitigation, prevention, repair, process, learning."""

    DETECT = "detect"
    MITIGATE = "mitigate"
    PREVENT = "prevent"
    REPAIR = "repair"
    PROCESS = "process"
    LEARN = "learn"


class ActionStatus(StrEnum):
    """Where an action item stands."""

    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    WONT_DO = "wont_do"


class SectionKind(StrEnum):
    """The sections nofault understands; anything else is kept as an `other` section."""

    SUMMARY = "summary"
    IMPACT = "impact"
    TIMELINE = "timeline"
    DETECTION = "detection"
    TRIGGER = "trigger"
    RESOLUTION = "resolution"
    CONTRIBUTING_FACTORS = "contributing_factors"
    ANALYSIS = "analysis"
    WENT_WELL = "went_well"
    WENT_WRONG = "went_wrong"
    LUCKY = "lucky"
    SURPRISED = "surprised"
    ACTION_ITEMS = "action_items"
    LESSONS = "lessons"
    LINKS = "links"
    COMMUNICATION = "communication"
    OTHER = "other"


# --- incidents -------------------------------------------------------------------------


class Responder(_Model):
    """A person who took part in the response, with the role they held."""

    name: str
    role: IncidentRole = IncidentRole.RESPONDER


def _require_aware(value: datetime | None) -> datetime | None:
    if value is not None and value.tzinfo is None:
        raise ValueError("timestamps must carry a time zone (for example 2026-01-31T14:02:00Z)")
    return value


class Incident(_Model):
    """Something that went wrong in production and was responded to."""

    id: str
    title: str
    severity: str = "SEV3"
    status: IncidentStatus = IncidentStatus.TRIGGERED
    services: list[str] = Field(default_factory=list)
    started_at: datetime | None = None
    detected_at: datetime | None = None
    mitigated_at: datetime | None = None
    resolved_at: datetime | None = None
    source: str = "manual"
    external_id: str | None = None
    responders: list[Responder] = Field(default_factory=list)

    _aware = field_validator("started_at", "detected_at", "mitigated_at", "resolved_at")(
        _require_aware
    )


# --- postmortem parts ------------------------------------------------------------------


class Impact(_Model):
    """Measured impact: how long, how many, how much of the error budget."""

    duration_minutes: float | None = None
    users_affected: int | None = None
    requests_affected: int | None = None
    error_rate_percent: float | None = None
    error_budget_spent_percent: float | None = None

    def is_quantified(self) -> bool:
        """Tell whether any measured figure is present."""
        return any(v is not None for v in self.model_dump().values())


class TimelineEvent(_Model):
    """One moment in the incident: when, what happened, what kind of moment, and from where."""

    time: str
    text: str
    kind: EventKind | None = None
    source: str | None = None

    def has_timezone(self) -> bool:
        """Tell whether the time as written names a time zone nofault can read."""
        from nofault.core.timeparse import has_timezone

        return has_timezone(self.time)

    def at(self, reference: date | None = None) -> datetime | None:
        """Return the event time as an aware datetime, or None when it cannot be read."""
        from nofault.core.timeparse import parse_event_time

        return parse_event_time(self.time, reference)


class ContributingFactor(_Model):
    """A condition that let the incident happen or made it worse."""

    id: str
    text: str
    category: FactorCategory | None = None


class ActionItem(_Model):
    """A change the team commits to, owned, dated and tied to the factors it addresses."""

    id: str
    text: str
    type: ActionType | None = None
    owner: str | None = None
    person: str | None = None
    due: date | None = None
    status: ActionStatus = ActionStatus.OPEN
    reason: str | None = None
    tracker: str | None = None
    factors: list[str] = Field(default_factory=list)

    def is_open(self) -> bool:
        """Tell whether work on the item is still outstanding."""
        return self.status in (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


class WhyChain(_Model):
    """A five-whys chain: a question and the successive answers, deepest last."""

    title: str
    answers: list[str] = Field(default_factory=list)


class Link(_Model):
    """A reference from the postmortem to somewhere else."""

    title: str
    url: str


# --- sections --------------------------------------------------------------------------


class _Section(_Model):
    heading: str
    level: int = Field(default=2, ge=1, le=6)
    # Text before the section's structured part (or all its text for prose sections).
    body: str = ""


class TextSection(_Section):
    """A prose section: summary, what went well, lessons, or any section nofault does not know."""

    kind: Literal[
        SectionKind.SUMMARY,
        SectionKind.WENT_WELL,
        SectionKind.WENT_WRONG,
        SectionKind.LUCKY,
        SectionKind.SURPRISED,
        SectionKind.LESSONS,
        SectionKind.IMPACT,
        SectionKind.DETECTION,
        SectionKind.TRIGGER,
        SectionKind.RESOLUTION,
        SectionKind.COMMUNICATION,
        SectionKind.OTHER,
    ]


class _StructuredSection(_Section):
    """A section with a structured part between prose before it (`body`) and after it."""

    after: str = ""

    def structure(self) -> list[object]:
        """Return the structured items (events, factors, chains, action items or links)."""
        return []

    @model_validator(mode="after")
    def _no_after_without_structure(self) -> _StructuredSection:
        # With nothing structured there is no "after": all the text is one body. One shape
        # per document is what keeps the Markdown round trip exact.
        if self.after and not self.structure():
            body = "\n\n".join(p for p in (self.body, self.after) if p)
            object.__setattr__(self, "after", "")
            object.__setattr__(self, "body", body)
        return self


class TimelineSection(_StructuredSection):
    """The timeline: events as a table, a `- time — text` list or one heading per time."""

    kind: Literal[SectionKind.TIMELINE] = SectionKind.TIMELINE
    style: Literal["table", "list", "headings"] = "table"
    events: list[TimelineEvent] = Field(default_factory=list)

    def structure(self) -> list[object]:
        """Return the events."""
        return list(self.events)


class FactorsSection(_StructuredSection):
    """Contributing factors as a list, each with an id and a category tag."""

    kind: Literal[SectionKind.CONTRIBUTING_FACTORS] = SectionKind.CONTRIBUTING_FACTORS
    factors: list[ContributingFactor] = Field(default_factory=list)

    def structure(self) -> list[object]:
        """Return the factors."""
        return list(self.factors)


class AnalysisSection(_StructuredSection):
    """Free narrative and any number of five-whys chains."""

    kind: Literal[SectionKind.ANALYSIS] = SectionKind.ANALYSIS
    chains: list[WhyChain] = Field(default_factory=list)

    def structure(self) -> list[object]:
        """Return the chains."""
        return list(self.chains)


class ActionItemsSection(_StructuredSection):
    """Action items as a table, or as a task list with each item's fields in brackets."""

    kind: Literal[SectionKind.ACTION_ITEMS] = SectionKind.ACTION_ITEMS
    style: Literal["table", "list"] = "table"
    items: list[ActionItem] = Field(default_factory=list)

    def structure(self) -> list[object]:
        """Return the items."""
        return list(self.items)


class LinksSection(_StructuredSection):
    """Links as a list of `[title](url)` items."""

    kind: Literal[SectionKind.LINKS] = SectionKind.LINKS
    links: list[Link] = Field(default_factory=list)

    def structure(self) -> list[object]:
        """Return the links."""
        return list(self.links)


Section = Annotated[
    TextSection
    | TimelineSection
    | FactorsSection
    | AnalysisSection
    | ActionItemsSection
    | LinksSection,
    Field(discriminator="kind"),
]


# --- the postmortem --------------------------------------------------------------------


class Postmortem(_Model):
    """A blameless review of one or more incidents."""

    id: str | None = None
    title: str = ""
    incidents: list[str] = Field(default_factory=list)
    severity: str | None = None
    services: list[str] = Field(default_factory=list)
    status: PostmortemStatus = PostmortemStatus.DRAFT
    review_level: ReviewLevel = ReviewLevel.FULL
    authors: list[str] = Field(default_factory=list)
    facilitator: str | None = None
    reviewers: list[str] = Field(default_factory=list)
    responders: list[Responder] = Field(default_factory=list)
    created: date | None = None
    review_meeting: datetime | None = None
    published: date | None = None
    started_at: datetime | None = None
    detected_at: datetime | None = None
    mitigated_at: datetime | None = None
    resolved_at: datetime | None = None
    impact: Impact = Field(default_factory=Impact)
    # Fields whose values were read from the text (a "Date:" line, a date in the title, a
    # severity named in the summary) rather than stated as metadata.
    inferred: list[str] = Field(default_factory=list)
    # Text between the title and the first section.
    preamble: str = ""
    # Front-matter keys nofault does not know, kept in their order so a round trip loses none.
    extra: dict[str, object] = Field(default_factory=dict)
    sections: list[Section] = Field(default_factory=list)

    _aware = field_validator(
        "review_meeting", "started_at", "detected_at", "mitigated_at", "resolved_at"
    )(_require_aware)

    # Accessors: the first section of each kind (duplicates are a lint finding, not a crash).

    def section(self, kind: SectionKind) -> Section | None:
        """Return the first section of the given kind, or None."""
        return next((s for s in self.sections if s.kind == kind), None)

    def sections_of(self, kind: SectionKind) -> Iterator[Section]:
        """Yield every section of the given kind, in document order."""
        return (s for s in self.sections if s.kind == kind)

    @property
    def summary(self) -> str:
        """The summary text, or an empty string."""
        s = self.section(SectionKind.SUMMARY)
        return s.body if s else ""

    @property
    def timeline(self) -> list[TimelineEvent]:
        """Every timeline event, in document order."""
        return [e for s in self.sections_of(SectionKind.TIMELINE) for e in s.events]  # type: ignore[union-attr]

    @property
    def contributing_factors(self) -> list[ContributingFactor]:
        """Every contributing factor, in document order."""
        return [
            f
            for s in self.sections_of(SectionKind.CONTRIBUTING_FACTORS)
            for f in s.factors  # type: ignore[union-attr]
        ]

    @property
    def action_items(self) -> list[ActionItem]:
        """Every action item, in document order."""
        return [
            a
            for s in self.sections_of(SectionKind.ACTION_ITEMS)
            for a in s.items  # type: ignore[union-attr]
        ]

    @property
    def why_chains(self) -> list[WhyChain]:
        """Every five-whys chain, in document order."""
        return [c for s in self.sections_of(SectionKind.ANALYSIS) for c in s.chains]  # type: ignore[union-attr]

    @property
    def links(self) -> list[Link]:
        """Every link, in document order."""
        return [lk for s in self.sections_of(SectionKind.LINKS) for lk in s.links]  # type: ignore[union-attr]

    def people(self) -> list[str]:
        """Names of everyone the document names in its metadata."""
        names = [*self.authors, *self.reviewers, *(r.name for r in self.responders)]
        if self.facilitator:
            names.append(self.facilitator)
        names.extend(a.person for a in self.action_items if a.person)
        return list(dict.fromkeys(n for n in names if n))
