"""The actions pack: ownership, dates, wording, approvals, coverage and correctives."""

from __future__ import annotations

from datetime import date

from nofault.core.lint.config import config_from_mapping
from nofault.core.lint.engine import Finding, lint

HEADER = (
    "| ID | Action | Type | Owner | Person | Due | Status | Factors | Tracker |\n"
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n"
)
FACTORS = (
    "## Contributing factors\n\n"
    "- **CF1** [tooling] The deploy went to every host at once.\n"
    "- **CF2** [knowledge] The runbook did not mention the cache warm-up.\n\n"
)


def _doc(rows: list[str], *, severity: str = "SEV3", after: str = "", factors: str = "") -> str:
    return (
        f"---\nseverity: {severity}\n---\n\n# Outage\n\n{factors}## Action items\n\n"
        + HEADER
        + "\n".join(rows)
        + "\n"
        + (f"\n{after}\n" if after else "")
    )


def _findings(text: str, code: str, today: date = date(2026, 6, 1), **cfg: object) -> list[Finding]:
    config = config_from_mapping({"select": [code], **cfg})
    return [f for f in lint(text, config=config, today=today).findings if f.code == code]


def _row(text: str, *, kind: str = "prevent", owner: str = "web", person: str = "",
         due: str = "2026-07-01", status: str = "open", factors: str = "CF1", ident: str = "A1") -> str:  # fmt: skip
    return f"| {ident} | {text} | {kind} | {owner} | {person} | {due} | {status} | {factors} | |"


def test_overdue_uses_the_day_linting_runs() -> None:
    text = _doc([_row("Add a canary stage", due="2026-05-01")])
    (hit,) = _findings(text, "ACT103", today=date(2026, 5, 11))
    assert "10 days ago" in hit.message and hit.excerpt == "2026-05-01" and hit.line == 11
    assert _findings(text, "ACT103", today=date(2026, 5, 1)) == []
    done = _doc([_row("Add a canary stage", due="2026-05-01", status="done")])
    assert _findings(done, "ACT103", today=date(2026, 5, 11)) == []


def test_owner_and_due_date_are_required_of_open_items_only() -> None:
    rows = [
        _row("Add a canary stage", owner="", due=""),
        _row("Remove the flag", owner="", due="", status="done", ident="A2"),
        _row(
            "Retire the old path", owner="", due="", status="wont_do (replaced by A1)", ident="A3"
        ),
        _row("Add an alert", owner="", person="lee", ident="A4"),
    ]
    text = _doc(rows)
    assert [f.line for f in _findings(text, "ACT101")] == [11]
    assert [f.line for f in _findings(text, "ACT102")] == [11]


def test_vague_wording_and_team_phrases() -> None:
    text = _doc([_row("Double-check the deploy config"), _row("Tidy up dashboards", ident="A2")])
    (hit,) = _findings(text, "ACT104")
    assert hit.excerpt == "Double-check" and hit.line == 11
    found = _findings(text, "ACT104", **{"extra-vague-actions": [r"tidy\s+up"]})
    assert [f.excerpt for f in found] == ["Double-check", "Tidy up"]


def test_specific_items_are_not_vague() -> None:
    text = _doc([_row("Page when checkout 5xx exceeds 2% for 5 minutes", kind="detect")])
    assert _findings(text, "ACT104") == []


def test_approval_steps_can_be_accepted_with_a_reason() -> None:
    item = "Require a second reviewer for zone changes"
    assert _findings(_doc([_row(item, kind="process")]), "ACT105")
    inline = _row(item + " (accepted: the registrar requires it)", kind="process")
    assert _findings(_doc([inline]), "ACT105") == []
    status = _row(item, kind="process", status="open (accepted: audit requirement)")
    assert _findings(_doc([status]), "ACT105") == []
    line = "A1 accepted: the registrar contract requires a second approver."
    assert _findings(_doc([_row(item, kind="process")], after=line), "ACT105") == []
    # "accepted" with no reason is not an acceptance.
    empty = _row(item + " (accepted: )", kind="process")
    assert _findings(_doc([empty]), "ACT105")


def test_automated_checks_are_guardrails_not_approvals() -> None:
    text = _doc([_row("Add an automated check that validates zone files in CI")])
    assert _findings(text, "ACT105") == []


def test_factor_coverage_and_accepted_risk() -> None:
    rows = [_row("Add a canary stage"), _row("Add a load test", factors="", ident="A2")]
    text = _doc(rows, factors=FACTORS)
    assert [f.line for f in _findings(text, "ACT106")] == [17]
    (hit,) = _findings(text, "ACT107")
    assert "CF2" in hit.message and hit.line == 10
    accepted = FACTORS.replace("warm-up.", "warm-up. Accepted risk: the cache goes in May.")
    assert _findings(_doc(rows, factors=accepted), "ACT107") == []
    # A wont_do item does not address a factor.
    dropped = [_row("Add a canary stage"), _row("Fix the runbook", factors="CF2",
                                                 status="wont_do (no time)", ident="A2")]  # fmt: skip
    assert _findings(_doc(dropped, factors=FACTORS), "ACT107")


def test_system_change_by_severity() -> None:
    rows = [_row("Update the checklist", kind="process"), _row("Hold a session", kind="learn")]
    assert _findings(_doc(rows, severity="SEV1"), "ACT108")
    assert _findings(_doc(rows, severity="SEV3"), "ACT108") == []
    cfg = {"system-change-severities": ["SEV1", "SEV2", "SEV3"]}
    assert _findings(_doc(rows, severity="SEV3"), "ACT108", **cfg)
    # Untyped items might change the system; the rule does not guess.
    untyped = [_row("Update the checklist", kind="process"), _row("Add retries", kind="")]
    assert _findings(_doc(untyped, severity="SEV1"), "ACT108") == []


def test_corrective_for_a_person() -> None:
    text = _doc([_row("Sam to re-read the failover runbook", kind="learn")])
    (hit,) = _findings(text, "ACT109")
    assert hit.excerpt == "Sam" and "Sam" in hit.message
    team = _doc([_row("Run a failover drill for the whole team", kind="learn", person="Sam")])
    assert _findings(team, "ACT109") == []


def test_no_system_change_says_when_there_are_no_actions() -> None:
    text = (
        "---\nseverity: SEV2\n---\n# Outage\n\n## Action items\n\n"
        "| ID | Action | Status |\n| --- | --- | --- |\n| A1 | Old idea | wont_do (superseded) |\n"
    )
    result = lint(
        text,
        path="pm.md",
        config=config_from_mapping({"select": ["ACT108"]}),
        today=date(2026, 6, 1),
    )
    assert [f.message for f in result.findings] == [
        "no action on this SEV2 changes the system: it has no live action items"
    ]
