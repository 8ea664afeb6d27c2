"""guide.toml: the organisation's name, severities and deadlines, waivers, roles and template.

Every setting has a default, so a guide builds without a config file. Errors name the file
and the line of the setting that is wrong (tomllib gives no positions, so `TomlLines` finds
them by reading the table headers and keys itself).
"""

from __future__ import annotations

import itertools
import re
import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from nofault.core.document import ReviewLevel, SectionKind
from nofault.core.guide.errors import GuideInputError
from nofault.core.guide.vocabulary import DEFAULT_ROLE_NAMES, Role, Stage
from nofault.core.markdown import CANONICAL_HEADINGS
from nofault.core.template import DEFAULT_TEMPLATE, TemplateSection


class _Settings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Organisation(_Settings):
    """Who the guide is for."""

    name: str = ""  # required: here, or given to the builder (`--organisation`, the web app)
    title: str = ""  # the guide's title; default "<name> Blameless Postmortem Guide"
    contact: str = ""  # where to ask questions about the process
    postmortem_folder: str = ""  # where published postmortems live

    @property
    def guide_title(self) -> str:
        """The guide's title as printed on the cover and in the page header."""
        return self.title or f"{self.name} Blameless Postmortem Guide"


class Severity(_Settings):
    """One incident severity: what it means, how deep its review goes, and its deadlines."""

    name: str
    description: str = ""
    review: ReviewLevel = ReviewLevel.FULL
    assign_within_hours: int = Field(24, ge=1)
    draft_due_days: int = Field(5, ge=1)
    review_due_days: int = Field(7, ge=1)
    publish_due_days: int = Field(10, ge=1)
    action_due_days: int = Field(30, ge=1)
    revisit_after_days: int = Field(0, ge=0)  # 0: no separate revisit
    batched: bool = False  # no postmortem each: noted, and reviewed together periodically

    @field_validator("name")
    @classmethod
    def _named(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("a severity needs a name")
        return value.strip()


def _sev(name: str, description: str, review: ReviewLevel, *deadlines: int | bool) -> Severity:
    keys = (
        "assign_within_hours",
        "draft_due_days",
        "review_due_days",
        "publish_due_days",
        "action_due_days",
        "revisit_after_days",
        "batched",
    )
    return Severity(
        name=name,
        description=description,
        review=review,
        **dict(zip(keys[: len(deadlines)], deadlines, strict=True)),
    )


DEFAULT_SEVERITY_SETTINGS: tuple[Severity, ...] = (
    _sev(
        "SEV1",
        "Critical: a core service is down or data is at risk for many customers.",
        ReviewLevel.FULL,
        4,
        3,
        5,
        7,
        30,
        90,
    ),
    _sev(
        "SEV2",
        "Major: a core feature is degraded or down for some customers.",
        ReviewLevel.FULL,
        24,
        5,
        7,
        10,
        30,
        90,
    ),
    _sev(
        "SEV3",
        "Moderate: a minor feature fails or a core one is slow; a workaround exists.",
        ReviewLevel.FULL,
        48,
        7,
        10,
        14,
        60,
        0,
    ),
    _sev(
        "SEV4",
        "Minor: little customer impact, or an internal tool is down.",
        ReviewLevel.LIGHT,
        72,
        7,
        10,
        14,
        60,
        0,
    ),
    _sev(
        "SEV5",
        "Cosmetic, or a near miss with no customer impact.",
        ReviewLevel.LIGHT,
        72,
        7,
        10,
        14,
        90,
        0,
        True,
    ),
)


class Process(_Settings):
    """How deadlines are counted and who else is brought in."""

    working_days: bool = True
    follow_up_every_days: int = Field(7, ge=1)
    leadership_review: list[str] | None = None  # default: the most severe severity
    periodic_review: str = "quarterly"  # how often light reviews are read together for themes
    action_items_on_time: int = Field(80, ge=1, le=100)  # the share due items closed on time, %
    # Reasons beyond severity that call for a postmortem.
    triggers: list[str] = Field(
        default_factory=lambda: [
            "Customers noticed, whatever the severity.",
            "A near miss: something almost went badly wrong, and luck or a quick catch stopped it.",
            "Data was lost, exposed or corrupted, however little.",
            "The same conditions caused an incident before.",
            "Anyone involved asks for a review; they do not need to justify it.",
        ]
    )


class Waivers(_Settings):
    """Who may waive a postmortem, for which severities, and why."""

    decided_by: Role = Role.SPONSOR
    allowed_for: list[str] | None = None  # default: the severities with a light review
    reasons: list[str] = Field(
        default_factory=lambda: [
            "The incident duplicates one already under review; link the two.",
            "It was a planned test or drill that has its own write-up.",
            "The alert was false and the alert rule itself gets an action item.",
        ]
    )
    record: str = "in the incident record, with the name of who decided and the reason"


DEFAULT_JUST_CULTURE_LIMIT = (
    "the commitment covers honest mistakes and reasonable decisions, not deliberate harm, "
    "fraud or acts the law requires us to report. Those few cases are handled by HR and Legal "
    "in their own process, never decided in a postmortem, and a postmortem may be kept under "
    "a legal hold."
)


class Commitment(_Settings):
    """The blameless commitment's limit, agreed with HR and Legal, printed where it is promised."""

    just_culture_limit: str = DEFAULT_JUST_CULTURE_LIMIT

    @field_validator("just_culture_limit")
    @classmethod
    def _written(cls, value: str) -> str:
        if not value.strip():
            raise ValueError(
                "write the limit of the blameless commitment, agreed with HR and Legal"
            )
        return " ".join(value.split())


class Meeting(_Settings):
    """The review meeting."""

    length_minutes: int = Field(60, ge=15)
    light_length_minutes: int = Field(0, ge=0)  # 0: light reviews are reviewed in writing
    notice_days: int = Field(2, ge=0)  # how long participants have to read the draft


class Roles(_Settings):
    """The organisation's names for each postmortem role."""

    owner: str = DEFAULT_ROLE_NAMES[Role.OWNER]
    facilitator: str = DEFAULT_ROLE_NAMES[Role.FACILITATOR]
    incident_commander: str = DEFAULT_ROLE_NAMES[Role.INCIDENT_COMMANDER]
    participants: str = DEFAULT_ROLE_NAMES[Role.PARTICIPANTS]
    reviewer: str = DEFAULT_ROLE_NAMES[Role.REVIEWER]
    action_owner: str = DEFAULT_ROLE_NAMES[Role.ACTION_OWNER]
    sponsor: str = DEFAULT_ROLE_NAMES[Role.SPONSOR]

    def name(self, role: Role) -> str:
        """The organisation's name for a role."""
        return str(getattr(self, role.value))


class TemplateSettings(_Settings):
    """Changes to the postmortem template: renamed headings, extra guidance, the light review."""

    headings: dict[SectionKind, str] = Field(default_factory=dict)
    guidance: dict[SectionKind, str] = Field(default_factory=dict)
    light_sections: list[SectionKind] | None = None


RACI_LETTERS = frozenset("RACI")


class GuideConfig(_Settings):
    """Everything in guide.toml."""

    organisation: Organisation = Field(default_factory=Organisation)
    severities: list[Severity] = Field(default_factory=lambda: list(DEFAULT_SEVERITY_SETTINGS))
    process: Process = Field(default_factory=Process)
    waivers: Waivers = Field(default_factory=Waivers)
    meeting: Meeting = Field(default_factory=Meeting)
    commitment: Commitment = Field(default_factory=Commitment)
    commitment_set: bool = False  # whether guide.toml wrote [commitment] itself
    roles: Roles = Field(default_factory=Roles)
    template: TemplateSettings = Field(default_factory=TemplateSettings)
    raci: dict[Stage, dict[Role, str]] = Field(default_factory=dict)
    # [lint]: rule selection, roster, extra words and the other keys of [tool.nofault], so the
    # guide is the one place the organisation's checks are set.
    lint: dict[str, Any] = Field(default_factory=dict)
    source: str = ""

    def severity(self, name: str) -> Severity | None:
        """Find a severity by name (case-insensitive)."""
        return next((s for s in self.severities if s.name.casefold() == name.casefold()), None)

    @property
    def leadership_review_severities(self) -> list[Severity]:
        """The severities whose review meeting the leadership sponsor attends."""
        names = self.process.leadership_review
        if names is None:
            return self.severities[:1]
        return [s for s in self.severities if s.name.casefold() in {n.casefold() for n in names}]

    @property
    def waivable_severities(self) -> list[Severity]:
        """The severities whose postmortem may be waived."""
        names = self.waivers.allowed_for
        if names is None:
            return [s for s in self.severities if s.review is ReviewLevel.LIGHT]
        return [s for s in self.severities if s.name.casefold() in {n.casefold() for n in names}]

    @property
    def postmortem_template(self) -> tuple[TemplateSection, ...]:
        """The organisation's postmortem template (what `nofault new` writes)."""
        return template_from_settings(self.template)


LIGHT_ALWAYS = (SectionKind.IMPACT, SectionKind.TIMELINE)


def template_from_settings(settings: TemplateSettings) -> tuple[TemplateSection, ...]:
    """Apply renamed headings, extra guidance and the light-review sections to the template."""
    out = []
    for section in DEFAULT_TEMPLATE:
        extra = settings.guidance.get(section.kind, "").strip()
        guidance = f"{section.guidance} {extra}" if extra else section.guidance
        # A light review still says what customers felt and what happened when.
        light = section.kind in LIGHT_ALWAYS or (
            section.kind in settings.light_sections
            if settings.light_sections is not None
            else section.light
        )
        heading = settings.headings.get(section.kind, "").strip() or section.heading
        if heading == CANONICAL_HEADINGS.get(section.kind):
            heading = ""
        out.append(TemplateSection(section.kind, guidance, heading, light))
    return tuple(out)


# --- finding lines in TOML ------------------------------------------------------------------

_ARRAY_HEADER = re.compile(r"^\s*\[\[\s*([^\]]+?)\s*\]\]")
_TABLE_HEADER = re.compile(r"^\s*\[\s*([^\]]+?)\s*\]")
_PART = r"""(?:[A-Za-z0-9_\-]+|"[^"]*"|'[^']*')"""
_KEY = re.compile(rf"^\s*({_PART}(?:\s*\.\s*{_PART})*)\s*=")


def _key_parts(text: str) -> tuple[str, ...]:
    parts = re.findall(_PART, text)
    return tuple(p.strip().strip("\"'") for p in parts)


class TomlLines:
    """Where each table and key of a TOML text is, so errors can name a line."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.where: dict[tuple[str, ...], int] = {}
        self.spans: dict[tuple[str, ...], tuple[int, int]] = {}  # key -> (first, last) line
        table: tuple[str, ...] = ()
        counts: dict[tuple[str, ...], int] = {}
        last_key: tuple[str, ...] | None = None
        for number, line in enumerate(self.lines, start=1):
            if line.lstrip().startswith("#"):
                continue
            if m := _ARRAY_HEADER.match(line):
                name = _key_parts(m.group(1))
                index = counts.get(name, 0)
                counts[name] = index + 1
                table = (*name, str(index))
                self.where.setdefault(table, number)
                self.where.setdefault(name, number)
                last_key = None
            elif m := _TABLE_HEADER.match(line):
                table = _key_parts(m.group(1))
                self.where.setdefault(table, number)
                last_key = None
            elif m := _KEY.match(line):
                last_key = (*table, *_key_parts(m.group(1)))
                self.where.setdefault(last_key, number)
                self.spans[last_key] = (number, number)
            elif last_key is not None and line.strip():
                first, _ = self.spans[last_key]
                self.spans[last_key] = (first, number)

    def line(self, loc: tuple[Any, ...], needle: str | None = None) -> int | None:
        """Return the line of the most specific known part of `loc` (or of `needle` in it)."""
        parts = tuple(str(p) for p in loc)
        for size in range(len(parts), 0, -1):
            key = parts[:size]
            if key in self.where:
                if needle is not None and key in self.spans:
                    first, last = self.spans[key]
                    for number in range(first, last + 1):
                        if re.search(rf"[\"']{re.escape(needle)}[\"']", self.lines[number - 1]):
                            return number
                return self.where[key]
        return None


# --- loading -------------------------------------------------------------------------------


def load_guide_config(path: Path | None) -> GuideConfig:
    """Read guide.toml (or return the defaults when `path` is None); errors name file and line."""
    if path is None:
        return GuideConfig()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise GuideInputError(str(path), None, f"cannot read the guide config: {exc}") from exc
    return parse_guide_config(text, source=str(path))


def parse_guide_config(text: str, *, source: str = "guide.toml") -> GuideConfig:
    """Parse guide.toml text; errors name the source and the line."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise GuideInputError(
            source, int(m.group(1)) if m else None, f"not valid TOML: {exc}"
        ) from exc
    lines = TomlLines(text)
    if "severities" in data and not data["severities"]:
        raise GuideInputError(
            source,
            lines.line(("severities",)),
            "severities is an empty list: define at least one `[[severities]]`",
        )
    try:
        config = GuideConfig.model_validate(
            {**data, "source": source, "commitment_set": "commitment" in data}
        )
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = tuple(p for p in first["loc"] if p != "[key]")
        where = ".".join(str(p) for p in loc)
        if first["type"] == "extra_forbidden":
            message = f"unknown setting '{where}'"
        elif first["type"] == "enum" and loc and loc[0] in ("template", "raci"):
            message = f"'{where}': {first['msg']}"
        else:
            message = f"setting '{where}': {first['msg']}"
        raise GuideInputError(source, lines.line(loc), message) from exc
    _check(config, lines, source)
    return config


