"""`nofault worker` on Celery (NOFAULT_TASKS=celery) with either broker: beat queues the
periodic reminder run, a message runs it once, the heartbeat is recorded; a real worker
process, and the Redis at 127.0.0.1:6379 or the RabbitMQ at 127.0.0.1:5672."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

BROKERS = ["redis://127.0.0.1:6379/13", "amqp://guest:guest@127.0.0.1:5672//"]


def _broker_answers(url: str) -> bool:
    from kombu import Connection

    try:
        with Connection(url, connect_timeout=3) as connection:
            connection.ensure_connection(max_retries=1)
    except OSError:
        return False
    return True


@pytest.fixture(scope="module")
def workers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A `nofault worker` per answering broker, all started at once (each spends most of its
    ~30 s making its database and reaching its broker), each with a SQLite file of its own."""
    # The worker's database is a SQLite file the test reads, whatever the suite runs on.
    base = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    exe = str(Path(sys.executable).with_name("nofault"))
    started: dict[str, Any] = {}
    for broker in BROKERS:
        if not _broker_answers(broker):
            continue
        folder = tmp_path_factory.mktemp("worker")
        env = {**base, "NOFAULT_DATA_DIR": str(folder), "NOFAULT_TASKS": "celery",
               "NOFAULT_CELERY_BROKER_URL": broker}  # fmt: skip
        process = subprocess.Popen([exe, "worker"], env=env, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.PIPE, start_new_session=True)  # fmt: skip
        started[broker] = (process, folder)
    try:
        yield started
    finally:
        for process, _ in started.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                process.communicate(timeout=60)


@pytest.mark.parametrize("broker", BROKERS, ids=["redis", "rabbitmq"])
def test_a_celery_worker_runs_the_scheduled_reminder_run_once(
    workers: dict[str, Any], broker: str
) -> None:
    if broker not in workers:
        pytest.fail(f"the broker at {broker} is needed for this test")
    worker, folder = workers[broker]
    rows: list[tuple[str, str]] = []
    beats: list[tuple[str]] = []
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            time.sleep(1)
            try:
                db = sqlite3.connect(folder / "nofault.sqlite3")
                rows = db.execute("SELECT name, status FROM worker_task").fetchall()
                beats = db.execute("SELECT worker FROM worker_workerheartbeat").fetchall()
                db.close()
            except sqlite3.OperationalError:
                continue  # the tables are still being made
            if beats and ("reviews.remind", "done") in rows:
                break
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        _, err = worker.communicate(timeout=60)
    assert beats, err.decode()[-2000:]
    assert rows.count(("reviews.remind", "done")) == 1, (rows, err.decode()[-2000:])


@pytest.mark.django_db(transaction=True)
def test_a_broker_that_does_not_answer_fails_no_request(settings: Any) -> None:
    from nofault.web.worker.models import Task
    from nofault.web.worker.runner import due_ids
    from nofault.web.worker.tasks import enqueue

    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    settings.NOFAULT_TASKS = "celery"
    settings.NOFAULT_CELERY_BROKER_URL = f"redis://127.0.0.1:{port}/0"
    queued = enqueue("reviews.remind", key="remind:broker-down")
    # Stored, and due: a worker's beat sends it once the broker answers again.
    assert Task.objects.filter(pk=queued.pk, status="queued").exists()
    assert queued.pk in due_ids()
