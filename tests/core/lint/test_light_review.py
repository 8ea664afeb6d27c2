"""A light review is still asked for its impact and timeline, never for what its template drops."""

from __future__ import annotations

from pathlib import Path

from nofault.core.lint.config import LintConfig, load_config_file
from nofault.core.lint.engine import lint

BODIES = {
    "Summary": "Profile pages were slow for six minutes.",
    "Impact": "p99 latency doubled for 6 minutes; no errors.",
    "Timeline": "- 10:02 UTC Cache entries expired together.\n- 10:08 UTC Latency was normal again.",
    "Contributing factors": "- **CF1** [technical] Imported entries shared one expiry time.",
    "Action items": "| ID | Action | Factors |\n| --- | --- | --- |\n| A1 | Add expiry jitter | CF1 |",
}


def _postmortem(level: str, *without: str) -> str:
    sections = "".join(f"## {h}\n\n{b}\n\n" for h, b in BODIES.items() if h not in without)
    return f"---\nseverity: SEV4\nreview_level: {level}\n---\n\n# Latency spike\n\n{sections}"


def _missing(text: str, config: LintConfig) -> list[str]:
    config = config.model_copy(update={"select": ["STR004"]})
    return [f.message for f in lint(text, path="pm.md", config=config).findings]


def test_a_light_review_without_its_timeline_is_told_so() -> None:
    assert _missing(_postmortem("light", "Timeline"), LintConfig()) == [
        "missing section '## Timeline' (light review)"
    ]
    assert _missing(_postmortem("light", "Impact", "Timeline"), LintConfig()) == [
        "missing section '## Impact' (light review)",
        "missing section '## Timeline' (light review)",
    ]


def test_a_light_review_with_both_and_none_of_the_full_only_sections_passes() -> None:
    # No Response and recovery, Customer communication, Analysis or lessons: the light
    # template leaves them out, so nothing asks for them.
    assert _missing(_postmortem("light"), LintConfig()) == []


def test_the_guide_light_template_decides_the_rest(tmp_path: Path) -> None:
    (tmp_path / "guide.toml").write_text(
        '[organisation]\nname = "Acme"\n\n[template]\nlight_sections = ["summary", "action_items"]\n'
    )
    (tmp_path / ".nofault.toml").write_text('guide = "guide.toml"\n')
    config = load_config_file(tmp_path / ".nofault.toml")
    # The guide's light template drops the contributing factors but keeps Impact and Timeline.
    assert _missing(_postmortem("light", "Contributing factors"), config) == []
    assert _missing(_postmortem("light", "Contributing factors", "Impact"), config) == [
        "missing section '## Impact' (light review)"
    ]
    assert _missing(_postmortem("full", "Contributing factors"), config) == [
        "missing section '## Contributing factors' (full review)"
    ]