def _check(config: GuideConfig, lines: TomlLines, source: str) -> None:
    if config.lint:
        from nofault.core.lint.config import ConfigError, config_from_mapping

        try:
            config_from_mapping(dict(config.lint), source=f"{source} [lint]")
        except ConfigError as exc:
            raise GuideInputError(source, lines.line(("lint",)), str(exc)) from exc
    seen: dict[str, int] = {}
    for index, severity in enumerate(config.severities):
        key = severity.name.casefold()
        line = lines.line(("severities", index, "name"))
        if key in seen:
            raise GuideInputError(
                source,
                line,
                f"severity {severity.name!r} is defined twice "
                f"(also severity number {seen[key] + 1})",
            )
        seen[key] = index
        order = [
            ("draft_due_days", severity.draft_due_days),
            ("review_due_days", severity.review_due_days),
            ("publish_due_days", severity.publish_due_days),
        ]
        for (a, da), (b, db) in itertools.pairwise(order):
            # A review needs the draft a day before it; publishing may follow the same day.
            if db < da or (b == "review_due_days" and db == da):
                when = "comes before" if db < da else "falls on the same day as"
                raise GuideInputError(
                    source,
                    lines.line(("severities", index, b)),
                    f"severity {severity.name}: {b} ({db}) {when} {a} ({da})",
                )
    for loc, names in (
        (("process", "leadership_review"), config.process.leadership_review),
        (("waivers", "allowed_for"), config.waivers.allowed_for),
    ):
        for name in names or []:
            if config.severity(name) is None:
                defined = ", ".join(s.name for s in config.severities)
                raise GuideInputError(
                    source,
                    lines.line(loc, needle=name),
                    f"{'.'.join(loc)} names severity {name!r}, which is not defined "
                    f"(defined: {defined})",
                )
    for stage, row in config.raci.items():
        accountable = [role for role, letters in row.items() if "A" in letters.upper()]
        for role, letters in row.items():
            bad = set(letters.upper()) - RACI_LETTERS
            if bad or not letters:
                raise GuideInputError(
                    source,
                    lines.line(("raci", stage.value, role.value)),
                    f"raci.{stage.value}.{role.value}: use the letters R, A, "
                    f"C and I (got {letters!r})",
                )
        if len(accountable) > 1:
            raise GuideInputError(
                source,
                lines.line(("raci", stage.value)),
                f"raci.{stage.value}: only one role can be accountable (A); "
                f"got {', '.join(r.value for r in accountable)}",
            )
