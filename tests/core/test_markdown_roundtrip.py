"""The Markdown format is lossless: parse(render(doc)) == doc, render(parse(text)) == text."""

from __future__ import annotations

import string
from datetime import UTC, date, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nofault.core.document import (
    ActionItem,
    ActionItemsSection,
    ActionStatus,
    ActionType,
    AnalysisSection,
    ContributingFactor,
    EventKind,
    FactorCategory,
    FactorsSection,
    Impact,
    IncidentRole,
    Link,
    LinksSection,
    Postmortem,
    PostmortemStatus,
    Responder,
    ReviewLevel,
    SectionKind,
    TextSection,
    TimelineEvent,
    TimelineSection,
    WhyChain,
)
from nofault.core.markdown import CANONICAL_HEADINGS, parse, parse_text, render

# Words, punctuation and the characters the format has to escape or survive (pipes, em dash,
# brackets, non-ASCII); no newlines inside a single-line field.
_WORD = st.text(alphabet=string.ascii_letters + string.digits + "éßø'&-./", min_size=1, max_size=10)
_TOKEN = st.one_of(_WORD, st.sampled_from(["|", "—", "(x)", "[y]", "a|b", "50%", "#3", "`cmd`"]))
line = st.lists(_TOKEN, min_size=1, max_size=8).map(" ".join)
ident = st.from_regex(r"[A-Z]{1,3}[0-9]{1,3}", fullmatch=True)
name = st.from_regex(r"[a-z][a-z0-9-]{0,12}", fullmatch=True)

# A paragraph: lines that start with a letter, so no line reads as a list, heading or rule.
_LETTERS = st.text(alphabet=string.ascii_letters, min_size=1, max_size=8)
paragraph_line = st.tuples(_LETTERS, st.lists(_WORD, max_size=7)).map(
    lambda t: " ".join([t[0], *t[1]])
)
paragraph = st.lists(paragraph_line, min_size=1, max_size=3).map("\n".join)
body = st.lists(paragraph, max_size=3).map("\n\n".join)

aware = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2099, 1, 1), timezones=st.just(UTC)
).map(lambda d: d.replace(microsecond=0))
day = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))
time_text = st.one_of(
    st.from_regex(
        r"(20[0-9]{2}-0[1-9]-1[0-9] )?[01][0-9]:[0-5][0-9] (UTC|CET|\+02:00)", fullmatch=True
    ),
    st.from_regex(r"[01][0-9]:[0-5][0-9]", fullmatch=True),
)


@st.composite
def events(draw: st.DrawFn, style: str) -> TimelineEvent:
    text = draw(line)
    source = draw(st.none() | name)
    if style == "list":
        # In a list the text must not itself end like the "(via source)" suffix.
        text = text.rstrip(")") or "x"
    return TimelineEvent(
        time=draw(time_text),
        text=text,
        kind=draw(st.none() | st.sampled_from(EventKind)),
        source=source,
    )


@st.composite
def timeline_sections(draw: st.DrawFn) -> TimelineSection:
    style = draw(st.sampled_from(["table", "list", "headings"]))
    if style == "headings":
        # One heading per time; an event's text is the paragraphs under it, with no kind.
        evs = [
            TimelineEvent(time=draw(time_text), text=draw(paragraph))
            for _ in range(draw(st.integers(1, 3)))
        ]
        return TimelineSection(heading="Timeline", style=style, events=evs, body=draw(body))
    evs = draw(st.lists(events(style), min_size=1, max_size=4))
    return TimelineSection(
        heading="Timeline", style=style, events=evs, body=draw(body), after=draw(body)
    )


factors_sections = st.builds(
    FactorsSection,
    heading=st.just("Contributing factors"),
    factors=st.lists(
        st.builds(
            ContributingFactor,
            id=ident,
            text=line,
            category=st.none() | st.sampled_from(FactorCategory),
        ),
        min_size=1,
        max_size=4,
    ),
    body=body,
    after=body,
)

