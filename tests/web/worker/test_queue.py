"""The database task queue: idempotency keys, exclusive claims, retries with backoff, leases,
the schedule of periodic tasks and the heartbeat, run in-process on the test database."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from nofault.web.worker.models import Task, TaskStatus, WorkerHeartbeat
from nofault.web.worker.runner import backoff, claim, run_task, schedule_due, work
from nofault.web.worker.tasks import REGISTRY, enqueue, task

# Real transactions: the worker closes a connection left inside one (as a test's wrapping
# transaction would leave it), which on PostgreSQL would end the test's own connection.
pytestmark = pytest.mark.django_db(transaction=True)

CALLS: list[dict[str, Any]] = []
FAILURES_LEFT = {"count": 0}


@task("test.record")
def record(**kwargs: Any) -> None:
    """Remember the call."""
    CALLS.append(kwargs)


@task("test.flaky", max_attempts=3)
def flaky() -> None:
    """Fail while failures are left, then succeed."""
    if FAILURES_LEFT["count"] > 0:
        FAILURES_LEFT["count"] -= 1
        raise ConnectionError("tracker unreachable")
    CALLS.append({"flaky": True})


@task("test.hourly", every=timedelta(hours=1))
def hourly() -> None:
    """A periodic task."""
    CALLS.append({"hourly": True})


@pytest.fixture(autouse=True)
def _clean() -> None:
    CALLS.clear()
    FAILURES_LEFT["count"] = 0


def _make_due(task_row: Task) -> None:
    Task.objects.filter(pk=task_row.pk).update(run_after=timezone.now() - timedelta(seconds=1))


def test_the_same_key_is_queued_once() -> None:
    first = enqueue("test.record", key="push:42", item=42)
    again = enqueue("test.record", key="push:42", item=42)
    assert first.pk == again.pk
    assert Task.objects.filter(key="push:42").count() == 1
    report = work(burst=True, schedule=False)
    assert report.succeeded == 1
    assert CALLS == [{"item": 42}]


def test_an_unknown_task_is_refused_when_queued() -> None:
    with pytest.raises(KeyError):
        enqueue("test.nothing")


def test_a_task_is_claimed_by_one_worker_only() -> None:
    enqueue("test.record", item=1)
    assert claim("worker-a") is not None
    assert claim("worker-b") is None


def test_a_failing_task_is_retried_after_backoff_then_succeeds() -> None:
    FAILURES_LEFT["count"] = 1
    queued = enqueue("test.flaky")
    before = timezone.now()
    assert run_task(claim("w")) is False
    queued.refresh_from_db()
    assert queued.status == TaskStatus.QUEUED
    assert queued.attempts == 1
    assert "tracker unreachable" in queued.last_error
    assert queued.run_after >= before + backoff(1) - timedelta(seconds=1)
    assert claim("w") is None, "not due again before its backoff"
    _make_due(queued)
    assert run_task(claim("w")) is True
    queued.refresh_from_db()
    assert (queued.status, queued.attempts) == (TaskStatus.DONE, 2)
    assert CALLS == [{"flaky": True}]


def test_a_task_that_keeps_failing_is_kept_as_failed() -> None:
    FAILURES_LEFT["count"] = 99
    queued = enqueue("test.flaky")
    for _ in range(3):
        _make_due(queued)
        run_task(claim("w"))
    queued.refresh_from_db()
    assert queued.status == TaskStatus.FAILED
    assert queued.attempts == 3
    assert claim("w") is None


def test_backoff_doubles_and_is_capped() -> None:
    assert backoff(1) < backoff(2) < backoff(3)
    assert backoff(2) == 2 * backoff(1)
    assert backoff(40) == timedelta(hours=1)


def test_a_dead_workers_task_is_claimed_again_when_its_lease_expires() -> None:
    queued = enqueue("test.record", item=7)
    assert claim("dies") is not None
    assert claim("other") is None, "the lease still holds"
    Task.objects.filter(pk=queued.pk).update(locked_until=timezone.now() - timedelta(seconds=1))
    again = claim("other")
    assert again is not None and again.worker == "other"
    assert run_task(again)
    assert CALLS == [{"item": 7}]


def test_the_schedule_queues_a_periodic_task_once_per_period_however_often_asked() -> None:
    schedule_due()
    schedule_due()
    names = list(Task.objects.values_list("name", flat=True))
    for spec in REGISTRY.values():
        if spec.every is not None:
            assert names.count(spec.name) == 1, spec.name
    assert "reviews.remind" in names, "the reminder run is scheduled"


def test_a_burst_run_beats_and_runs_the_schedule() -> None:
    report = work(burst=True)
    assert WorkerHeartbeat.objects.filter(seen_at__gte=timezone.now() - timedelta(minutes=1))
    assert {"hourly": True} in CALLS
    assert report.succeeded >= 1


@task("test.slow")
def slow() -> None:
    """Outlast the lease, then see whether another worker could claim this task meanwhile."""
    time.sleep(1.6)
    CALLS.append({"claimed_by_other": claim("other") is not None})


@pytest.mark.django_db(transaction=True)
def test_a_live_worker_keeps_its_claim_past_the_lease(settings: Any) -> None:
    settings.NOFAULT_TASK_LEASE_SECONDS = 1
    queued = enqueue("test.slow")
    assert run_task(claim("alive"))
    assert CALLS == [{"claimed_by_other": False}], "the lease was renewed while it ran"
    queued.refresh_from_db()
    assert (queued.status, queued.attempts) == (TaskStatus.DONE, 1)
