"""The worker loop: claim a due task, run it, record the outcome; beat; schedule periodic tasks.

Claiming is one conditional UPDATE (status and lease as read), so two workers on the same
SQLite or PostgreSQL database never both win a task. A task that raises is tried again after
an exponential backoff until its attempts run out, then marked failed with the error kept.
A worker killed mid-task leaves its lease to expire; the next worker to look claims it again.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import close_old_connections, connection
from django.db.models import Q
from django.utils import timezone

from nofault.web.worker.models import Task, TaskStatus, WorkerHeartbeat
from nofault.web.worker.tasks import REGISTRY, enqueue

logger = logging.getLogger(__name__)

BACKOFF_BASE = timedelta(seconds=10)
BACKOFF_CAP = timedelta(hours=1)
HEARTBEAT_EVERY = timedelta(seconds=15)


def backoff(attempts: int) -> timedelta:
    """The wait before the next try after `attempts` failed ones: 10 s, 20 s, 40 s … up to 1 h."""
    return min(BACKOFF_BASE * (2 ** max(attempts - 1, 0)), BACKOFF_CAP)


def worker_name() -> str:
    """This process's name in heartbeats and task rows: host and process id."""
    return f"{socket.gethostname()}:{os.getpid()}"


def heartbeat(worker: str) -> None:
    """Record that `worker` is alive now."""
    WorkerHeartbeat.objects.update_or_create(worker=worker, defaults={"seen_at": timezone.now()})


def schedule_due() -> int:
    """Queue each periodic task for the current period once, however many workers ask."""
    now = timezone.now()
    queued = 0
    for spec in REGISTRY.values():
        if spec.every is None:
            continue
        period = int(now.timestamp() // spec.every.total_seconds())
        # The period is in the key, so every worker enqueues the same key: one run a period.
        task = enqueue(spec.name, key=f"{spec.name}@{period}")
        queued += task.attempts == 0 and task.status == TaskStatus.QUEUED
    return queued


def _due(now: datetime) -> Q:
    return Q(status=TaskStatus.QUEUED, run_after__lte=now) | Q(
        status=TaskStatus.RUNNING, locked_until__lt=now
    )


def claim(worker: str, *, pk: int | None = None) -> Task | None:
    """Take the oldest due task (or task `pk` if due), or one whose runner's lease expired."""
    now = timezone.now()
    lease = timedelta(seconds=settings.NOFAULT_TASK_LEASE_SECONDS)
    due = Task.objects.filter(_due(now))
    if pk is not None:
        due = due.filter(pk=pk)
    for candidate in due.order_by("run_after", "id")[:10]:
        won = Task.objects.filter(
            pk=candidate.pk, status=candidate.status, locked_until=candidate.locked_until
        ).update(status=TaskStatus.RUNNING, locked_until=now + lease, worker=worker)
        if won:
            candidate.refresh_from_db()
            return candidate
    return None


class _LeaseKeeper:
    """Renew a running task's lease every third of it, so a long task is not run twice.

    A worker that is alive keeps its claim however long the task takes; only a dead worker's
    claim runs out. The renewal is conditional on the claim still being this worker's.
    """

    def __init__(self, task: Task) -> None:
        self.task = task
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._renew, name="nofault-lease", daemon=True)

    def _renew(self) -> None:
        lease = timedelta(seconds=settings.NOFAULT_TASK_LEASE_SECONDS)
        try:
            while not self.stop.wait(lease.total_seconds() / 3):
                Task.objects.filter(
                    pk=self.task.pk, status=TaskStatus.RUNNING, worker=self.task.worker
                ).update(locked_until=timezone.now() + lease)
        finally:
            connection.close()  # this thread's own connection

    def __enter__(self) -> None:
        self.thread.start()

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()


def due_ids(*, older_than: timedelta = timedelta(0)) -> list[int]:
    """The ids of tasks due for at least `older_than` (Celery's sweep sends them again)."""
    return list(
        Task.objects.filter(_due(timezone.now() - older_than)).values_list("id", flat=True)[:1000]
    )


def run_task(task: Task) -> bool:
    """Run a claimed task and record done, retry or failed; True when it succeeded."""
    spec = REGISTRY.get(task.name)
    attempts = task.attempts + 1
    try:
        if spec is None:
            raise LookupError(f"no task named {task.name!r} is registered in this worker")
        with _LeaseKeeper(task):
            spec.run(**task.kwargs)
    except Exception as error:  # the task's own failure: recorded, retried, never fatal
        logger.warning("task %s failed (attempt %d): %s", task.key, attempts, error)
        message = "".join(traceback.format_exception_only(error)).strip()
        if attempts >= task.max_attempts or spec is None:
            outcome = {"status": TaskStatus.FAILED, "finished_at": timezone.now()}
        else:
            outcome = {
                "status": TaskStatus.QUEUED,
                "run_after": timezone.now() + backoff(attempts),
            }
        Task.objects.filter(pk=task.pk).update(
            attempts=attempts, locked_until=None, last_error=message[:4000], **outcome
        )
        return False
    Task.objects.filter(pk=task.pk).update(
        status=TaskStatus.DONE, attempts=attempts, locked_until=None, finished_at=timezone.now()
    )
    return True


@dataclass
class WorkerReport:
    """What one worker run did."""

    succeeded: int = 0
    failed: int = 0
    keys: list[str] = field(default_factory=list)


def work(
    *,
    burst: bool = False,
    poll: float = 1.0,
    schedule: bool = True,
    should_stop: Callable[[], bool] = lambda: False,
) -> WorkerReport:
    """Run due tasks until stopped; with `burst`, stop once no task is due."""
    worker = worker_name()
    report = WorkerReport()
    last_beat = None
    while not should_stop():
        close_old_connections()
        now = timezone.now()
        if last_beat is None or now - last_beat >= HEARTBEAT_EVERY:
            heartbeat(worker)
            if schedule:
                schedule_due()
            last_beat = now
        task = claim(worker)
        if task is None:
            if burst:
                break
            time.sleep(poll)
            continue
        if run_task(task):
            report.succeeded += 1
        else:
            report.failed += 1
        report.keys.append(task.key)
    return report