action_items = st.builds(
    ActionItem,
    id=ident,
    text=line,
    type=st.none() | st.sampled_from(ActionType),
    owner=st.none() | name,
    person=st.none() | name,
    due=st.none() | day,
    status=st.sampled_from(ActionStatus),
    reason=st.none() | st.lists(_WORD, min_size=1, max_size=4).map(" ".join),
    tracker=st.none() | st.just("https://tracker.example/T-1"),
    factors=st.lists(ident, max_size=3),
)
actions_sections = st.builds(
    ActionItemsSection,
    heading=st.just("Action items"),
    # A task list writes each item's fields in brackets after its text.
    style=st.sampled_from(["table", "list"]),
    items=st.lists(action_items, min_size=1, max_size=4),
    body=body,
    after=body,
)
links_sections = st.builds(
    LinksSection,
    heading=st.just("Links"),
    links=st.lists(
        st.builds(
            Link,
            title=st.lists(_WORD, min_size=1, max_size=3).map(" ".join),
            url=st.just("https://example.com/x"),
        ),
        min_size=1,
        max_size=3,
    ),
    body=body,
    after=body,
)
analysis_sections = st.builds(
    AnalysisSection,
    heading=st.just("Analysis"),
    chains=st.lists(
        st.builds(
            WhyChain,
            title=st.lists(_WORD, min_size=1, max_size=4).map(" ".join),
            answers=st.lists(line, min_size=1, max_size=5),
        ),
        max_size=2,
    ),
    body=body,
    after=body,
)
text_kinds = [
    k
    for k in SectionKind
    if k
    not in (
        SectionKind.TIMELINE,
        SectionKind.CONTRIBUTING_FACTORS,
        SectionKind.ACTION_ITEMS,
        SectionKind.LINKS,
        SectionKind.ANALYSIS,
        SectionKind.OTHER,
    )
]
text_sections = st.sampled_from(text_kinds).flatmap(
    lambda kind: st.builds(
        TextSection, kind=st.just(kind), heading=st.just(CANONICAL_HEADINGS[kind]), body=body
    )
)
other_sections = st.builds(
    TextSection,
    kind=st.just(SectionKind.OTHER),
    heading=st.sampled_from(["Appendix", "Background", "Glossary", "Open questions"]),
    body=body,
)


@st.composite
def postmortems(draw: st.DrawFn) -> Postmortem:
    sections = draw(
        st.lists(
            st.one_of(
                text_sections,
                other_sections,
                timeline_sections(),
                factors_sections,
                actions_sections,
                links_sections,
                analysis_sections,
            ),
            max_size=6,
        )
    )
    # An analysis section whose narrative is empty and has no chains is just an empty section;
    # two sections of the same structured kind are allowed (lint flags them), as in real files.
    return Postmortem(
        id=draw(st.none() | st.just("PM-1")),
        title=draw(st.lists(_WORD, min_size=1, max_size=6).map(" ".join)),
        incidents=draw(st.lists(ident, max_size=2)),
        severity=draw(st.none() | st.sampled_from(["SEV1", "SEV2", "SEV3", "SEV4", "SEV5"])),
        services=draw(st.lists(name, max_size=2)),
        status=draw(st.sampled_from(PostmortemStatus)),
        review_level=draw(st.sampled_from(ReviewLevel)),
        authors=draw(st.lists(name, max_size=2)),
        facilitator=draw(st.none() | name),
        reviewers=draw(st.lists(name, max_size=2)),
        responders=draw(
            st.lists(
                st.builds(Responder, name=name, role=st.sampled_from(IncidentRole)), max_size=2
            )
        ),
        created=draw(st.none() | day),
        review_meeting=draw(st.none() | aware),
        published=draw(st.none() | day),
        detected_at=draw(st.none() | aware),
        resolved_at=draw(st.none() | aware),
        impact=draw(
            st.builds(
                Impact,
                duration_minutes=st.none() | st.integers(0, 10_000).map(float),
                users_affected=st.none() | st.integers(0, 10**9),
            )
        ),
        extra=draw(
            st.dictionaries(
                st.sampled_from(["team", "region", "tags"]),
                st.one_of(name, st.lists(name, max_size=2)),
                max_size=2,
            )
        ),
        preamble=draw(body),
        sections=sections,
    )


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(postmortems())
def test_parse_render_round_trip(pm: Postmortem) -> None:
    text = render(pm)
    parsed = parse_text(text)
    assert parsed.problems == []
    assert parsed.postmortem == pm
    # And the canonical text is a fixed point.
    assert render(parsed.postmortem) == text


