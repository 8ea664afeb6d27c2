"""The reviews app's background tasks: the reminder run, scheduled by the worker."""

from __future__ import annotations

from datetime import timedelta

from nofault.web.worker.tasks import task


@task("reviews.remind", every=timedelta(minutes=15), max_attempts=3)
def remind_due() -> None:
    """Process pending deliveries, retry tracker pushes, send due reminders and digests.

    Safe to run twice: every reminder and digest sent is recorded, and a second run sends
    nothing new (the same run as `nofault remind`).
    """
    from nofault.web.reviews.flows import remind

    report = remind(dry_run=False)
    if report.failed:
        # Raising puts the run back on the queue with backoff; what was sent stays recorded.
        raise RuntimeError(f"not delivered: {', '.join(report.failed)}")
