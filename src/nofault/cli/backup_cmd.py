"""`nofault backup`, `nofault restore` and `nofault export`: keep everything, and take it away."""

from __future__ import annotations

from pathlib import Path

import typer

from nofault.cli.console import fail, stdout
from nofault.cli.main import ExitCode, app
from nofault.cli.web_cmd import _migrate, _setup_django


@app.command()
def backup(
    output: Path = typer.Option(
        ..., "--output", "-o", dir_okay=False, help="The archive to write (a .tar.gz file)."
    ),
) -> None:
    """Take an online backup: the database, the secret key and the data folder's files."""
    _setup_django("backup")
    from nofault.web.backups import BackupError, backup_write

    try:
        summary = backup_write(output)
    except BackupError as error:
        fail(str(error))
        raise typer.Exit(ExitCode.FINDINGS) from None
    stdout.print(
        f"Backed up the {summary.vendor} database and {len(summary.files)} file(s) "
        f"to {output} ({summary.size:,} bytes)."
    )


@app.command()
def restore(
    archive: Path = typer.Argument(
        ..., exists=True, dir_okay=False, help="An archive written by `nofault backup`."
    ),
) -> None:
    """Restore a backup into an empty database and data folder, then apply new migrations."""
    _setup_django("restore")
    from nofault.web.backups import BackupError, backup_restore

    try:
        summary = backup_restore(archive)
    except BackupError as error:
        fail(str(error))
        raise typer.Exit(ExitCode.FINDINGS) from None
    _migrate()  # a backup from an older release gets this release's tables
    stdout.print(
        f"Restored the {summary.vendor} database and {len(summary.files)} file(s) from {archive}."
    )


@app.command("export")
def export(
    everything: bool = typer.Option(
        False, "--all", help="Export everything (the only choice for now; required)."
    ),
    output: Path = typer.Option(..., "--output", "-o", help="A folder, or a file ending in .zip."),
) -> None:
    """Write every postmortem as Markdown and the incidents, action items and guide as JSON."""
    if not everything:
        fail("say --all: the export writes every postmortem, incident and action item")
        raise typer.Exit(ExitCode.USAGE)
    _setup_django("export")
    from nofault.web.audit.services import archive_export_record
    from nofault.web.export import export_all

    summary = export_all(output)
    archive_export_record(output=str(summary.output))
    stdout.print(
        f"Exported {summary.postmortems} postmortem(s), {summary.incidents} incident(s) and "
        f"{summary.action_items} action item(s) to {summary.output}."
    )
