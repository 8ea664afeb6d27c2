"""Configuration: most specific key wins, the command line beats the file, bad keys are named."""

from __future__ import annotations

from pathlib import Path

import pytest

from nofault.core.lint.config import ConfigError, LintConfig, discover_config, load_config_file
from nofault.core.lint.engine import lint
from nofault.core.lint.registry import get_rule


def _rule(code: str):  # type: ignore[no-untyped-def]
    rule = get_rule(code)
    assert rule is not None
    return rule


def test_most_specific_key_wins() -> None:
    config = LintConfig(rules={"structure": False, "structure.unknown-severity": True})
    assert config.is_enabled(_rule("STR002"))
    assert not config.is_enabled(_rule("STR004"))
    assert (
        LintConfig(rules={"STR002": False, "structure": True}).is_enabled(_rule("STR002")) is False
    )


def test_select_and_ignore_with_code_prefixes() -> None:
    config = LintConfig(select=["STR"], ignore=["STR00"])
    assert config.is_enabled(_rule("STR010"))
    assert not config.is_enabled(_rule("STR002"))
    cli = config.with_cli(select=["STR002"], ignore=None)
    assert cli.is_enabled(_rule("STR002")) and not cli.is_enabled(_rule("STR010"))


def test_nested_tables_flatten_to_dotted_keys(tmp_path: Path) -> None:
    path = tmp_path / ".nofault.toml"
    path.write_text("[rules.structure]\nunknown-severity = false\n")
    config = load_config_file(path)
    assert config.rules == {"structure.unknown-severity": False}


def test_discovery_prefers_the_nearest_file(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.nofault]\nroster = ['ana']\n")
    inner = tmp_path / "a" / "b"
    inner.mkdir(parents=True)
    assert discover_config(inner / "pm.md").roster == ["ana"]
    (tmp_path / "a" / ".nofault.toml").write_text("roster = ['bo']\n")
    discover_config.__globals__["_find_config"].cache_clear()
    assert discover_config(inner / "pm.md").roster == ["bo"]


def test_pyproject_without_section_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.nofault]\nseverities = ['P1']\n")
    inner = tmp_path / "svc"
    inner.mkdir()
    (inner / "pyproject.toml").write_text("[project]\nname = 'svc'\n")
    assert discover_config(inner / "pm.md").severities == ["P1"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("fail-level = 'loud'\n", "setting 'fail-level'"),
        ("nope = 1\n", "unknown setting 'nope'"),
        ("severities = [\n", "not valid TOML"),
    ],
)
def test_bad_config_names_the_problem(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / ".nofault.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=message):
        load_config_file(path)


def test_inline_suppression_needs_a_reason() -> None:
    text = "---\nseverity: SEV9\n---\n\n<!-- nofault: disable=STR002 -->\n# T\n"
    # The suppression targets the next block only; the severity line is in the front matter.
    codes = [f.code for f in lint(text, path="x.md", config=LintConfig(select=["STR010"])).findings]
    assert codes == ["STR010"]
    mixed = (
        "<!-- nofault: disable=STR002 -- quoting an old file -->\nFirst.\n\n"
        "<!-- nofault: disable=STR002 -->\nSecond.\n"
    )
    found = lint(mixed, config=LintConfig(select=["STR010"])).findings
    assert [(f.code, f.line) for f in found] == [("STR010", 4)]
    # A suppression covers the block after it, so it can silence the finding on that block.
    chained = "<!-- nofault: disable=STR010 -- testing -->\n<!-- nofault: disable=STR002 -->\n"
    assert lint(chained, config=LintConfig(select=["STR010"])).findings == []


def test_severities_come_from_the_organisations_guide(tmp_path: Path) -> None:
    guide = Path(__file__).parents[3] / "examples" / "tidewater" / "guide.toml"
    (tmp_path / "guide.toml").write_text(guide.read_text())
    (tmp_path / ".nofault.toml").write_text('guide = "guide.toml"\n')
    config = discover_config(tmp_path / "pm.md")
    assert "Mayday" in config.severities and "SEV1" not in config.severities
    text = "---\nseverity: Mayday\n---\n# Ferry engine stall\n"
    assert [
        f.code for f in lint(text, config=config.with_cli(select=["STR002"], ignore=None)).findings
    ] == []
    (tmp_path / ".nofault.toml").write_text('guide = "missing.toml"\n')
    discover_config.__globals__["_find_config"].cache_clear()
    with pytest.raises(ConfigError, match=r"missing\.toml"):
        discover_config(tmp_path / "pm.md")


def test_renamed_headings_of_the_guide_are_read_as_their_sections(tmp_path: Path) -> None:
    guide = Path(__file__).parents[3] / "examples" / "tidewater" / "guide.toml"
    (tmp_path / "guide.toml").write_text(guide.read_text())
    (tmp_path / ".nofault.toml").write_text('guide = "guide.toml"\n')
    text = (
        "---\nseverity: Mayday\n---\n# Stall\n\n## Key takeaways\n\nEngines need a warm-up check.\n\n"
        "## Contributing conditions\n\n- **CF1** [technical] The governor stuck.\n"
    )
    result = lint(text, path=str(tmp_path / "pm.md"))
    assert result.parsed is not None
    kinds = [s.kind.value for s in result.parsed.postmortem.sections]
    assert kinds == ["lessons", "contributing_factors"]
    assert [f.id for f in result.parsed.postmortem.contributing_factors] == ["CF1"]
