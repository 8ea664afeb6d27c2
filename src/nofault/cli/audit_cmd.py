"""`nofault audit prune`: remove audit events older than the retention."""

from __future__ import annotations

import typer

from nofault.cli.console import stdout
from nofault.cli.main import app
from nofault.cli.web_cmd import _setup_django

audit_app = typer.Typer(
    help="The audit log: remove events older than the retention.", no_args_is_help=True
)
app.add_typer(audit_app, name="audit")


@audit_app.command("prune")
def prune(
    days: int | None = typer.Option(
        None,
        "--days",
        min=1,
        help="Keep this many days (default: NOFAULT_AUDIT_RETENTION_DAYS, 365).",
    ),
) -> None:
    """Delete audit events older than the retention; the worker does the same every 6 hours."""
    _setup_django("audit prune")
    from nofault.web.audit.services import audit_prune

    deleted = audit_prune(days=days)
    stdout.print(f"Deleted {deleted} audit event(s) older than the retention.")
