"""What a deep review contains, as pure predicates over a postmortem.

The depth rules, the actions rules and the depth score all ask the same questions (is this
factor a person, does this chain stop at a person, when was the incident detected), so the
answers live here once. Nothing in this module reports findings or knows about lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from nofault.core.document import (
    ContributingFactor,
    EventKind,
    Postmortem,
    ReviewLevel,
    SectionKind,
    TimelineSection,
    WhyChain,
)
from nofault.core.lint.config import LintConfig, rule_key_specificity
from nofault.core.lint.packs.loader import load_yaml
from nofault.core.lint.result import ResponseTimes
from nofault.core.lint.rule import Rule
from nofault.core.lint.text import folded, without_comments
from nofault.core.timeparse import has_timezone, parse_event_time

_HERE = Path(__file__).parent


@cache
def _pack_entries(pack: str) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = load_yaml(
        (_HERE.parent / pack / "rules.yaml").read_text(encoding="utf-8")
    )
    return entries


def pack_entry(pack: str, code: str) -> dict[str, Any]:
    """Return a rule's entry in its pack's YAML."""
    for entry in _pack_entries(pack):
        if entry["code"] == code:
            return entry
    raise KeyError(f"{pack}/rules.yaml has no rule {code}")


@cache
def pack_phrases(pack: str, code: str) -> tuple[str, ...]:
    """Return the `phrases` list a rule carries in its pack's YAML (regular expressions)."""
    return tuple(pack_entry(pack, code).get("phrases", ()))


class Phrases:
    """Phrase patterns joined into one case-insensitive pattern; `search` finds as re's does.

    On ASCII text the pattern's case-sensitive twin (`text.folded`) looks through the
    lower-cased text, several times faster than the engine folding case at every position,
    and the pattern is matched where the twin found the first match.
    """

    __slots__ = ("pattern", "twin")

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self.twin = folded(pattern)

    def search(self, text: str) -> re.Match[str] | None:
        """Return the first match in the text, or None."""
        if self.twin is None or not text.isascii():
            return self.pattern.search(text)
        found = self.twin.search(text.lower())
        if found is None:
            return None
        return self.pattern.match(text, found.start()) or self.pattern.search(text)


def compile_phrases(phrases: tuple[str, ...] | list[str]) -> Phrases:
    """Join phrase patterns into one case-insensitive pattern matching whole words."""
    return _compile_phrases(tuple(phrases))


@lru_cache(maxsize=256)
def _compile_phrases(phrases: tuple[str, ...]) -> Phrases:
    # Cached: the detectors and the score ask for the same few lists once per factor or item.
    return Phrases(
        re.compile(
            "|".join(rf"(?:(?<![\w-]){p}(?![\w-]))" for p in phrases) or r"(?!x)x",
            re.IGNORECASE,
        )
    )


# --- text -----------------------------------------------------------------------------------

_PLACEHOLDER = re.compile(r"^(?:n/?a|none|nothing|tbd|todo|-+|…|\.\.\.)\.?$", re.IGNORECASE)


def has_content(text: str) -> bool:
    """Tell whether a section's text says something (not only template comments or `TBD`)."""
    stripped = without_comments(text).strip()
    return bool(stripped) and not _PLACEHOLDER.match(stripped)


def section_text(pm: Postmortem, kind: SectionKind) -> str:
    """Return all the text of the first section of a kind (body and text after), or ''."""
    section = pm.section(kind)
    if section is None:
        return ""
    return "\n\n".join(p for p in (section.body, getattr(section, "after", "")) if p)


# --- people and non-systemic answers --------------------------------------------------------


def people(pm: Postmortem, config: LintConfig) -> list[str]:
    """Return the names the document and the roster know, longest first (then alphabetical)."""
    names = [*pm.people(), *config.roster]
    return sorted(
        {n.strip() for n in names if n and len(n.strip()) > 1}, key=lambda n: (-len(n), n)
    )


def _name_pattern(names: list[str]) -> re.Pattern[str] | None:
    return _compile_names(tuple(names)) if names else None


