"""Registering task functions and putting them on the queue.

A task is a plain function of JSON-ready keyword arguments, registered under a stable name with
`@task("name")`. `enqueue` stores one run of it; the worker (`nofault worker`) runs it with
retries and backoff. Every task must be safe to run twice: a worker killed after the work but
before marking it done leaves the task to be run again.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from nofault.web.worker.models import Task, TaskStatus


@dataclass(frozen=True)
class TaskSpec:
    """A registered task: its function, how often it may be tried, and its schedule if any."""

    name: str
    run: Callable[..., Any]
    max_attempts: int = 5
    every: timedelta | None = None


REGISTRY: dict[str, TaskSpec] = {}


def task(
    name: str, *, max_attempts: int = 5, every: timedelta | None = None
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a function as the task `name`; with `every`, the worker's scheduler runs it."""

    def register(function: Callable[..., Any]) -> Callable[..., Any]:
        REGISTRY[name] = TaskSpec(name, function, max_attempts, every)
        return function

    return register


def enqueue(
    name: str,
    *,
    key: str | None = None,
    run_after: datetime | None = None,
    **kwargs: Any,
) -> Task:
    """Queue one run of task `name`; a key already stored returns that task instead of a new one."""
    spec = REGISTRY.get(name)
    if spec is None:
        raise KeyError(f"no task named {name!r} is registered")
    key = key or f"{name}:{uuid.uuid4().hex}"
    try:
        with transaction.atomic():
            queued = Task.objects.create(
                name=name,
                kwargs=kwargs,
                key=key,
                max_attempts=spec.max_attempts,
                run_after=run_after or timezone.now(),
            )
    except IntegrityError:
        return Task.objects.get(key=key)
    if settings.NOFAULT_TASKS == "celery":
        from nofault.web.worker.celery import send

        # The row is the task; the message only says which row to run, once it is committed.
        # A broker that does not answer fails nothing: the row is stored, and a worker's beat
        # sends it once its message is overdue.
        transaction.on_commit(lambda: send(queued.pk, at=queued.run_after), robust=True)
    return queued


def enqueue_on_commit(name: str, *, key: str | None = None, **kwargs: Any) -> None:
    """Queue a task once the current transaction commits (nothing is queued if it rolls back)."""
    transaction.on_commit(lambda: enqueue(name, key=key, **kwargs))


def queue_depth() -> int:
    """How many tasks wait to run (queued, or running under an expired lease)."""
    return Task.objects.filter(status=TaskStatus.QUEUED).count()
