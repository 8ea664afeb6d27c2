"""`nofault import`: bring in postmortems written in Google Docs, Confluence, Notion or HTML."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import typer

from nofault.cli.console import fail, stderr
from nofault.cli.main import ExitCode, app
from nofault.cli.new_cmd import slugify
from nofault.core.imports import ImportFailure, Limits, MissingExtra, Page, import_path
from nofault.core.markdown import parse_text

# A team's own export on its own disk: wider than the web page's limits, still bounded.
LOCAL_LIMITS = Limits(
    max_members=50_000, max_total_bytes=1024 * 1024 * 1024, max_member_bytes=200 * 1024 * 1024
)


@app.command("import")
def import_(
    paths: list[Path] = typer.Argument(
        ...,
        help="Exported files or folders: .docx, .html, a Confluence entities.xml, Notion "
        "Markdown, or a zip of any of them.",
    ),
    output: Path = typer.Option(
        Path("."), "--output", "-o", help="Folder to write the postmortems into."
    ),
    force: bool = typer.Option(False, "--force", help="Overwrite existing files."),
) -> None:
    """Convert exported postmortems into nofault Markdown drafts, naming what was not mapped."""
    failed = False
    written: set[Path] = set()
    for path in paths:
        if not path.exists():
            fail(f"{path}: no such file or folder")
            failed = True
            continue
        try:
            with stderr.status(f"converting {path}"):  # shown on a terminal only
                result = import_path(path, limits=LOCAL_LIMITS)
        except MissingExtra as exc:
            fail(exc.message)
            raise typer.Exit(ExitCode.USAGE) from None
        except ImportFailure as exc:
            fail(f"{exc.name}: {exc.message}")
            failed = True
            continue
        for page in result.pages:
            _write(page, output, force=force, written=written)
        for note in result.notes:
            stderr.print(f"  note: {note}", markup=False)
        for failure in result.failures:
            fail(f"{path if path.is_file() else path / failure.name}: {failure.message}")
            failed = True
    if failed:
        raise typer.Exit(ExitCode.USAGE)


def _write(page: Page, folder: Path, *, force: bool, written: set[Path]) -> None:
    """Write one page under a free name; print where it went and what was not mapped."""
    created = parse_text(page.markdown).postmortem.created
    title = unicodedata.normalize("NFKD", page.title or Path(page.source).stem)
    stem = slugify("".join(c for c in title if not unicodedata.combining(c)))
    if created is not None:
        stem = f"{created.isoformat()}-{stem}"
    target = folder / f"{stem}.md"
    number = 2
    # A page never overwrites another page of this run, nor an earlier file without --force.
    while target in written or (target.exists() and not force):
        target = folder / f"{stem}-{number}.md"
        number += 1
    folder.mkdir(parents=True, exist_ok=True)
    target.write_text(page.markdown, encoding="utf-8")
    written.add(target)
    stderr.print(f"wrote {target} ({page.kind}: {page.source})", markup=False)
    for note in page.unmapped:
        stderr.print(f"  not mapped: {note}", markup=False)
