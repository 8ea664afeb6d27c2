"""`nofault remind`: chase overdue reviews and action items; run it from cron.

Each run processes webhook deliveries a crash left pending, retries tracker issues a tracker
outage left unsent, links recurrences, then sends the reminders and the weekly digest that
are due. What was sent is logged in the database, so running it again sends nothing new.
"""

from __future__ import annotations

import typer
from rich.table import Table

from nofault.cli.console import stdout
from nofault.cli.main import ExitCode, app
from nofault.cli.web_cmd import _setup_django


@app.command()
def remind(
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Show what would be sent; send, process and record nothing."
    ),
) -> None:
    """Send due reminders (owner, then facilitator, then sponsor) and the weekly digest."""
    _setup_django("remind")
    from nofault.web.reviews.flows import remind as run

    report = run(dry_run=dry_run)
    if not dry_run:
        stdout.print(
            f"Processed {report.deliveries_processed} pending webhook deliveries; "
            f"retried {report.tracker_links_retried} tracker issues; "
            f"found {len(report.recurrences)} new recurrences."
        )
        for link in report.recurrences:
            stdout.print(f"  recurred: {link.action_item} (in {link.postmortem.incident.key})")
    if report.reminders:
        table = Table(title="Reminders" + (" (dry run)" if dry_run else ""), title_justify="left")
        for column in ("To", "As", "What", "Overdue by"):
            table.add_column(column)
        for r in report.reminders:
            table.add_row(r.recipient, r.level.value, r.title, f"{r.overdue_by.days} d")
        stdout.print(table)
    for digest in report.digests:
        stdout.print(
            f"Digest for {digest.recipient}: {len(digest.overdue)} overdue, "
            f"{len(digest.due_soon)} due soon" + (" (dry run)" if dry_run else "")
        )
    if dry_run:
        stdout.print(f"{len(report.reminders)} reminders and {len(report.digests)} digests due.")
        return
    via = ", ".join(report.channels) or "no channel (configure notifiers: docs/reminders.md)"
    stdout.print(f"Sent {report.sent} message(s) by {via}.")
    if report.failed:
        stdout.print(f"Not delivered (tried again next run): {', '.join(report.failed)}")
        raise typer.Exit(ExitCode.FINDINGS)
