"""The postmortem template: which sections a new postmortem has, and what belongs in each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from nofault.core.document import (
    ActionItemsSection,
    AnalysisSection,
    FactorsSection,
    LinksSection,
    Postmortem,
    ReviewLevel,
    Section,
    SectionKind,
    TextSection,
    TimelineSection,
)
from nofault.core.markdown import CANONICAL_HEADINGS, render


@dataclass(frozen=True, slots=True)
class TemplateSection:
    """One section of the template: its kind, heading and one line of guidance."""

    kind: SectionKind
    guidance: str
    heading: str = ""
    light: bool = False  # part of the light review for minor incidents too

    @property
    def title(self) -> str:
        """The heading to write (the canonical one unless the organisation renamed it)."""
        return self.heading or CANONICAL_HEADINGS.get(self.kind, self.kind.value)


DEFAULT_TEMPLATE: tuple[TemplateSection, ...] = (
    TemplateSection(
        SectionKind.SUMMARY,
        "What happened, to whom, for how long, in two or three "
        "sentences a reader outside the team understands.",
        light=True,
    ),
    TemplateSection(
        SectionKind.IMPACT,
        "Who and what was affected and how much: duration, users "
        "or requests affected, error budget spent (also in the front matter).",
        light=True,
    ),
    TemplateSection(
        SectionKind.TIMELINE,
        "Times with their zone, from the first trigger to "
        "resolution; mark detection, escalation, mitigation and resolution.",
        light=True,
    ),
    TemplateSection(
        SectionKind.DETECTION,
        "How the problem was noticed (alert, customer, luck) "
        "and how it could have been noticed sooner by the system.",
        light=True,
    ),
    TemplateSection(
        SectionKind.RESOLUTION,
        "How the response went: who was brought in and when, what was tried, what "
        "mitigated the impact and what restored normal service.",
        heading="Response and recovery",
    ),
    TemplateSection(
        SectionKind.COMMUNICATION,
        "What customers and stakeholders were told, where (status page, support, email) and "
        "when, and what they asked that the updates did not answer.",
    ),
    TemplateSection(
        SectionKind.CONTRIBUTING_FACTORS,
        "The conditions that let the trigger do "
        "harm, each tagged with a category; look beyond the technical.",
        light=True,
    ),
    TemplateSection(
        SectionKind.ANALYSIS,
        "Why each factor existed: what people knew and saw at "
        "the time, what the tools allowed, what the process asked for.",
    ),
    TemplateSection(
        SectionKind.WENT_WELL,
        "What helped: tools, practices and people's judgement that limited the impact.",
        light=True,
    ),
    TemplateSection(SectionKind.WENT_WRONG, "What made the response harder or slower."),
    TemplateSection(
        SectionKind.LUCKY, "What limited the damage by chance, and would not next time."
    ),
    TemplateSection(
        SectionKind.SURPRISED,
        "What the team did not expect about how the system or the organisation behaved.",
    ),
    TemplateSection(
        SectionKind.ACTION_ITEMS,
        "Changes to the system, each with an owning team, a due date and the factors it addresses.",
        light=True,
    ),
    TemplateSection(
        SectionKind.LESSONS, "What the organisation learned that applies beyond this incident."
    ),
    TemplateSection(SectionKind.LINKS, "Dashboards, chat logs, tickets and related postmortems."),
)


def _empty_section(kind: SectionKind, heading: str, guidance: str) -> Section:
    body = f"<!-- {guidance} -->"
    match kind:
        case SectionKind.TIMELINE:
            return TimelineSection(heading=heading, body=body)
        case SectionKind.CONTRIBUTING_FACTORS:
            return FactorsSection(heading=heading, body=body)
        case SectionKind.ANALYSIS:
            return AnalysisSection(heading=heading, body=body)
        case SectionKind.ACTION_ITEMS:
            return ActionItemsSection(heading=heading, body=body)
        case SectionKind.LINKS:
            return LinksSection(heading=heading, body=body)
        case _:
            return TextSection(kind=kind, heading=heading, body=body)


def new_postmortem(
    *,
    title: str,
    severity: str | None = None,
    incidents: list[str] | None = None,
    review_level: ReviewLevel = ReviewLevel.FULL,
    authors: list[str] | None = None,
    created: date | None = None,
    template: tuple[TemplateSection, ...] = DEFAULT_TEMPLATE,
) -> Postmortem:
    """Return a new draft postmortem with every template section and its guidance."""
    sections = [
        _empty_section(s.kind, s.title, s.guidance)
        for s in template
        if review_level is ReviewLevel.FULL or s.light
    ]
    return Postmortem(
        title=title,
        severity=severity,
        incidents=incidents or [],
        review_level=review_level,
        authors=authors or [],
        created=created or date.today(),
        sections=sections,
    )


def new_postmortem_markdown(**kwargs: object) -> str:
    """Return the Markdown of a new postmortem (see `new_postmortem` for the arguments)."""
    return render(new_postmortem(**kwargs))  # type: ignore[arg-type]
