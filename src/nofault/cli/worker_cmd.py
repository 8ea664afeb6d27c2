"""`nofault worker`: run queued tasks and the schedule of periodic ones (reminders, digests)."""

from __future__ import annotations

import signal
from types import FrameType

import typer

from nofault.cli.console import stdout
from nofault.cli.extras import require
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

    With NOFAULT_TASKS=celery, runs a Celery worker (beat included) on the configured broker.

    Stops cleanly on SIGTERM or Ctrl-C after the task it is running. Exits 1 in --burst mode
    when a task failed.
    """
    _setup_django("worker")
    _migrate()
    from django.conf import settings

    if settings.NOFAULT_TASKS == "celery":
        _celery_worker()
        return
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


def _celery_worker() -> None:
    """Run a Celery worker with beat embedded, on the broker NOFAULT_CELERY_BROKER_URL names."""
    require("celery", "worker")
    import tempfile
    from pathlib import Path

    from nofault.web.worker.celery import configure
    from nofault.web.worker.runner import worker_name

    # One beat schedule file per process: two workers on one machine must not share it.
    schedule = Path(tempfile.gettempdir()) / f"nofault-beat-{worker_name().replace(':', '-')}"
    configure().worker_main(
        ["worker", "--beat", "--pool", "solo", "--loglevel", "INFO",
         "--hostname", f"nofault@{worker_name()}", "--schedule", str(schedule)]
    )  # fmt: skip
