"""The response, recovery and customer-communication sections: read, templated, not misflagged."""

from __future__ import annotations

import pytest

from nofault.core.document import ReviewLevel, SectionKind
from nofault.core.guide.config import GuideConfig, TemplateSettings
from nofault.core.lint.engine import lint
from nofault.core.markdown import heading_kind, parse
from nofault.core.template import new_postmortem, new_postmortem_markdown


@pytest.mark.parametrize(
    ("heading", "kind"),
    [
        ("Response", SectionKind.RESOLUTION),
        ("Recovery", SectionKind.RESOLUTION),
        ("Response and recovery", SectionKind.RESOLUTION),
        ("Mitigation and recovery", SectionKind.RESOLUTION),
        ("3. Incident response", SectionKind.RESOLUTION),
        ("Customer communication", SectionKind.COMMUNICATION),
        ("Communications", SectionKind.COMMUNICATION),
        ("Status page updates", SectionKind.COMMUNICATION),
        ("External communication", SectionKind.COMMUNICATION),
        ("Internal communication", SectionKind.OTHER),
        ("Customer impact", SectionKind.IMPACT),
    ],
)
def test_common_headings_are_read_as_their_section(heading: str, kind: SectionKind) -> None:
    assert heading_kind(heading) is kind


def test_the_built_in_template_has_both_sections_and_a_light_review_keeps_impact() -> None:
    full = parse(new_postmortem_markdown(title="T", severity="SEV2"))
    kinds = [s.kind for s in full.sections]
    assert kinds.index(SectionKind.RESOLUTION) < kinds.index(SectionKind.COMMUNICATION)
    assert kinds.index(SectionKind.DETECTION) < kinds.index(SectionKind.RESOLUTION)
    headings = {s.kind: s.heading for s in full.sections}
    assert headings[SectionKind.RESOLUTION] == "Response and recovery"
    assert headings[SectionKind.COMMUNICATION] == "Customer communication"
    light = new_postmortem(title="T", review_level=ReviewLevel.LIGHT)
    light_kinds = {s.kind for s in light.sections}
    assert {SectionKind.IMPACT, SectionKind.TIMELINE} <= light_kinds
    assert SectionKind.ANALYSIS not in light_kinds


def test_an_organisations_template_keeps_both_sections_and_may_rename_them() -> None:
    config = GuideConfig(
        template=TemplateSettings(
            headings={SectionKind.COMMUNICATION: "Status page updates"},
            light_sections=[SectionKind.SUMMARY, SectionKind.ACTION_ITEMS],
        )
    )
    template = {s.kind: s for s in config.postmortem_template}
    assert template[SectionKind.RESOLUTION].title == "Response and recovery"
    assert template[SectionKind.COMMUNICATION].title == "Status page updates"
    # Impact and Timeline stay in the light review even when the organisation leaves them out.
    assert template[SectionKind.IMPACT].light and template[SectionKind.TIMELINE].light


FILLED = """\
---
severity: SEV2
---

# Checkout errors

## Summary

Checkout failed for 20% of attempts for 47 minutes after a pool-size change.

## Impact

About 3,100 of 15,400 checkout attempts failed over 47 minutes.

## Timeline

- 14:12 UTC — [detection] The error-rate alert fired.
- 14:52 UTC — [mitigation] The change was rolled back.
- 14:59 UTC — [resolution] Errors back under 0.1%.

## {response}

The on-call engineer paged the database team at 14:20; the rollback at 14:52 ended the errors.

## {recovery}

Queued orders were replayed by 15:30 UTC.

## {communication}

A status page update went out at 14:25 UTC and an all-clear at 15:05 UTC.

## Contributing factors

- **CF1** [process] Configuration changes skip the canary stage.
- **CF2** [tooling] Connection wait time had no alert.

## Action items

| ID | Action | Type | Owner | Person | Due | Status | Factors | Tracker |
| --- | --- | --- | --- | --- | --- | --- | --- | --- |
| A1 | Send configuration changes through the canary stage | prevent | platform | | 2026-07-15 | open | CF1 | |
| A2 | Alert when connection wait time exceeds 100 ms | detect | checkout | | 2026-06-30 | open | CF2 | |
"""


@pytest.mark.parametrize(
    ("response", "recovery", "communication"),
    [
        ("Response", "Recovery", "Customer communication"),
        ("Response and recovery", "Mitigation", "Status page updates"),
        ("Mitigation and recovery", "How we recovered", "Communications"),
    ],
)
def test_structure_checks_do_not_misfire_on_response_and_communication_sections(
    response: str, recovery: str, communication: str
) -> None:
    text = FILLED.format(response=response, recovery=recovery, communication=communication)
    pm = parse(text)
    kinds = [s.kind for s in pm.sections]
    assert SectionKind.RESOLUTION in kinds and SectionKind.COMMUNICATION in kinds
    structural = [f.code for f in lint(text).findings if f.category == "structure"]
    assert structural == []
