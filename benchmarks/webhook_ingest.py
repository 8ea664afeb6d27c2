"""Webhook ingestion rate and the coverage page's time, on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/nofault_bench .venv/bin/python benchmarks/webhook_ingest.py [--deliveries 10000] [--incidents 100000]

Ingestion: `nofault serve --workers 2` (gthread, its default 4 threads each) on loopback, 8
concurrent senders POSTing Alertmanager deliveries (10% resent, shuffled) to
/webhooks/alertmanager; rate = deliveries / wall time, latency per request as the sender saw
it. Each 2xx comes after the delivery is applied and committed: nothing is left to drain. Coverage: 100,000 incidents bulk-inserted, then
the /reviews/ page rendered for an admin through Django's test client (median of 5).
The database named in DATABASE_URL is emptied first: point it at a scratch database.
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
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--deliveries", type=int, default=10_000)
    parser.add_argument("--incidents", type=int, default=100_000)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("set DATABASE_URL=postgres://… (a scratch database: it is emptied)")
    os.environ.setdefault("NOFAULT_DATA_DIR", tempfile.mkdtemp())
    os.environ["NOFAULT_INTEGRATIONS"] = json.dumps(
        {"sources": {"alertmanager": {"token": "burst-token"}}}
    )
    os.environ["DJANGO_SETTINGS_MODULE"] = "nofault.web.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    import httpx
    from tests.web.integrations import burst

    port = 8765
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "nofault"), "serve", "--port", str(port),
         "--workers", "2", "--no-migrate"],
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
        outcome = burst.send(f"http://127.0.0.1:{port}/webhooks/alertmanager", bodies, 8)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait()
    latencies = sorted(outcome.latencies)
    p99 = latencies[int(len(latencies) * 0.99) - 1] * 1000
    from nofault.web.incidents.models import Incident
    from nofault.web.integrations.models import WebhookDelivery

    print(f"ingestion: {len(bodies)} deliveries ({groups} alert groups, 10% resent, shuffled) "
          f"from 8 senders to `nofault serve --workers 2` (4 threads each) on PostgreSQL, loopback")  # fmt: skip
    print(f"  {len(outcome.acknowledged) / outcome.seconds:.0f} deliveries/s over "
          f"{outcome.seconds:.1f} s; p50 {statistics.median(latencies) * 1000:.1f} ms, "
          f"p99 {p99:.1f} ms; failed {len(outcome.failed)}; incidents {Incident.objects.count()} "
          f"(expected {groups}); left unapplied {WebhookDelivery.objects.filter(status__in=['received', 'failed']).count()}")  # fmt: skip
    coverage_page(args.incidents)


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
