"""`nofault import` as a user runs it on real exports: drafts written, what was not mapped named."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nofault.cli.main import app
from nofault.core.markdown import parse_text
from tests.shared_corpus import shared_folder

IMPORTS = shared_folder("corpus/imports")
DOCX = IMPORTS / "google-docs" / "Lebenslauf.google-docs-takeout.docx"
CONFLUENCE = IMPORTS / "confluence" / "html-export" / "JavaScript_9273401.html"
NOTION = IMPORTS / "notion" / "markdown-export.7acd77c1-0197-44e3-9793-ae81ab520ac9_Export.zip"

runner = CliRunner()


def test_import_writes_drafts_from_docx_confluence_and_notion(tmp_path: Path) -> None:
    out = tmp_path / "postmortems"
    exe = Path(sys.executable).with_name("nofault")
    args = [str(exe), "import", str(DOCX), str(CONFLUENCE), str(NOTION), "-o", str(out)]
    result = subprocess.run(args, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    written = sorted(p.name for p in out.glob("*.md"))
    assert "ihr-name.md" in written and "javascript.md" in written
    assert "wochentliche-to-do-liste.md" in written and len(written) == 14
    for path in out.glob("*.md"):
        parsed = parse_text(path.read_bytes())
        assert parsed.has_front_matter and parsed.postmortem.status.value == "draft"
    assert "wrote" in result.stderr and "not mapped: 1 layout table" in result.stderr
    assert "note: attachments not imported" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_existing_file_is_kept_unless_forced(tmp_path: Path) -> None:
    (tmp_path / "javascript.md").write_text("mine\n", encoding="utf-8")
    result = runner.invoke(app, ["import", str(CONFLUENCE), "-o", str(tmp_path)])
    assert result.exit_code == 0
    assert (tmp_path / "javascript.md").read_text(encoding="utf-8") == "mine\n"
    assert (tmp_path / "javascript-2.md").exists()
    result = runner.invoke(app, ["import", str(CONFLUENCE), "-o", str(tmp_path), "--force"])
    assert result.exit_code == 0
    assert "# JavaScript" in (tmp_path / "javascript.md").read_text(encoding="utf-8")


def test_unreadable_inputs_are_named_with_the_reason_and_exit_2(tmp_path: Path) -> None:
    broken = tmp_path / "report.docx"
    broken.write_bytes(b"this is not a Word file")
    good = tmp_path / "good.html"
    good.write_text("<h1>Queue stalled</h1><h2>Summary</h2><p>Jobs waited.</p>", encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["import", str(broken), str(good), str(tmp_path / "missing.zip"), "-o", str(out)]
    )
    assert result.exit_code == 2
    assert "report.docx: not a Word document" in result.output
    assert "missing.zip: no such file or folder" in result.output
    assert "Traceback" not in result.output
    assert [p.name for p in out.glob("*.md")] == ["queue-stalled.md"]  # the readable one


def test_without_the_import_extra_it_says_so_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from nofault.core.imports import html

    monkeypatch.setattr(html, "INSTALLED", False)  # as when markdownify is not installed
    result = runner.invoke(app, ["import", str(CONFLUENCE), "-o", str(tmp_path)])
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "pip install 'nofault[import]'" in lines[0]
    assert not list(tmp_path.glob("*.md"))
