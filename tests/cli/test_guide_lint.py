"""`nofault lint` and `nofault new` read the organisation's checks from the same guide.toml as
the web app: its `[lint]` table, severities and renamed headings."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from nofault.cli.main import app

GUIDE = """\
[template.headings]
timeline = "Sequence of events"

[lint]
blame-words = ["slacker"]
"""
TEXT = "# Queue backlog\n\n## Summary\n\nThe slacker on call went to lunch while the queue grew.\n"


def _repository(tmp_path: Path, guide: str = GUIDE) -> Path:
    (tmp_path / "guide.toml").write_text(guide, encoding="utf-8")
    (tmp_path / ".nofault.toml").write_text('guide = "guide.toml"\n', encoding="utf-8")
    target = tmp_path / "review.md"
    target.write_text(TEXT, encoding="utf-8")
    return target


def test_lint_reads_the_guides_lint_table(tmp_path: Path) -> None:
    target = _repository(tmp_path)
    runner = CliRunner()
    found = runner.invoke(app, ["lint", "--no-cache", "--format", "json", str(target)])
    assert "BLM401" in found.output
    (tmp_path / "guide.toml").write_text(GUIDE.replace('"slacker"', '"laggard"'))
    again = runner.invoke(app, ["lint", "--no-cache", "--format", "json", str(target)])
    assert "BLM401" not in again.output


def test_a_bad_lint_table_is_an_error_naming_the_setting(tmp_path: Path) -> None:
    target = _repository(tmp_path, "[lint]\nblame-wrods = ['x']\n")
    result = CliRunner().invoke(app, ["lint", "--no-cache", str(target)])
    assert result.exit_code != 0
    assert "blame-wrods" in result.output


def test_new_follows_the_guides_headings(tmp_path: Path) -> None:
    _repository(tmp_path)
    result = CliRunner().invoke(
        app,
        [
            "new",
            "--title",
            "Queue backlog",
            "--severity",
            "SEV2",
            "--guide",
            str(tmp_path / "guide.toml"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "## Sequence of events" in result.output
