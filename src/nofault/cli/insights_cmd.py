"""`nofault similar`, `themes` and `report`: learning across a folder of postmortems."""

from __future__ import annotations

import json
from datetime import date
from enum import StrEnum
from pathlib import Path

import typer
import yaml
from rich.markup import escape

from nofault.cli.console import fail, stderr, stdout
from nofault.cli.extras import require
from nofault.cli.main import ExitCode, app
from nofault.core.insights.corpus import load_folder, record_from_markdown
from nofault.core.insights.records import (
    IncidentRecord,
    PostmortemRecord,
    incident_record_from_mapping,
)
from nofault.core.pdf import PdfUnavailable


class SimilarFormat(StrEnum):
    """Output formats of `nofault similar` and `nofault themes`."""

    TEXT = "text"
    JSON = "json"


class ReportFormat(StrEnum):
    """Output formats of `nofault report`."""

    HTML = "html"
    MD = "md"
    PDF = "pdf"


_CORPUS_HELP = "Folder of Markdown postmortems to learn from (searched recursively)."


def _corpus(path: Path, *, lint: bool = False) -> list[PostmortemRecord]:
    if not path.exists():
        fail(f"{path} does not exist")
        raise typer.Exit(ExitCode.USAGE)
    unread: list[tuple[str, str]] = []
    with stderr.status(f"Reading postmortems under {path}…"):
        records = load_folder(path, lint=lint, unread=unread)
    for key, reason in unread:
        stderr.print(f"not read as a postmortem: {escape(key)}: {escape(reason)}")
    return records


@app.command()
def similar(
    file: Path = typer.Argument(..., help="The draft postmortem (Markdown)."),
    corpus: Path = typer.Option(Path("."), "--corpus", "-c", help=_CORPUS_HELP),
    top: int = typer.Option(5, "--top", "-n", min=1, max=50, help="How many to show."),
    output_format: SimilarFormat = typer.Option(
        SimilarFormat.TEXT, "--format", "-f", help="Output format.", case_sensitive=False
    ),
    include_later: bool = typer.Option(
        False, "--include-later", help="Also show postmortems of incidents after this one."
    ),
    no_cache: bool = typer.Option(
        False, "--no-cache", help="Build the corpus index afresh and do not keep it."
    ),
) -> None:
    """Show the earlier postmortems most like a draft, with their factors and open actions."""
    require("insights", "similar")
    from nofault.core.insights.index_cache import similarity_index_for_folder

    if not file.is_file():
        fail(f"{file} is not a file")
        raise typer.Exit(ExitCode.USAGE)
    if not corpus.exists():
        fail(f"{corpus} does not exist")
        raise typer.Exit(ExitCode.USAGE)
    # A draft inside the corpus is indexed under its path there; the index leaves that key out.
    root = corpus.resolve() if corpus.is_dir() else corpus.resolve().parent
    inside = file.resolve().is_relative_to(root)
    key = file.resolve().relative_to(root).as_posix() if inside else str(file)
    draft = record_from_markdown(file.read_bytes(), key=key)
    with stderr.status(f"Reading postmortems under {corpus}…"):
        index, _ = similarity_index_for_folder(corpus, use_cache=not no_cache)
    compared = len(index) - (1 if key in index else 0)
    matches = index.query(draft, top=top, earlier_only=not include_later)
    if output_format is SimilarFormat.JSON:
        typer.echo(json.dumps({"draft": str(file), "corpus": compared,
                               "similar": [m.as_dict() for m in matches]}, indent=2))  # fmt: skip
        return
    if not matches:
        stdout.print(f"No similar postmortem among {compared} in {corpus}.")
        return
    for rank, m in enumerate(matches, 1):
        r = m.record
        # A postmortem without an incident or id is labelled by its title: say it once.
        title = "" if r.title == r.label else f" {escape(r.title)}"
        stdout.print(
            f"[bold]{rank}. {escape(r.label)}[/]{title} "
            f"[dim]({escape(r.key)}, score {m.score:.2f})[/]",
            markup=True,
        )
        stdout.print(f"   {m.headline()}")
        if m.shared_terms:
            stdout.print(f"   [dim]shared terms:[/] {', '.join(m.shared_terms)}", markup=True)
        for f in r.factors:
            category = f" [{f.category}]" if f.category else ""
            stdout.print(f"   - {f.id}{category} {f.text}", markup=False)
        for a in m.open_actions:
            due = f", due {a.due.isoformat()}" if a.due else ""
            stdout.print(f"   ☐ {a.id} {a.text} ({a.status}{due})", markup=False)