@lru_cache(maxsize=64)
def _compile_names(names: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(
        r"(?<![\w@-])@?(?:" + "|".join(re.escape(n) for n in names) + r")(?![\w-])",
        re.IGNORECASE,
    )


def named_person(text: str, pm: Postmortem, config: LintConfig) -> str | None:
    """Return the first known person's name the text mentions, or None."""
    pattern = _name_pattern(people(pm, config))
    m = pattern.search(text) if pattern else None
    return m.group(0).lstrip("@") if m else None


def human_error(text: str) -> re.Match[str] | None:
    """Find wording that makes a person, or their attention, the cause."""
    return compile_phrases(pack_phrases("depth", "DEP103")).search(text)


def person_as_factor(factor: ContributingFactor, pm: Postmortem, config: LintConfig) -> str | None:
    """Say why a factor names a person or human error instead of a condition, or None."""
    m = human_error(factor.text)
    if m:
        return f"'{m.group(0)}'"
    name = named_person(factor.text, pm, config)
    if name and re.match(rf"\W*@?{re.escape(name)}\b", factor.text, re.IGNORECASE):
        return f"the person '{name}'"
    return None


def non_systemic(answer: str, pm: Postmortem, config: LintConfig) -> str | None:
    """Say why a five-whys answer stops at a person rather than the system, or None."""
    m = human_error(answer) or compile_phrases(pack_phrases("depth", "DEP104")).search(answer)
    if m:
        return f"'{m.group(0)}'"
    name = named_person(answer, pm, config)
    if name:
        return f"the person '{name}'"
    return None


def chain_problem(chain: WhyChain, config: LintConfig) -> bool:
    """Tell whether a chain is too short to get past the first answer."""
    return len(chain.answers) < config.min_why_steps


_WORD = re.compile(r"[a-z][a-z-]*")


@cache
def _category_words() -> tuple[tuple[str, tuple[str, ...]], ...]:
    words = pack_entry("depth", "DEP106").get("category_words", {})
    return tuple((name, tuple(prefixes)) for name, prefixes in words.items())


def read_category(factor: ContributingFactor) -> str:
    """Return the category a factor carries, else the one its words name (else technical)."""
    if factor.category is not None:
        return factor.category.value
    tokens = _WORD.findall(factor.text.lower())
    for name, prefixes in _category_words():
        if any(t.startswith(prefixes) for t in tokens):
            return name
    return "technical"


def counted_factors(pm: Postmortem, config: LintConfig) -> list[ContributingFactor]:
    """Return the factors that describe conditions (person and human-error factors left out)."""
    return [f for f in pm.contributing_factors if person_as_factor(f, pm, config) is None]


# --- review level ---------------------------------------------------------------------------


def applies(rule: Rule, pm: Postmortem, config: LintConfig) -> bool:
    """Tell whether a rule holds this review to account (light reviews skip some)."""
    if pm.review_level is not ReviewLevel.LIGHT:
        return True
    return not any(rule_key_specificity(k, rule) is not None for k in config.light_review_skip)


def missing_learning_sections(pm: Postmortem, config: LintConfig) -> list[SectionKind]:
    """Return the learning sections this review level asks for that are absent or empty."""
    wanted = config.learning_sections.get(pm.review_level.value, [])
    missing = []
    for name in wanted:
        try:
            kind = SectionKind(name)
        except ValueError:
            continue
        if not has_content(section_text(pm, kind)):
            missing.append(kind)
    return missing


# --- impact ---------------------------------------------------------------------------------

_MEASURE = re.compile(
    r"\d[\d,.]*\s*(?:%|percent|k\b|m\b|million|thousand)?\s*(?:of\s+)?(?:the\s+)?"
    r"(?:\w+\s+){0,2}?"
    r"(?:users?|customers?|requests?|calls?|orders?|transactions?|payments?|sessions?|accounts?|"
    r"tenants?|merchants?|sites?|devices?|errors?|queries|jobs?|messages?|events?|builds?|"
    r"deploys?|regions?|hosts?|pods?|minutes?|mins?|hours?|hrs?|h\b|seconds?|days?|"
    r"[€$£]|usd|eur|gbp|error budget)"
    r"|\d[\d,.]*\s*%|[€$£]\s?\d",
    re.IGNORECASE,
)

_MEASURE_FOLDED = folded(_MEASURE)


def impact_quantified(pm: Postmortem) -> bool:
    """Tell whether the impact is measured: front-matter figures or numbers in the Impact text.

    A review with no Impact section may state its figures in the summary, as cloud providers'
    incident reviews do ("about 4.1% of write requests failed for 85 minutes"), or, with no
    summary either, in the opening paragraph before the first heading, as blog write-ups do.
    """
    if pm.impact.is_quantified():
        return True
    impact = section_text(pm, SectionKind.IMPACT)
    if not has_content(impact):
        impact = section_text(pm, SectionKind.SUMMARY)
    if not has_content(impact):
        impact = pm.preamble
    return measured(impact)


@lru_cache(maxsize=8)
def measured(text: str) -> bool:
    """Tell whether a text states a figure (a rule and the depth score both ask, per file)."""
    text = without_comments(text)
    if _MEASURE_FOLDED is not None and text.isascii():
        return bool(_MEASURE_FOLDED.search(text.lower()))  # the same answer, several times faster
    return bool(_MEASURE.search(text))


# --- timeline -------------------------------------------------------------------------------

_ZONE_WORD = re.compile(
    r"\b(?:all\s+)?times?\b[^.\n]*?\b(?P<zone>UTC|GMT|[A-Z]{2,4}T|[+-]\d{2}:?\d{2})\b"
    r"|\((?P<paren>UTC|GMT|[A-Z]{2,4}T)\)"
)


def timeline_zone(pm: Postmortem, extra: str = "") -> str | None:
    """Return the zone the timeline declares for all its times ("All times UTC"), if any."""
    section = pm.section(SectionKind.TIMELINE)
    texts = [extra]
    if section is not None:
        texts += [section.heading, section.body, getattr(section, "after", "")]
    for text in texts:
        m = _ZONE_WORD.search(text or "")
        if m:
            zone = m["zone"] or m["paren"]
            if has_timezone(f"00:00 {zone}"):
                return zone
    return None


@dataclass(frozen=True, slots=True)
class TimedEvent:
    """A timeline event with its time read as UTC (None when it cannot be read)."""

    index: int
    at: datetime | None
    zoned: bool
    dated: bool


_DATE_PREFIX = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})")


