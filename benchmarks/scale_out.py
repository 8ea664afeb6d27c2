"""Scale-out on one machine: two web processes behind one address, two workers, PostgreSQL;
a burst of deliveries while one web process and one worker are killed with SIGKILL.

    .venv/bin/python benchmarks/scale_out.py [--deliveries 10000] [--postmortems 40]
        [--database-server postgres://postgres@127.0.0.1:5432]
        [--tasks database|celery] [--broker redis://127.0.0.1:6379/12]

What runs: a scratch PostgreSQL database (`nofault_scale_out`, made afresh and dropped after);
two `nofault serve --workers 1` on two ports behind a small round-robin TCP proxy in this
script (the one address the senders know; a backend that refuses connections is skipped); two
`nofault worker` processes on the database queue, or with `--tasks celery` two Celery workers
(`nofault worker` with NOFAULT_TASKS=celery, beat embedded in each) on the broker `--broker`
(Redis by default; its queue is purged first); Slack and GitHub stand-ins on localhost
(tests/integrations/standins.py).

Before the burst: `--postmortems` postmortems, each with one overdue action item (a reminder
is due for each) whose tracker issue a tracker outage left pending (a push is due for each).
The workers' scheduled reminder run sends the reminders and pushes the pending issues.

The burst: `--deliveries` Alertmanager deliveries (10% resent, shuffled) from 8 senders
through the proxy. A third of the way in, one web process (its whole gunicorn) and one worker
get SIGKILL. As an alerting tool does, the senders resend what was not acknowledged until
every delivery is. Then it waits for the queue to drain (the killed worker's claim expires
after NOFAULT_TASK_LEASE_SECONDS, set to 15 s here; on Celery, a surviving worker's beat sends
the expired claim's row again) and counts:
lost (alert groups with no incident), doubled (incidents beyond one per group), reminders
sent more than once or not at all (Slack messages), and tracker issues opened more than once
or not at all per action item (GitHub stand-in).
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import web_data  # noqa: E402

NAME = "nofault_scale_out"
LEASE_SECONDS = 15


class Proxy:
    """A round-robin TCP proxy: each connection goes to the next backend that accepts it."""

    def __init__(self, backends: list[int]) -> None:
        self.backends = backends
        self.turn = itertools.count()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            client, _ = self.listener.accept()
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        start = next(self.turn)
        for i in range(len(self.backends)):
            port = self.backends[(start + i) % len(self.backends)]
            try:
                upstream = socket.create_connection(("127.0.0.1", port), timeout=5)
                break
            except OSError:
                continue
        else:
            client.close()
            return
        upstream.settimeout(None)

        def pipe(source: socket.socket, target: socket.socket) -> None:
            try:
                while chunk := source.recv(65536):
                    target.sendall(chunk)
            except OSError:
                pass
            finally:
                for s in (source, target):
                    with contextlib.suppress(OSError):
                        s.shutdown(socket.SHUT_RDWR)

        threading.Thread(target=pipe, args=(upstream, client), daemon=True).start()
        pipe(client, upstream)


def _free_port() -> int:
    with socket.create_server(("127.0.0.1", 0)) as s:
        return int(s.getsockname()[1])


def _wait_http(port: int, path: str = "/healthz", seconds: float = 120) -> None:
    import httpx

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}{path}", timeout=1).is_success:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"nothing answered on port {port}")


def _seed(count: int) -> list[str]:
    """Postmortems with an overdue action item each, its tracker issue pending; their keys."""
    from tests.web.factories import make_postmortem, make_user

    from nofault.web.actions.models import ActionItem
    from nofault.web.integrations.flows import tracker_key
    from nofault.web.integrations.models import TrackerLink, TrackerLinkStatus

    owner = make_user("author", "alex")
    keys = []
    for _ in range(count):
        pm = make_postmortem(owner)
        ActionItem.objects.filter(postmortem=pm).exclude(due__lt="2030-01-01").delete()
        for item in ActionItem.objects.filter(postmortem=pm):
            TrackerLink.objects.create(action_item=item, tracker="github", key=tracker_key(item),
                                       status=TrackerLinkStatus.PENDING)  # fmt: skip
            keys.append(tracker_key(item))
    return keys


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--deliveries", type=int, default=10_000)
    parser.add_argument("--postmortems", type=int, default=40)
    parser.add_argument("--database-server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--tasks", choices=["database", "celery"], default="database")
    parser.add_argument("--broker", default="redis://127.0.0.1:6379/12")
    args = parser.parse_args()
    from tests.integrations.standins import GitHubStandIn, SlackStandIn
    from tests.web.integrations import burst

    web_data.create_database(args.database_server, NAME)
    data_dir = tempfile.mkdtemp(prefix="nofault-scale-out-")
    processes: list[subprocess.Popen[bytes]] = []
    with SlackStandIn() as slack, GitHubStandIn() as github:
        env = {
            **os.environ,
            "DATABASE_URL": f"{args.database_server}/{NAME}",
            "NOFAULT_DATA_DIR": data_dir,
            "NOFAULT_TASK_LEASE_SECONDS": str(LEASE_SECONDS),
            "NOFAULT_TASKS": args.tasks,
            "NOFAULT_CELERY_BROKER_URL": args.broker,
            "NOFAULT_INTEGRATIONS": json.dumps({
                "base_url": "http://nofault.test",
                "sources": {"alertmanager": {"token": burst.TOKEN}},
                "notifiers": {"slack": {"webhook_url": slack.webhook_url}},
                "trackers": {"github": {"repository": "acme/ops", "token": "ghp_test",
                                        "api_url": github.url}},
            }),
        }  # fmt: skip
        os.environ.update(env)
        os.environ["DJANGO_SETTINGS_MODULE"] = "nofault.web.settings"
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        if args.tasks == "celery":
            from nofault.web.worker.celery import configure

            configure().control.purge()  # messages of an earlier run name rows of another database
        keys = _seed(args.postmortems)
        nofault = str(Path(sys.executable).parent / "nofault")
        ports = [_free_port(), _free_port()]
        try:
            for port in ports:
                processes.append(subprocess.Popen(
                    [nofault, "serve", "--port", str(port), "--workers", "1", "--no-migrate"],
                    env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                    start_new_session=True,
                ))  # fmt: skip
            for port in ports:
                _wait_http(port)
            proxy = Proxy(ports)
            bodies, groups = burst.plan(args.deliveries)
            started = time.perf_counter()
            for _ in range(2):
                processes.append(subprocess.Popen(
                    [nofault, "worker", "--poll", "0.2"], env=env, stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL, start_new_session=True,
                ))  # fmt: skip
            killed: list[str] = []

            def kill_mid_burst() -> None:
                from django.db import connection

                from nofault.web.integrations.models import WebhookDelivery

                try:
                    while WebhookDelivery.objects.count() < len(bodies) // 3:
                        time.sleep(0.1)
                    os.killpg(processes[0].pid, signal.SIGKILL)  # web 1: gunicorn and its worker
                    os.killpg(processes[2].pid, signal.SIGKILL)  # worker 1
                    killed.append(f"after {WebhookDelivery.objects.count()} stored deliveries")
                finally:
                    connection.close()

            killer = threading.Thread(target=kill_mid_burst, daemon=True)
            killer.start()
            url = f"http://127.0.0.1:{proxy.port}/webhooks/alertmanager"
            first = burst.send(url, bodies, 8)
            acknowledged = set(first.acknowledged)
            failed_first = len(first.failed)
            resends = 0
            while len(acknowledged) < len(bodies) and resends < 20:
                resends += 1
                missing = [i for i in range(len(bodies)) if i not in acknowledged]
                acknowledged |= set(burst.send(url, bodies, 8, indexes=missing).acknowledged)
            burst_seconds = time.perf_counter() - started
            drained = _drain(keys, slack, github, timeout=LEASE_SECONDS * 8 + 120)
            total_seconds = time.perf_counter() - started
        finally:
            for process in processes:
                if process.poll() is None:
                    os.killpg(process.pid, signal.SIGTERM)
            for process in processes:
                process.wait()
        _report(args, bodies, groups, acknowledged, failed_first, resends, killed, keys, slack,
                github, burst_seconds, total_seconds, drained)  # fmt: skip
    from django.db import connections

    connections.close_all()
    web_data.drop_database(args.database_server, NAME)


def _drain(keys: list[str], slack: object, github: object, *, timeout: float) -> bool:
    from django.db import close_old_connections

    from nofault.web.integrations.models import TrackerLink, TrackerLinkStatus
    from nofault.web.worker.models import Task, TaskStatus

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        close_old_connections()
        busy = Task.objects.filter(status__in=[TaskStatus.QUEUED, TaskStatus.RUNNING]).exists()
        pending = TrackerLink.objects.filter(status=TrackerLinkStatus.PENDING).exists()
        if not busy and not pending:
            return True
        time.sleep(0.5)
    return False


def _report(args, bodies, groups, acknowledged, failed_first, resends, killed, keys, slack,  # type: ignore[no-untyped-def]
            github, burst_seconds, total_seconds, drained) -> None:  # fmt: skip
    from nofault.web.incidents.models import Incident
    from nofault.web.integrations.models import AlertGroup, WebhookDelivery
    from nofault.web.integrations.trackers.github.client import marker
    from nofault.web.reviews.models import ReminderSent
    from nofault.web.worker.models import Task, TaskStatus

    incidents = Incident.objects.filter(source="alertmanager").count()
    alert_groups = AlertGroup.objects.filter(source="alertmanager").count()
    left = WebhookDelivery.objects.filter(status__in=["received", "failed", "unapplied"]).count()
    messages = Counter(json.dumps(m, sort_keys=True) for m in slack.messages)
    doubled_messages = sum(n - 1 for n in messages.values() if n > 1)
    reminded = set(ReminderSent.objects.filter(kind="action_item").values_list("ref", flat=True))
    # Each issue's body ends with the hidden marker of its action item's key.
    marked = {marker(key): key for key in keys}
    issues: Counter[str] = Counter()
    for issue in github.issues:
        for line in (issue.get("body") or "").splitlines():
            if line.strip() in marked:
                issues[marked[line.strip()]] += 1
    issues_doubled = sum(n - 1 for n in issues.values() if n > 1)
    issues_missing = sum(1 for k in keys if issues[k] == 0)
    tasks = Counter(Task.objects.values_list("status", flat=True))
    print(f"scale-out: {len(bodies)} Alertmanager deliveries ({groups} alert groups, 10% resent, "
          f"shuffled) from 8 senders through one proxy to 2 `nofault serve --workers 1`, "
          f"2 `nofault worker` ({_queue(args)}), PostgreSQL; SIGKILL to one web process and one "
          f"worker "
          f"{killed[0] if killed else '(not reached)'}")  # fmt: skip
    print(
        f"  deliveries: {len(acknowledged)} acknowledged of {len(bodies)}; {failed_first} cut "
        f"off by the kill and resent ({resends} resend round(s)); left unapplied {left}"
    )
    print(
        f"  lost: {max(groups - incidents, 0)} (incidents {incidents}, alert groups "
        f"{alert_groups}, expected {groups}); doubled: {max(incidents - groups, 0)}"
    )
    print(
        f"  reminders: {len(slack.messages)} Slack messages, {doubled_messages} sent twice, "
        f"{len(reminded)} of {len(keys)} overdue action items reminded; "
        f"tracker pushes: {sum(issues.values())} issues for {len(keys)} action items, "
        f"{issues_doubled} doubled, {issues_missing} missing"
    )
    print(
        f"  tasks: {dict(tasks)}; queue drained: {drained}; failed tasks "
        f"{tasks.get(TaskStatus.FAILED, 0)}"
    )
    print(
        f"  time: burst and resends {burst_seconds:.1f} s "
        f"({len(bodies) / burst_seconds:.0f} deliveries/s), until the queue drained "
        f"{total_seconds:.1f} s; {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}"
    )


def _queue(args: argparse.Namespace) -> str:
    if args.tasks == "celery":
        return f"Celery on {args.broker.split(':', 1)[0]}"
    return "the database queue"


if __name__ == "__main__":
    main()
