"""`nofault guide init|build` and `nofault new --guide`, as a user runs them."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nofault.cli.main import app
from nofault.core.document import ReviewLevel, SectionKind
from nofault.core.guide import load_guide_config
from nofault.core.markdown import parse_text

runner = CliRunner()
EXAMPLES = Path(__file__).parents[2] / "examples"
ORGS = {"acme": "principles.md", "tidewater": "principles.yaml"}


def _build_args(org: str) -> list[str]:
    folder = EXAMPLES / org
    return [
        "guide",
        "build",
        "--values",
        str(folder / "values.yaml"),
        "--principles",
        str(folder / ORGS[org]),
        "--config",
        str(folder / "guide.toml"),
    ]


def test_init_writes_documented_files_that_build(tmp_path: Path) -> None:
    result = runner.invoke(app, ["guide", "init", str(tmp_path / "org")])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (tmp_path / "org").iterdir())
    assert names == ["guide.toml", "principles.yaml", "values.yaml"]
    toml = (tmp_path / "org" / "guide.toml").read_text()
    for table in (
        "[organisation]",
        "[[severities]]",
        "[waivers]",
        "[meeting]",
        "[roles]",
        "[template]",
    ):
        assert table in toml
    assert toml.count("#") > 30, "every field is documented in comments"
    again = runner.invoke(app, ["guide", "init", str(tmp_path / "org")])
    assert again.exit_code == 2 and "already exist" in again.output
    built = runner.invoke(
        app,
        [
            "guide",
            "build",
            "--values",
            str(tmp_path / "org" / "values.yaml"),
            "--principles",
            str(tmp_path / "org" / "principles.yaml"),
            "--config",
            str(tmp_path / "org" / "guide.toml"),
            "--strict",
        ],
    )
    assert built.exit_code == 0, built.output
    assert "# Example Co Blameless Postmortem Guide" in built.stdout


# PDF for both organisations is checked in tests/core/guide/test_render.py; once here is enough.
@pytest.mark.parametrize(
    ("org", "fmt"),
    [
        ("acme", "md"),
        ("acme", "html"),
        ("tidewater", "md"),
        ("tidewater", "html"),
        ("tidewater", "pdf"),
    ],
)
def test_examples_build_in_every_format(org: str, fmt: str, tmp_path: Path) -> None:
    out = tmp_path / f"guide.{fmt}"
    result = runner.invoke(app, [*_build_args(org), "-o", str(out), "--strict"])
    assert result.exit_code == 0, result.output
    config = load_guide_config(EXAMPLES / org / "guide.toml")
    if fmt == "pdf":
        from pypdf import PdfReader

        text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(out.read_bytes())).pages)
    else:
        text = out.read_text()
    assert config.organisation.name in text
    count = re.search(r"(\d+) of (\d+) values and principles map to practices", result.output)
    assert count and count.group(1) == count.group(2)


def test_format_from_option_and_stdout() -> None:
    result = runner.invoke(app, [*_build_args("acme"), "--format", "html"])
    assert result.exit_code == 0 and result.stdout.startswith("<!DOCTYPE html>")
    pdf = runner.invoke(app, [*_build_args("acme"), "--format", "pdf"])
    assert pdf.exit_code == 2 and "needs a file" in pdf.output


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ("values:\n  - name: Trust\n  - description: nameless\n", "values.yaml:3:"),
        ("values:\n  - name: Trust\n  - name: TRUST\n", "duplicate value name"),
        ("values: []\n", "values.yaml:1: no values found"),
    ],
)
def test_bad_input_exits_2_naming_file_and_line(tmp_path: Path, values: str, expected: str) -> None:
    (tmp_path / "values.yaml").write_text(values)
    result = runner.invoke(app, ["guide", "build", "--values", str(tmp_path / "values.yaml")])
    assert result.exit_code == 2
    assert expected in " ".join(result.output.split())


def test_undefined_severity_in_config_exits_2(tmp_path: Path) -> None:
    (tmp_path / "values.yaml").write_text("- Trust\n")
    (tmp_path / "guide.toml").write_text(
        '[[severities]]\nname = "P1"\n\n[waivers]\nallowed_for = ["P4"]\n'
    )
    result = runner.invoke(
        app,
        [
            "guide",
            "build",
            "--values",
            str(tmp_path / "values.yaml"),
            "-c",
            str(tmp_path / "guide.toml"),
        ],
    )
    assert result.exit_code == 2
    assert "guide.toml:5: waivers.allowed_for names severity 'P4'" in " ".join(
        result.output.split()
    )


def test_strict_fails_while_a_value_is_still_to_complete(tmp_path: Path) -> None:
    (tmp_path / "values.md").write_text("- **Keep the kettle warm**\n")
    args = ["guide", "build", "--values", str(tmp_path / "values.md"), "--organisation", "Kettle"]
    lenient = runner.invoke(app, args)
    assert lenient.exit_code == 0 and "To complete by Kettle" in lenient.stdout
    assert "your core values, item 1" in lenient.stdout
    assert str(tmp_path) not in lenient.stdout
    assert "values.md:1: value 'Keep the kettle warm' maps to no practice" in " ".join(
        lenient.output.split()
    )
    assert runner.invoke(app, [*args, "--strict"]).exit_code == 1


def test_the_organisation_name_is_asked_for_not_invented(tmp_path: Path) -> None:
    (tmp_path / "values.md").write_text("- **Ownership**: we own what we run\n")
    args = ["guide", "build", "--values", str(tmp_path / "values.md")]
    unnamed = runner.invoke(app, args)
    assert unnamed.exit_code == 2 and unnamed.stdout == ""
    assert "--organisation" in unnamed.output and "[organisation]" in unnamed.output
    named = runner.invoke(app, [*args, "--organisation", "Quay Ltd"])
    assert named.exit_code == 0 and "# Quay Ltd Blameless Postmortem Guide" in named.stdout
    assert "Your organisation" not in named.stdout


def _sections(text: str) -> list[tuple[SectionKind, str]]:
    parsed = parse_text(text)
    assert parsed.problems == []
    return [(s.kind, s.heading) for s in parsed.postmortem.sections]


@pytest.mark.parametrize("org", sorted(ORGS))
def test_nofault_new_follows_the_guides_template(org: str) -> None:
    config = load_guide_config(EXAMPLES / org / "guide.toml")
    result = runner.invoke(
        app, ["new", "--guide", str(EXAMPLES / org / "guide.toml"), "-t", "Ferry booking outage"]
    )
    assert result.exit_code == 0, result.output
    expected = [(s.kind, s.title) for s in config.postmortem_template]
    assert _sections(result.stdout) == expected
    # The guide's template part lists the same headings, in the same order.
    guide = runner.invoke(app, _build_args(org)).stdout
    template = re.split(r'<a id="part-\d+-template">', guide)[1].split("### A worked example")[0]
    rows = re.findall(r"^\| \*\*(.+?)\*\* \|", template, re.MULTILINE)
    assert rows == [title for _, title in expected]
    # The appendix shows the file itself.
    appendix = re.split(r'<a id="part-\d+-appendix">', guide)[1]
    assert result.stdout.split("\n# ")[1].split("\n", 1)[1] in appendix.replace(
        "Short title of the incident", "Ferry booking outage"
    )


def test_nofault_new_finds_the_guide_in_config_and_uses_its_severities(tmp_path: Path) -> None:
    folder = EXAMPLES / "tidewater"
    out = tmp_path / "pm.md"
    result = runner.invoke(
        app, ["new", "--guide", str(folder / "guide.toml"), "-s", "log", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    pm = parse_text(out.read_text()).postmortem
    assert pm.severity == "Log" and pm.review_level is ReviewLevel.LIGHT
    light = [
        s.title for s in load_guide_config(folder / "guide.toml").postmortem_template if s.light
    ]
    assert [s.heading for s in pm.sections] == light
    # Without --guide: `guide = "guide.toml"` in the folder's .nofault.toml is found upward.
    copy = tmp_path / "tidewater"
    shutil.copytree(folder, copy)
    found = runner.invoke(app, ["new", "-o", str(copy / "drafts" / "x.md")])
    assert found.exit_code == 0, found.output
    text = (copy / "drafts" / "x.md").read_text()
    assert "## Contributing conditions" in text and "## Key takeaways" in text
    # …and the same from pyproject.toml's [tool.nofault] (Acme keeps it there).
    shutil.copytree(EXAMPLES / "acme", tmp_path / "acme")
    acme = runner.invoke(app, ["new", "-o", str(tmp_path / "acme" / "pm.md")])
    assert acme.exit_code == 0, acme.output
    assert "## What could have gone better" in (tmp_path / "acme" / "pm.md").read_text()


def test_nofault_new_reports_a_bad_guide(tmp_path: Path) -> None:
    (tmp_path / "guide.toml").write_text("[meeting]\nlength = 5\n")
    result = runner.invoke(app, ["new", "--guide", str(tmp_path / "guide.toml")])
    assert result.exit_code == 2 and "guide.toml:2: unknown setting 'meeting.length'" in " ".join(
        result.output.split()
    )
