"""A burst against the running server: none lost, none doubled, even across a crash."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from nofault.web.incidents.models import Incident
from nofault.web.integrations.models import AlertGroup, DeliveryStatus, WebhookDelivery
from nofault.web.integrations.services import delivery_process_pending

from . import burst

BURST = int(os.environ.get("NOFAULT_BURST", "2000"))
# Concurrent writers need a real database server: the SQLite test database is in memory,
# shared between threads, and locks whole tables. These are collected only on PostgreSQL
# (tests/web/conftest.py deselects them elsewhere); `make test` runs them in its PostgreSQL pass.
postgres_only = pytest.mark.postgresql


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_burst_with_duplicates_and_shuffled_order(live_server: Any, settings: Any) -> None:
    settings.NOFAULT_INTEGRATIONS = {"sources": {"alertmanager": {"token": burst.TOKEN}}}
    bodies, groups = burst.plan(BURST)
    outcome = burst.send(f"{live_server.url}/webhooks/alertmanager", bodies, senders=8)
    assert outcome.failed == []
    assert WebhookDelivery.objects.count() == BURST
    assert not WebhookDelivery.objects.exclude(
        status__in=[DeliveryStatus.PROCESSED, DeliveryStatus.DUPLICATE]
    ).exists()
    assert Incident.objects.count() == groups
    assert AlertGroup.objects.count() == groups
    assert Incident.objects.values("key").distinct().count() == groups
    assert set(Incident.objects.values_list("status", flat=True)) == {"resolved"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    nofault = str(Path(sys.executable).parent / "nofault")
    command = [nofault, "serve", "--port", str(port), "--workers", "2", "--no-migrate"]
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise AssertionError("the server did not start")


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_server_killed_mid_burst_loses_no_acknowledged_delivery(
    tmp_path: Path, settings: Any
) -> None:
    """gunicorn (via `nofault serve`) on this test's database, SIGKILLed mid-burst, restarted."""
    db = settings.DATABASES["default"]
    env = {**os.environ, "NOFAULT_DATA_DIR": str(tmp_path),
           "NOFAULT_INTEGRATIONS": json.dumps({"sources": {"alertmanager": {"token": burst.TOKEN}}})}  # fmt: skip
    assert db["ENGINE"].endswith("postgresql"), "collected only on PostgreSQL"
    env["DATABASE_URL"] = (
        f"postgres://{db['USER']}:{db.get('PASSWORD') or ''}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    bodies, groups = burst.plan(1000, seed=11)
    port = _free_port()
    url = f"http://127.0.0.1:{port}/webhooks/alertmanager"
    server = _serve(env, port)
    stop = threading.Event()
    result: dict[str, burst.Outcome] = {}
    sender = threading.Thread(target=lambda: result.update(first=burst.send(url, bodies, 4, stop)))
    sender.start()
    while WebhookDelivery.objects.count() < 200:
        time.sleep(0.05)
    os.killpg(server.pid, signal.SIGKILL)  # the whole gunicorn: arbiter and workers
    server.wait()
    stop.set()
    sender.join()
    first = result["first"]
    assert first.acknowledged and first.failed  # some answered, some cut off
    server = _serve({**env}, port)
    try:
        retry = burst.send(url, bodies, 4, indexes=first.failed + [
            i for i in range(len(bodies)) if i not in set(first.acknowledged) | set(first.failed)])  # fmt: skip
        assert retry.failed == []
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    delivery_process_pending()
    stored = WebhookDelivery.objects.exclude(status=DeliveryStatus.REJECTED)
    # Every acknowledged body is stored (a body may also be stored and then cut off unanswered).
    stored_bodies = {bytes(b) for b in stored.values_list("body", flat=True)}
    assert {bodies[i] for i in first.acknowledged} <= stored_bodies
    assert not stored.filter(status__in=[DeliveryStatus.RECEIVED, DeliveryStatus.FAILED]).exists()
    assert Incident.objects.count() == groups
    assert AlertGroup.objects.count() == groups