CANONICAL = """\
---
id: PM-2026-014
incidents:
  - INC-2026-114
severity: SEV2
services:
  - checkout
status: in_review
review_level: full
authors:
  - amara
facilitator: jonas
reviewers:
  - li
created: 2026-03-05
detected_at: '2026-03-04T14:09:00Z'
impact:
  duration_minutes: 42.0
  requests_affected: 180000
team: payments
---

# Checkout returned errors for 42 minutes

## Summary

A configuration push removed the payment provider's endpoint. Checkout failed for 42 minutes.

## Timeline

| Time | Event | Kind | Source |
| --- | --- | --- | --- |
| 2026-03-04 14:02 UTC | Config push 4411 reaches all regions | trigger | deploy log |
| 2026-03-04 14:09 UTC | Error-rate alert pages the on-call engineer \\| checkout | detection | PagerDuty |

## Contributing factors

- **CF1** [tooling] The config service accepted a file with no endpoint.
- **CF2** [process] Config pushes go to every region at once.

## Analysis

The push looked routine.

### Five whys: why did checkout fail?

1. The endpoint was missing from the config.
2. The config service did not validate the schema.
3. Validation was never part of the config service's contract.

## Open questions

Whether the config service should own schema validation.

## Action items

| ID | Action | Type | Owner | Person | Due | Status | Factors | Tracker |
| --- | --- | --- | --- | --- | --- | --- | --- | --- |
| A1 | Validate config against its schema before push | prevent | platform |  | 2026-04-01 | open | CF1 | https://tracker.example/PLAT-12 |
| A2 | Roll config out region by region | mitigate | platform | jonas | 2026-04-15 | wont_do (superseded by A1) | CF2 |  |

## Links

- [Dashboard](https://grafana.example/d/checkout)
"""


def test_canonical_file_is_a_fixed_point() -> None:
    parsed = parse_text(CANONICAL)
    assert parsed.problems == []
    assert render(parsed.postmortem) == CANONICAL


def test_canonical_file_reads_into_the_model() -> None:
    pm = parse(CANONICAL)
    assert pm.severity == "SEV2"
    assert pm.detected_at == datetime(2026, 3, 4, 14, 9, tzinfo=UTC)
    assert [e.kind for e in pm.timeline] == [EventKind.TRIGGER, EventKind.DETECTION]
    assert pm.timeline[1].text.endswith("engineer | checkout")
    assert [(f.id, f.category) for f in pm.contributing_factors] == [
        ("CF1", FactorCategory.TOOLING),
        ("CF2", FactorCategory.PROCESS),
    ]
    a1, a2 = pm.action_items
    assert a1.due == date(2026, 4, 1) and a1.factors == ["CF1"] and a1.tracker
    assert a2.status is ActionStatus.WONT_DO and a2.reason == "superseded by A1"
    assert len(pm.why_chains[0].answers) == 3
    # The section nofault does not know keeps its place between analysis and action items.
    kinds = [s.kind for s in pm.sections]
    assert kinds.index(SectionKind.OTHER) == kinds.index(SectionKind.ANALYSIS) + 1
    assert pm.extra == {"team": "payments"}
    assert pm.timeline[0].at() == datetime(2026, 3, 4, 14, 2, tzinfo=UTC)


def test_list_timeline_reads_times_kinds_and_sources() -> None:
    text = "# T\n\n## Timeline\n\n- 14:02 UTC — [detection] Alert fired (via PagerDuty)\n- 14:10 CET - Rolled back\n"
    pm = parse(text)
    first, second = pm.timeline
    assert (first.time, first.kind, first.text, first.source) == (
        "14:02 UTC",
        EventKind.DETECTION,
        "Alert fired",
        "PagerDuty",
    )
    assert second.text == "Rolled back" and second.has_timezone()
    assert pm.timeline[0].at(date(2026, 1, 2)) == datetime(2026, 1, 2, 14, 2, tzinfo=UTC)