@app.command()
def themes(
    corpus: Path = typer.Option(Path("."), "--corpus", "-c", help=_CORPUS_HELP),
    minimum: int = typer.Option(
        2, "--min", min=1, help="Only themes found in at least this many postmortems."
    ),
    output_format: SimilarFormat = typer.Option(
        SimilarFormat.TEXT, "--format", "-f", help="Output format.", case_sensitive=False
    ),
) -> None:
    """Group contributing factors across postmortems into recurring themes."""
    require("insights", "themes")
    from nofault.core.insights.themes import find_themes

    records = _corpus(corpus)
    found = find_themes(records, min_postmortems=minimum)
    if output_format is SimilarFormat.JSON:
        typer.echo(json.dumps({"postmortems": len(records),
                               "themes": [t.as_dict() for t in found]}, indent=2))  # fmt: skip
        return
    if not found:
        stdout.print(f"No theme recurs across {len(records)} postmortems in {corpus}.")
        return
    for t in found:
        stdout.print(f"[bold]{t.label}[/] — {t.count} postmortems", markup=True)
        stdout.print(f"   e.g. {t.example}", markup=False)
        quarters = ", ".join(f"{q} {n}" for q, n in t.by_quarter.items())
        services = ", ".join(f"{s} {n}" for s, n in list(t.by_service.items())[:5])
        categories = ", ".join(f"{c} {n}" for c, n in t.by_category.items())
        stdout.print(f"   [dim]quarters:[/] {quarters}", markup=True)
        stdout.print(f"   [dim]services:[/] {services}", markup=True)
        stdout.print(f"   [dim]categories:[/] {categories}", markup=True)


def _incidents(path: Path | None) -> list[IncidentRecord] | None:
    if path is None:
        return None
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        items = data.get("incidents", data) if isinstance(data, dict) else data
        return [incident_record_from_mapping(item) for item in items or []]
    except (OSError, yaml.YAMLError, KeyError, TypeError, ValueError, AttributeError) as exc:
        fail(f"cannot read incidents from {path}: {exc}")
        raise typer.Exit(ExitCode.USAGE) from exc


@app.command()
def report(
    output_format: ReportFormat = typer.Option(
        ..., "--format", "-f", help="Report format.", case_sensitive=False
    ),
    corpus: Path = typer.Option(Path("."), "--corpus", "-c", help=_CORPUS_HELP),
    since: str = typer.Option(
        None, "--since", help="Only incidents from this date (YYYY-MM-DD) on."
    ),
    incidents: Path = typer.Option(
        None, "--incidents", help="YAML or JSON list of incidents, for coverage and recurrence."
    ),
    title: str = typer.Option(None, "--title", help="The report's title."),
    output: Path = typer.Option(
        None, "--output", "-o", help="File to write (PDF needs one). Without it, stdout."
    ),
    server: str = typer.Option(
        None, "--server", help="Fetch the report from a nofault web app (its URL) instead."
    ),
    token: str = typer.Option(
        None, "--token", envvar="NOFAULT_TOKEN", help="API token for --server (or NOFAULT_TOKEN)."
    ),
) -> None:
    """Write the learning report: themes, metrics with charts, slipped actions, missing reviews."""
    if server:
        require("web", "report --server")
    else:
        require("insights", "report")
        if output_format is ReportFormat.PDF:
            require("pdf", "report --format pdf")
    from nofault.core.insights.report import build_report, to_html, to_markdown, to_pdf

    start = None
    if since:
        try:
            start = date.fromisoformat(since)
        except ValueError as exc:
            fail(f"--since {since!r} is not a date (YYYY-MM-DD)")
            raise typer.Exit(ExitCode.USAGE) from exc
    if output_format is ReportFormat.PDF and output is None:
        fail("--format pdf needs --output FILE")
        raise typer.Exit(ExitCode.USAGE)
    if server:
        body = _report_from_server(server, token, output_format, start, title)
        if output is None:
            typer.echo(body.decode("utf-8"), nl=False)
        else:
            output.write_bytes(body)
            stderr.print(f"wrote {output}")
        return
    known = _incidents(incidents)
    records = _corpus(corpus, lint=True)
    with stderr.status("Computing themes and metrics…"):
        built = build_report(records, known, since=start, title=title)
    if output_format is ReportFormat.PDF:
        try:
            data: bytes = to_pdf(built)
        except PdfUnavailable as exc:
            fail(str(exc))
            raise typer.Exit(ExitCode.USAGE) from exc
        output.write_bytes(data)
        stderr.print(f"wrote {output}")
        return
    text = to_html(built) if output_format is ReportFormat.HTML else to_markdown(built)
    if output is None:
        typer.echo(text, nl=False)
        return
    output.write_text(text, encoding="utf-8")
    stderr.print(f"wrote {output}")


def _report_from_server(
    server: str,
    token: str | None,
    output_format: ReportFormat,
    since: date | None,
    title: str | None,
) -> bytes:
    """Fetch the report the web app computes over what the token's owner may see."""
    import httpx

    if not token:
        fail("--server needs --token (or NOFAULT_TOKEN): create one on your profile page")
        raise typer.Exit(ExitCode.USAGE)
    params = {"fmt": output_format.value}
    if since:
        params["since"] = since.isoformat()
    if title:
        params["title"] = title
    url = server.rstrip("/") + "/api/insights/report"
    try:
        with stderr.status(f"Fetching the report from {server}…"):
            response = httpx.get(url, params=params, timeout=300,
                                 headers={"Authorization": f"Token {token}"})  # fmt: skip
    except httpx.HTTPError as exc:
        fail(f"cannot reach {server}: {exc}")
        raise typer.Exit(ExitCode.USAGE) from exc
    if response.status_code != 200:
        fail(f"{server} answered {response.status_code}: {response.text[:300]}")
        raise typer.Exit(ExitCode.USAGE)
    return response.content
