"""The audit log's costs: recording an event, the admins' page and its CSV, and pruning.

    .venv/bin/python benchmarks/audit_log.py [--events 200000]
    DATABASE_URL=postgres://root@127.0.0.1:5432/nofault_bench_audit .venv/bin/python benchmarks/audit_log.py

A fresh SQLite database in a temporary data folder unless DATABASE_URL names a PostgreSQL
one (dropped and created afresh: point it at a scratch database). `--events` events are
bulk-inserted over 500 days (30 people, every action), then measured, each the median of 5:
`record()` as a service calls it (one INSERT); the first page of /audit/ for an admin through
Django's test client, the page filtered by one person, and by one action and the last week;
the CSV of one person's events; and `audit_prune()` with the 365-day retention (once).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))


def _median_ms(run: Callable[[], object], times: int = 5) -> float:
    samples = []
    for _ in range(times):
        start = time.perf_counter()
        run()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=200_000)
    args = parser.parse_args()
    os.environ.setdefault("NOFAULT_DATA_DIR", tempfile.mkdtemp())
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        import web_data

        server_url, _, name = os.environ["DATABASE_URL"].partition("?")[0].rpartition("/")
        web_data.create_database(server_url, name)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nofault.web.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from nofault.web.accounts.services import user_create
    from nofault.web.audit.models import AuditEvent
    from nofault.web.audit.services import audit_prune, record
    from nofault.web.choices import AuditAction

    call_command("migrate", interactive=False, verbosity=0)
    admin = user_create(username="ada", password="harbour-lantern-quiet-47", role="admin")
    actions = AuditAction.values()
    now = timezone.now()
    step = timedelta(days=500) / args.events
    start = time.perf_counter()
    batch = []
    for n in range(args.events):
        batch.append(
            AuditEvent(
                at=now - step * (args.events - n), actor_name=f"person{n % 30}",
                action=actions[n % len(actions)], target_type="user", target_id=str(n % 30),
                target_label=f"person{n % 30}", address="203.0.113.9", detail={"n": n},
            )
        )  # fmt: skip
        if len(batch) == 5000:
            AuditEvent.objects.bulk_create(batch)
            batch = []
    AuditEvent.objects.bulk_create(batch)
    loaded = time.perf_counter() - start
    client = Client()
    client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")
    week = (timezone.localdate() - timedelta(days=7)).isoformat()

    def page(**query: str) -> None:
        assert client.get("/audit/", query).status_code == 200

    def csv_rows() -> None:
        response = client.get("/audit/export.csv", {"actor": "person7"})
        assert sum(1 for _ in response.streaming_content) > 1

    print(f"database: {connection.vendor}; {args.events:,} events loaded in {loaded:.1f} s")
    print(f"record(): {_median_ms(lambda: record(admin, AuditAction.LOGIN, admin), 50):.2f} ms")
    print(f"/audit/ first page: {_median_ms(page):.0f} ms")
    print(f"/audit/?actor=person7: {_median_ms(lambda: page(actor='person7')):.0f} ms")
    action_week = _median_ms(lambda: page(action=AuditAction.PUBLISH, since=week))
    print(f"/audit/?action=postmortem.publish&since=<a week ago>: {action_week:.0f} ms")
    print(f"/audit/?page=500: {_median_ms(lambda: page(page='500')):.0f} ms")
    rows = args.events // 30
    print(f"CSV of one person (~{rows:,} rows): {_median_ms(csv_rows, 3):.0f} ms")
    start = time.perf_counter()
    pruned = audit_prune()
    print(f"audit_prune(): {pruned:,} events in {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
