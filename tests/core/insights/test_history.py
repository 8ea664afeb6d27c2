"""Real history: metadata a postmortem's text states is read and marked inferred, never invented."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from nofault.core.insights.corpus import infer_metadata, load_folder
from nofault.core.insights.report import build_report, to_markdown
from nofault.core.markdown import parse_text, render

# Own texts, in the shapes of published reports: a date in the title, a Jekyll front matter
# `date`, a Google SRE book "### Date" heading with "### Status", a "Date:" line with a
# severity named in the text, and one that states no date at all.
FILES = {
    "reports/cdn-outage.md": (
        "# Incident report July 11 2025 - CDN returned stale pages\n\n## Summary\n\n"
        "Pages were stale for an hour.\n\n## What went wrong\n\n- The purge API was rate limited.\n"
    ),
    "reports/2023-02-01-evictions.md": (
        "---\nlayout: post\ndate: 2023-02-03\nauthor: Dana\n---\n\n# Pods evicted on core nodes\n\n"
        "## Summary\n\nCritical pods were evicted when the node pool ran out of memory.\n"
    ),
    "reports/queue.md": (
        "# Queue backlog postmortem\n\n### Date\n\n2024-05-06\n\n### Status\n\n"
        "Complete, action items in progress\n\n### Summary\n\nThe queue backed up.\n"
    ),
    "reports/login.md": (
        "# Login failures\n\nDate: 14 March 2022\nServices: auth, web\n\n## Summary\n\n"
        "This was handled as a SEV2 incident. Logins failed for 20 minutes.\n"
    ),
    "reports/undated.md": (
        "# Search was slow\n\n## Summary\n\nSearch was slow for a while.\n\n## Timeline\n\n"
        "- 14:02 UTC — Latency rises\n- 14:30 UTC — Cache warmed\n"
    ),
}


def _folder(tmp_path: Path) -> Path:
    for name, text in FILES.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def test_stated_dates_severities_and_services_are_read_and_marked(tmp_path: Path) -> None:
    records = {r.key: r for r in load_folder(_folder(tmp_path))}
    cdn = records["reports/cdn-outage.md"]
    assert (cdn.occurred, cdn.inferred) == (date(2025, 7, 11), ("created",))
    # The file name's day and the blog's publication date: the name comes first only when
    # the title has none; here the front matter's `date` is what the page states.
    evictions = records["reports/2023-02-01-evictions.md"]
    assert evictions.created == date(2023, 2, 3) and "created" in evictions.inferred
    assert evictions.label == "Pods evicted on core nodes"
    queue = records["reports/queue.md"]
    assert (queue.created, queue.status) == (date(2024, 5, 6), "published")
    assert {"created", "status"} <= set(queue.inferred)
    login = records["reports/login.md"]
    assert (login.created, login.severity, login.services) == (
        date(2022, 3, 14),
        "SEV2",
        ("auth", "web"),
    )
    assert {"created", "severity", "services"} <= set(login.inferred)


def test_nothing_is_invented(tmp_path: Path) -> None:
    undated = {r.key: r for r in load_folder(_folder(tmp_path))}["reports/undated.md"]
    # Times of day alone put the incident on no day: no month, no severity, nothing inferred.
    assert (undated.occurred, undated.severity, undated.inferred) == (None, None, ())
    # Their durations still hold.
    assert undated.started_at is not None and undated.response_times().started is not None


def test_stated_metadata_wins_and_inferred_survives_a_round_trip() -> None:
    text = "---\ncreated: 2026-01-02\nseverity: SEV3\n---\n\n# 2025-12-30 Disk full\n\nSEV1 once.\n"
    pm = infer_metadata(parse_text(text), filename="2025-12-30-disk.md")
    assert (pm.created, pm.severity, pm.inferred) == (date(2026, 1, 2), "SEV3", [])
    guessed = infer_metadata(parse_text("# 2025-12-30 Disk full\n\n## Summary\n\nFull.\n"),
                             filename="disk.md")  # fmt: skip
    assert (guessed.created, guessed.inferred) == (date(2025, 12, 30), ["created"])
    assert parse_text(render(guessed)).postmortem == guessed


def test_the_report_dates_names_and_marks_what_it_read(tmp_path: Path) -> None:
    records = load_folder(_folder(tmp_path))
    report = build_report(records, today=date(2026, 6, 1))
    assert report.inferred["created"] == 4
    assert set(report.by_month) >= {"2022-03", "2023-02", "2024-05", "2025-07", "unknown"}
    text = to_markdown(report)
    assert "Read from the postmortems' text, not their metadata (marked *): the date of 4" in text
    assert "| Login failures | SEV2 * |" in text
