"""`nofault similar`, `themes` and `report` on a folder of Markdown postmortems."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from nofault.cli.main import app

runner = CliRunner()
PAIRS = Path(__file__).parents[1] / "data" / "similar_pairs" / "postmortems"


@pytest.fixture(autouse=True)
def _cache_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Keep `nofault similar`'s index cache inside the test's folder."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("NOFAULT_CACHE_DIR", str(cache))
    return cache


def _corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in (
        "001-cert-expiry-b.md",
        "001-cert-expiry-x.md",
        "002-dns-outage-a.md",
        "002-dns-outage-b.md",
        "003-db-pool-a.md",
        "005-config-push-no-validation-a.md",
        "005-config-push-no-validation-b.md",
    ):
        shutil.copy(PAIRS / name, corpus / name)
    return corpus


def test_similar_text_names_the_match_and_its_factors(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    result = runner.invoke(
        app, ["similar", str(PAIRS / "001-cert-expiry-a.md"), "--corpus", str(corpus)]
    )
    assert result.exit_code == 0, result.output
    first = result.stdout.split("\n2. ")[0]
    assert "INC-SP-001B" in first and "This looks like INC-SP-001B" in first
    assert "Nothing warned us that the expiry date was near." in first


def test_similar_json_ranks_and_excludes_the_draft_itself(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    draft = corpus / "002-dns-outage-a.md"
    result = runner.invoke(
        app, ["similar", str(draft), "--corpus", str(corpus), "--format", "json", "--top", "2"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    keys = [m["key"] for m in data["similar"]]
    assert keys[0] == "002-dns-outage-b.md" and "002-dns-outage-a.md" not in keys
    assert len(keys) <= 2 and data["similar"][0]["factors"][0]["id"] == "CF1"


def test_similar_keeps_the_index_until_the_corpus_changes(tmp_path: Path) -> None:
    corpus, cache = _corpus(tmp_path), tmp_path / "cache"
    args = ["similar", str(PAIRS / "001-cert-expiry-a.md"), "--corpus", str(corpus), "-f", "json"]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    (stored,) = cache.iterdir()
    built = stored.stat().st_mtime_ns
    again = runner.invoke(app, args)
    assert again.stdout == first.stdout and stored.stat().st_mtime_ns == built
    shutil.copy(PAIRS / "001-cert-expiry-b.md", corpus / "copy-of-b.md")
    changed = json.loads(runner.invoke(app, args).stdout)
    assert changed["corpus"] == 8 and "copy-of-b.md" in [m["key"] for m in changed["similar"]]
    assert stored.stat().st_mtime_ns != built


def test_similar_no_cache_leaves_no_index_behind(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    draft = PAIRS / "001-cert-expiry-a.md"
    result = runner.invoke(app, ["similar", str(draft), "--corpus", str(corpus), "--no-cache"])
    assert result.exit_code == 0, result.output
    assert "INC-SP-001B" in result.stdout and not (tmp_path / "cache").exists()


def test_similar_json_says_whether_each_match_is_likely(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    draft = corpus / "002-dns-outage-a.md"
    data = json.loads(
        runner.invoke(app, ["similar", str(draft), "-c", str(corpus), "-f", "json"]).stdout
    )
    likely = [m["likely"] for m in data["similar"]]
    assert likely[0] is True and False in likely
    assert data["similar"][0]["headline"].startswith("This looks like")
    assert all(
        m["headline"].startswith("This may be related") for m in data["similar"] if not m["likely"]
    )


def test_similar_on_a_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["similar", str(tmp_path / "nope.md")])
    assert result.exit_code == 2


def test_themes_json(tmp_path: Path) -> None:
    result = runner.invoke(app, ["themes", "--corpus", str(_corpus(tmp_path)), "-f", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["postmortems"] == 7
    assert all(t["postmortems"] >= 2 for t in data["themes"])


def test_report_markdown_to_stdout_and_pdf_to_file(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    md = runner.invoke(app, ["report", "--corpus", str(corpus), "--format", "md"])
    assert md.exit_code == 0, md.output
    assert "## Recurring themes" in md.stdout and "7 incidents" in md.stdout
    out = tmp_path / "report.pdf"
    pdf = runner.invoke(
        app,
        [
            "report",
            "--corpus",
            str(corpus),
            "--format",
            "pdf",
            "-o",
            str(out),
            "--title",
            "Quarterly learning",
        ],
    )
    assert pdf.exit_code == 0, pdf.output
    text = PdfReader(io.BytesIO(out.read_bytes())).pages[0].extract_text()
    assert "Quarterly learning" in text


def test_report_html_with_incidents_file(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    incidents = tmp_path / "incidents.yaml"
    incidents.write_text(
        "- {id: INC-SP-001B, severity: SEV2}\n- {id: INC-404, severity: SEV1, "
        "resolved_at: '2026-01-02T00:00:00Z'}\n",
        encoding="utf-8",
    )
    out = tmp_path / "r.html"
    result = runner.invoke(
        app,
        ["report", "-c", str(corpus), "-f", "html", "--incidents", str(incidents), "-o", str(out)],
    )
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "2 incidents" in page and "INC-404" in page


def test_report_usage_errors(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    assert runner.invoke(app, ["report", "-c", str(corpus), "-f", "pdf"]).exit_code == 2
    assert (
        runner.invoke(
            app, ["report", "-c", str(corpus), "-f", "md", "--since", "last week"]
        ).exit_code
        == 2
    )


def test_similar_prints_a_title_once_and_as_written(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    body = "\n## Summary\n\nThe TLS certificate on the gateway expired and handshakes failed.\n"
    (corpus / "old.md").write_text("# [SEV1] Gateway certificate expired\n" + body)
    draft = tmp_path / "draft.md"
    draft.write_text("# Certificate lapsed on the gateway\n" + body)
    result = runner.invoke(app, ["similar", str(draft), "--corpus", str(corpus)])
    assert result.exit_code == 0, result.output
    assert result.stdout.count("[SEV1] Gateway certificate expired") == 2  # the line, the headline


def test_report_names_each_file_it_does_not_read_as_a_postmortem_and_why(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    (corpus / "notes.md").write_text(
        "We restarted the queue twice.\n\nIt has been quiet since.\n", encoding="utf-8"
    )
    md = runner.invoke(app, ["report", "--corpus", str(corpus), "--format", "md"])
    assert md.exit_code == 0, md.output
    assert "7 incidents" in md.stdout
    assert (
        "not read as a postmortem: notes.md: no front matter and no section heading: "
        "2 paragraphs of prose" in " ".join(md.stderr.split())
    )
