"""`nofault deliveries`: replay webhook deliveries that were kept unapplied, and prune old ones."""

from __future__ import annotations

import typer
from rich.table import Table

from nofault.cli.console import stdout
from nofault.cli.main import ExitCode, app
from nofault.cli.web_cmd import _setup_django

deliveries_app = typer.Typer(
    help="Webhook deliveries: apply again those kept unapplied, and delete old ones.",
    no_args_is_help=True,
)
app.add_typer(deliveries_app, name="deliveries")


@deliveries_app.command("replay")
def replay(
    source: str | None = typer.Option(
        None, "--source", "-s", help="Only this source's deliveries (e.g. pagerduty)."
    ),
    delivery: int | None = typer.Option(
        None, "--id", min=1, help="Only the delivery with this id."
    ),
) -> None:
    """Apply again the deliveries kept unapplied or failed (after an upgrade that reads them).

    Exits 1 when some are still unreadable (they stay unapplied, with the reason of now).
    """
    _setup_django("deliveries replay")
    from nofault.web.audit.services import SHELL, replay_record
    from nofault.web.integrations.models import NOT_APPLIED
    from nofault.web.integrations.services import delivery_replay

    replayed = delivery_replay(source=source, pk=delivery)
    replay_record(actor=SHELL, replayed=replayed)
    if not replayed:
        stdout.print("No unapplied deliveries to replay.")
        return
    table = Table(title="Replayed deliveries", title_justify="left")
    for column in ("Id", "Source", "Received", "Now", "Incidents or reason"):
        table.add_column(column)
    still = 0
    for d in replayed:
        unapplied = d.status in NOT_APPLIED
        still += unapplied
        detail = d.reason if unapplied else ", ".join(d.incident_keys) or "-"
        table.add_row(str(d.pk), d.source, f"{d.received_at:%Y-%m-%d %H:%M}", d.status, detail)
    stdout.print(table)
    stdout.print(f"Applied {len(replayed) - still} of {len(replayed)}; {still} still unapplied.")
    if still:
        raise typer.Exit(ExitCode.FINDINGS)


@deliveries_app.command("prune")
def prune(
    days: int | None = typer.Option(
        None,
        "--days",
        min=1,
        help="Keep this many days (default: NOFAULT_INTEGRATIONS delivery_retention_days, 90).",
    ),
) -> None:
    """Delete applied deliveries and counts of refused ones older than the retention.

    Unapplied and failed deliveries are kept whatever their age.
    """
    _setup_django("deliveries prune")
    from nofault.web.integrations.services import deliveries_prune

    deliveries, counts = deliveries_prune(days=days)
    stdout.print(f"Deleted {deliveries} deliveries and {counts} counts of refused deliveries.")
