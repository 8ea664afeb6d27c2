"""A task queued in the database, and the heartbeat each running worker leaves."""

from __future__ import annotations

from django.db import models


class TaskStatus(models.TextChoices):
    """Where a queued task stands."""

    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class Task(models.Model):
    """One run of a registered task function with its keyword arguments.

    `key` is the idempotency key: enqueuing the same key again while the first is stored adds
    nothing. A running task holds a lease (`locked_until`); a worker killed mid-task leaves the
    lease to expire and another worker runs it again, so task functions are written to be safe
    to run twice.
    """

    name = models.CharField(max_length=100)
    kwargs = models.JSONField(default=dict)
    key = models.CharField(max_length=200, unique=True)
    status = models.CharField(max_length=10, choices=TaskStatus.choices, default=TaskStatus.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    max_attempts = models.PositiveIntegerField(default=5)
    run_after = models.DateTimeField()
    locked_until = models.DateTimeField(null=True, blank=True)
    worker = models.CharField(max_length=100, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "run_after"], name="worker_task_due")]

    def __str__(self) -> str:
        return f"{self.name} [{self.key}] {self.status}"


class WorkerHeartbeat(models.Model):
    """When a worker process was last seen alive (read by /readyz)."""

    worker = models.CharField(max_length=100, unique=True)
    seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.worker} at {self.seen_at:%Y-%m-%d %H:%M:%S}"
