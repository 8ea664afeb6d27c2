"""Webhook ingestion rate and the coverage page's time, on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/nofault_bench .venv/bin/python benchmarks/webhook_ingest.py [--deliveries 10000] [--incidents 100000]

Ingestion: `nofault serve --workers 2` (gthread, its default threads each; `--threads N` to
try others) on loopback, 8 concurrent senders POSTing Alertmanager deliveries (10% resent,
shuffled) to /webhooks/alertmanager; rate = deliveries / wall time, latency per request as the
sender saw it. Each 2xx comes after the delivery is applied and committed: nothing is left to
drain. Also printed: the load average before and after (the rate depends on what else the
machine runs) and the CPU time per delivery of the server's processes, of the PostgreSQL
backends serving them and of this process (the senders), which moves much less with the
machine's load than the rate does.

The senders share the machine's cores with the server, so what they cost is taken from it.
They send real HTTP/1.1 requests, each on a kept connection, from threads over plain sockets
(`tests/web/integrations/burst.py`): the same bytes an alerting tool sends, without a general
HTTP client's work per request. Until December 2026 they used httpx, which cost ~0.8-1.2 ms
of CPU per delivery on these cores; the plain sender costs ~0.15 ms. Rates measured before and
after that change are not comparable: compare the server's and PostgreSQL's CPU instead.
Coverage: 100,000 incidents bulk-inserted, then the /reviews/ page rendered for an admin
through Django's test client (median of 5).
The database named in DATABASE_URL is dropped and created afresh: point it at a scratch
database.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import web_data  # noqa: E402
from web_load import cpu_seconds, group_pids  # noqa: E402 - the same reading of /proc as the web benchmark


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--deliveries", type=int, default=10_000)
    parser.add_argument("--incidents", type=int, default=100_000)
    parser.add_argument("--threads", type=int, default=None,
                        help="threads per worker (default: what `nofault serve` uses)")  # fmt: skip
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("set DATABASE_URL=postgres://… (a scratch database: it is made afresh)")
    server_url, _, name = os.environ["DATABASE_URL"].partition("?")[0].rpartition("/")
    web_data.create_database(server_url, name)  # a scratch database, made afresh
    os.environ.setdefault("NOFAULT_DATA_DIR", tempfile.mkdtemp())
    os.environ["NOFAULT_INTEGRATIONS"] = json.dumps(
        {"sources": {"alertmanager": {"token": "burst-token"}}}
    )
    os.environ["DJANGO_SETTINGS_MODULE"] = "nofault.web.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    import httpx
    from tests.web.integrations import burst

    port = 8765
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "nofault"), "serve", "--port", str(port),
         "--workers", "2", "--no-migrate",
         *(["--threads", str(args.threads)] if args.threads else [])],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    try:
        for _ in range(300):
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).is_success:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        bodies, groups = burst.plan(args.deliveries)
        load_before = os.getloadavg()
        server_cpu = _cpu_seconds(group_pids(server.pid))
        database = _BackendCpu()
        database.start()
        sender_cpu = time.process_time()
        outcome = burst.send(f"http://127.0.0.1:{port}/webhooks/alertmanager", bodies, 8)
        sender_cpu = time.process_time() - sender_cpu
        database.finish()
        load_after = os.getloadavg()
        server_cpu = _cpu_seconds(group_pids(server.pid), since=server_cpu)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait()
    latencies = sorted(outcome.latencies)
    p99 = latencies[int(len(latencies) * 0.99) - 1] * 1000
    from nofault.web.incidents.models import Incident
    from nofault.web.integrations.models import WebhookDelivery

    print(f"ingestion: {len(bodies)} deliveries ({groups} alert groups, 10% resent, shuffled) "
          f"from 8 senders to `nofault serve --workers 2` ({args.threads or 'its default'} threads "
          f"each) on PostgreSQL, loopback")  # fmt: skip
    print(f"  {len(outcome.acknowledged) / outcome.seconds:.0f} deliveries/s over "
          f"{outcome.seconds:.1f} s; p50 {statistics.median(latencies) * 1000:.1f} ms, "
          f"p99 {p99:.1f} ms; failed {len(outcome.failed)}; incidents {Incident.objects.count()} "
          f"(expected {groups}); left unapplied {WebhookDelivery.objects.filter(status__in=['received', 'failed']).count()}")  # fmt: skip
    per = 1000 / len(bodies)
    print(f"  CPU per delivery: server {sum(server_cpu.values()) * per:.2f} ms, PostgreSQL "
          f"backends {sum(database.seconds.values()) * per:.2f} ms, sender {sender_cpu * per:.2f} ms; load average "
          f"{load_before[0]:.1f} before, {load_after[0]:.1f} after ({os.cpu_count()} CPUs)")  # fmt: skip
    coverage_page(args.incidents)


def _backend_pids() -> list[int]:
    """The PostgreSQL backends connected to this database, but this process's own."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                       "AND pid <> pg_backend_pid()")  # fmt: skip
        return [row[0] for row in cursor.fetchall()]


class _BackendCpu(threading.Thread):
    """Samples the backends' CPU twice a second: a backend can close mid-run (CONN_MAX_AGE)."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.seconds: dict[int, float] = {}
        self.done = threading.Event()

    def run(self) -> None:
        from django.db import connection

        try:
            while not self.done.wait(0.5):
                self.seconds.update(_cpu_seconds(_backend_pids()))
            self.seconds.update(_cpu_seconds(_backend_pids()))
        finally:
            connection.close()

    def finish(self) -> None:
        self.done.set()
        self.join()


def _cpu_seconds(pids: list[int], since: dict[int, float] | None = None) -> dict[int, float]:
    """User and system CPU seconds of each process (less what `since` had), from /proc."""
    return {pid: s - (since or {}).get(pid, 0.0) for pid, s in cpu_seconds(pids).items()}


def coverage_page(count: int) -> None:
    from datetime import timedelta

    from django.test import Client
    from django.utils import timezone

    from nofault.web.accounts.services import user_create
    from nofault.web.incidents.models import Incident

    admin = user_create(username="bench-admin", password="a-long-bench-password", role="admin")
    now = timezone.now()
    existing = Incident.objects.count()
    rows = [
        Incident(key=f"BENCH-{i}", title=f"Incident {i}", severity=f"SEV{i % 5 + 1}",
                 services=[f"svc-{i % 40}"], services_index=f",svc-{i % 40},",
                 created_at=now - timedelta(hours=i), postmortem_due=(now - timedelta(hours=i - 240)).date())
        for i in range(max(count - existing, 0))
    ]  # fmt: skip
    Incident.objects.bulk_create(rows, batch_size=5000)
    client = Client()
    client.force_login(admin)
    times = []
    for _ in range(6):
        start = time.perf_counter()
        response = client.get("/reviews/")
        times.append(time.perf_counter() - start)
        assert response.status_code == 200
    print(f"coverage page: /reviews/ with {Incident.objects.count()} incidents, as an admin "
          f"(Django test client, PostgreSQL): median {statistics.median(times[1:]) * 1000:.0f} ms "
          f"of 5 after one warm-up")  # fmt: skip


if __name__ == "__main__":
    main()
