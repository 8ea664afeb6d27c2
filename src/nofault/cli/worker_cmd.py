"""`nofault worker`: run queued tasks and the schedule of periodic ones (reminders, digests)."""

from __future__ import annotations

import signal
from types import FrameType

import typer

from nofault.cli.console import stdout
from nofault.cli.main import ExitCode, app
from nofault.cli.web_cmd import _migrate, _setup_django


@app.command()
def worker(
    burst: bool = typer.Option(
        False, "--burst", help="Run the tasks due now, then exit (for cron or a one-off catch-up)."
    ),
    poll: float = typer.Option(
        1.0, "--poll", min=0.05, help="Seconds to wait between looks when no task is due."
    ),
    no_schedule: bool = typer.Option(
        False, "--no-schedule", help="Do not queue the periodic tasks (reminders, digests)."
    ),
) -> None:
    """Run background tasks from the database queue, with retries, backoff and a heartbeat.

    Stops cleanly on SIGTERM or Ctrl-C after the task it is running. Exits 1 in --burst mode
    when a task failed.
    """
    _setup_django("worker")
    _migrate()
    from nofault.web.worker.runner import work

    stopping = False

    def stop(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    report = work(burst=burst, poll=poll, schedule=not no_schedule, should_stop=lambda: stopping)
    stdout.print(f"Ran {report.succeeded + report.failed} task(s): {report.failed} failed.")
    if burst and report.failed:
        raise typer.Exit(ExitCode.FINDINGS)