def _reference(pm: Postmortem) -> date:
    for event in pm.timeline:
        m = _DATE_PREFIX.match(event.time)
        if m:
            try:
                return date.fromisoformat(m.group(1))
            except ValueError:
                continue
    for value in (pm.started_at, pm.detected_at, pm.mitigated_at, pm.resolved_at):
        if value is not None:
            return value.date()
    return pm.created or date(2000, 1, 1)


def timed_events(pm: Postmortem, zone: str | None = None) -> list[TimedEvent]:
    """Read every timeline time, carrying the date forward and across midnight.

    Bare times take `zone`, else the zone the timeline declares ("All times UTC").
    """
    zone = zone or timeline_zone(pm)
    out: list[TimedEvent] = []
    day = _reference(pm)
    previous: datetime | None = None
    for index, event in enumerate(pm.timeline):
        zoned = event.has_timezone()
        text = event.time if zoned or not zone else f"{event.time} {zone}"
        m = _DATE_PREFIX.match(event.time)
        dated = bool(m)
        at = parse_event_time(text, day)
        # A time-only event well before the previous one is on the next day.
        if (
            at is not None
            and not dated
            and previous is not None
            and previous - at > timedelta(hours=12)
        ):
            day += timedelta(days=1)
            at += timedelta(days=1)
        if at is not None and dated and m:
            day = date.fromisoformat(m.group(1))
        if at is not None:
            previous = at
        out.append(TimedEvent(index, at, zoned or (zone is not None and at is not None), dated))
    return out


def out_of_order(events: list[TimedEvent]) -> list[tuple[int, int]]:
    """Return (event, the earlier-listed event it precedes) for each time that goes backwards."""
    problems = []
    latest: TimedEvent | None = None
    for event in events:
        if event.at is None:
            continue
        if latest is not None and latest.at is not None and event.at < latest.at:
            problems.append((event.index, latest.index))
        else:
            latest = event
    return problems


def response_times(pm: Postmortem, zone: str | None = None) -> ResponseTimes:
    """Compute start, detection, mitigation and resolution from the front matter and timeline.

    Front-matter times win; otherwise the first timeline event of the matching kind is used,
    and the start is the first `start` event, else the first `trigger`, else the first event.
    """
    timed = timed_events(pm, zone)
    events = pm.timeline

    def first(*kinds: EventKind) -> datetime | None:
        for kind in kinds:
            for t in timed:
                if t.at is not None and events[t.index].kind == kind:
                    return t.at
        return None

    first_any = next((t.at for t in timed if t.at is not None), None)
    started = pm.started_at or first(EventKind.START, EventKind.TRIGGER) or first_any

    def utc(value: datetime | None) -> datetime | None:
        return value.astimezone(UTC) if value is not None else None

    detected = pm.detected_at or first(EventKind.DETECTION)
    if detected is None:
        index = detection_event(pm)
        detected = next((t.at for t in timed if t.index == index), None)
    return ResponseTimes(
        started=utc(started),
        detected=utc(detected),
        mitigated=utc(pm.mitigated_at or first(EventKind.MITIGATION)),
        resolved=utc(pm.resolved_at or first(EventKind.RESOLUTION)),
    )


def detection_event(pm: Postmortem) -> int | None:
    """Return the index of the timeline event that marks detection, if one does.

    An event of kind `detection`; or, in a timeline whose events carry no kind at all (as
    other templates write them), the first event whose text says the problem was noticed.
    """
    events = pm.timeline
    for index, event in enumerate(events):
        if event.kind == EventKind.DETECTION:
            return index
    if any(e.kind is not None for e in events):
        return None
    noticed = compile_phrases(pack_phrases("depth", "DEP107"))
    return next((i for i, e in enumerate(events) if noticed.search(e.text)), None)


def detection_time_known(pm: Postmortem) -> bool:
    """Tell whether the document says when the problem was detected."""
    return pm.detected_at is not None or detection_event(pm) is not None


def detection_described(pm: Postmortem) -> bool:
    """Tell whether the document says how the problem was noticed."""
    if has_content(section_text(pm, SectionKind.DETECTION)):
        return True
    index = detection_event(pm)
    if index is None:
        return False
    event = pm.timeline[index]
    # A kindless event read as detection says how in its own words; a tagged one by its source.
    return event.kind is None or bool(event.source)


def min_timeline_events(pm: Postmortem, config: LintConfig) -> int:
    """Return how many timeline events this severity asks for (0 when it sets no bar)."""
    return config.min_timeline_events.get(pm.severity or "", 0)


def timeline_section(pm: Postmortem) -> TimelineSection | None:
    """Return the first timeline section, if any."""
    section = pm.section(SectionKind.TIMELINE)
    return section if isinstance(section, TimelineSection) else None
