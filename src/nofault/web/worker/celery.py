"""Celery as the queue's transport (NOFAULT_TASKS=celery), for workers on several machines.

The task rows in the database stay the queue's truth: idempotency keys, attempts, errors and
the metrics read them as with the database queue. A Celery message carries only a row's id;
the Celery task claims that row with the same conditional update, so a message delivered
twice (a worker killed before acknowledging it: messages are acknowledged late) runs the
task once. A failed try is sent again with its backoff as the countdown. Celery beat, run
inside each `nofault worker`, beats, queues the periodic tasks and sends again any due row
whose message was lost (say, the broker restarted), every 15 seconds, and once as soon as
the worker is ready (a restarted worker catches up at once).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from celery import Celery
from celery.signals import worker_ready
from django.conf import settings
from django.db import close_old_connections
from django.utils import timezone

app = Celery("nofault")
SWEEP_SECONDS = 15.0


def configure() -> Celery:
    """Point the Celery app at the configured broker; return it."""
    app.conf.update(
        broker_url=settings.NOFAULT_CELERY_BROKER_URL,
        broker_connection_retry_on_startup=True,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_ignore_result=True,
        worker_hijack_root_logger=False,
        beat_schedule={
            "nofault-sweep": {"task": "nofault.sweep", "schedule": SWEEP_SECONDS},
        },
    )
    return app


def send(pk: int, *, at: datetime | None = None) -> None:
    """Send the message that runs task row `pk` (at its time, if later than now)."""
    configure()
    run.apply_async((pk,), eta=at if at and at > timezone.now() else None)


@app.task(name="nofault.run")
def run(pk: int) -> None:
    """Claim task row `pk` and run it; a row already done or running elsewhere is left alone."""
    from nofault.web.worker.models import Task, TaskStatus
    from nofault.web.worker.runner import backoff, claim, run_task, worker_name

    close_old_connections()
    task = claim(worker_name(), pk=pk)
    if task is None:
        return
    if not run_task(task):
        retry = Task.objects.filter(pk=pk, status=TaskStatus.QUEUED).first()
        if retry is not None:
            run.apply_async((pk,), countdown=backoff(retry.attempts).total_seconds())


@app.task(name="nofault.sweep")
def sweep() -> None:
    """Beat, queue the periodic tasks, and send again the due rows no message ran."""
    from nofault.web.worker.runner import due_ids, heartbeat, schedule_due, worker_name

    close_old_connections()
    heartbeat(worker_name())
    schedule_due()
    for pk in due_ids(older_than=timedelta(seconds=SWEEP_SECONDS * 2)):
        run.apply_async((pk,))


@worker_ready.connect
def sweep_at_start(**kwargs: object) -> None:
    """Sweep once as the worker starts, instead of a beat period later."""
    sweep()
