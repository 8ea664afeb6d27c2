"""The score's reasoning part: explanations count wherever the layout puts them, bulk does not.

The narratives below are written for these tests, in the shape of public "learning from
incidents" write-ups (a story under the writer's own headings, no factor list).
"""

from __future__ import annotations

from datetime import date

from nofault.core.lint.packs.depth import prose
from nofault.core.lint.packs.depth.score import depth_score
from nofault.core.markdown import parse

TODAY = date(2026, 6, 1)

NARRATIVE = """# The night the search index went read-only

## What happened

On a Tuesday evening the search cluster stopped accepting writes for 95 minutes, and about
18,000 catalogue edits queued behind it.

## How we got there

The cluster had been running close to its disk watermark for weeks, because the nightly
snapshot job kept old snapshots on the data volume.
A schema change earlier that day doubled the size of one index, which meant the disk crossed
the flood-stage watermark within an hour of the reindex starting.
Elasticsearch then marked every index read-only, and that behaviour was not documented in our
own notes on the cluster.
The reindex job retried every failed batch at once, so the backlog grew faster than anyone
expected.
The combination of a full disk and an aggressive retry loop turned a slow night into an outage.
Nothing in the deploy checklist asked about disk headroom, since the checklist predates the
snapshot job.

## Why it took so long to notice

Our disk alert fired at 90% but went to an email list nobody reads after hours, so nobody was
paged.
The first report came from a librarian who could not save a record, which we did not expect
to be our monitoring.
Once on call, the engineer assumed the read-only flag was a permissions problem and spent
forty minutes on the wrong path.
The runbook for the cluster did not mention the watermark at all, which made it difficult to
connect the symptom to the disk.

## What we are changing

We moved snapshots off the data volume and added a paging alert at 80% disk.
"""

BULK = """# Search outage

## Timeline

""" + "\n".join(
    f"- 2026-03-0{1 + i // 24} {i % 24:02d}:00 UTC — checked the cluster status page again"
    for i in range(40)
)

THIN = """# Search outage

## Summary

Search was down.

## Contributing factors

- Disk full.

## Action items

- Fix disk.
"""


def _part(text: str, name: str) -> float:
    score = depth_score(parse(text), today=TODAY)
    return next(p.points / p.max for p in score.parts if p.name == name)


def test_a_narrative_with_real_analysis_earns_the_reasoning_part_without_our_headings() -> None:
    found = prose.reasoning(parse(NARRATIVE))
    assert found.causes >= 6 and found.response >= 4
    assert _part(NARRATIVE, "reasoning") >= 0.8
    # No factor list was read, yet the explained conditions earn most of the factors part.
    assert _part(NARRATIVE, "factors") >= 0.5
    # The figures are in the story, not in an Impact section.
    assert _part(NARRATIVE, "impact") > 0


def test_a_long_timeline_adds_no_reasoning() -> None:
    assert prose.reasoning(parse(BULK)).causes == 0
    assert _part(BULK, "reasoning") == 0


def test_a_thinly_filled_template_stays_low() -> None:
    assert _part(THIN, "reasoning") < 0.2
    assert depth_score(parse(THIN), today=TODAY).score < 30
    assert (
        depth_score(parse(NARRATIVE), today=TODAY).score
        > depth_score(parse(THIN), today=TODAY).score
    )


def test_short_fragments_and_table_cells_do_not_count_as_explanations() -> None:
    table = "# T\n\n## Notes\n\n| cause | due to |\n|---|---|\n| disk | caused |\n"
    assert prose.reasoning(parse(table)).causes == 0


def test_a_narratives_own_headings_place_its_sentences() -> None:
    plain = "The backup host ran out of space on the first night of the month."
    as_story = f"# Backups\n\n## Notes\n\n{plain}\n"
    as_cause = f"# Backups\n\n## How we got there\n\n{plain}\n"
    as_response = f"# Backups\n\n## Why it took so long to notice\n\n{plain}\n"
    assert prose.reasoning(parse(as_story)) == prose.Reasoning(causes=0, response=0)
    assert prose.reasoning(parse(as_cause)).causes == 1
    assert prose.reasoning(parse(as_response)).response == 1
