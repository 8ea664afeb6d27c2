"""A burst of Alertmanager deliveries: groups that fire and resolve, 10% resent, shuffled.

Shared by the burst and crash tests and by benchmarks/webhook_ingest.py.
"""

from __future__ import annotations

import copy
import json
import random
import threading
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import httpx

TOKEN = "burst-token"
BASE = {
    "receiver": "ops",
    "status": "firing",
    "groupLabels": {"alertname": "HighLatency"},
    "commonLabels": {"alertname": "HighLatency", "severity": "warning"},
    "commonAnnotations": {"summary": "p99 latency above 2 s"},
    "externalURL": "http://alertmanager:9093",
    "version": "4",
    "groupKey": "",
    "truncatedAlerts": 0,
    "alerts": [],
}


def delivery(group: int, resolved: bool) -> bytes:
    """Return one Alertmanager webhook body for alert group `group`, firing or resolved."""
    data = copy.deepcopy(BASE)
    data["groupKey"] = f'{{}}:{{alertname="HighLatency", shard="{group}"}}'
    data["status"] = "resolved" if resolved else "firing"
    data["alerts"] = [
        {
            "status": data["status"],
            "labels": {
                "alertname": "HighLatency",
                "shard": str(group),
                "service": f"svc-{group % 7}",
            },
            "annotations": {"summary": f"p99 latency above 2 s on shard {group}"},
            "startsAt": "2026-03-01T10:00:00Z",
            "endsAt": "2026-03-01T10:30:00Z" if resolved else "0001-01-01T00:00:00Z",
            "generatorURL": "http://prometheus:9090/graph",
            "fingerprint": f"{group:016x}",
        }
    ]
    return json.dumps(data).encode()


def plan(total: int, seed: int = 7) -> tuple[list[bytes], int]:
    """Return `total` shuffled bodies (90% distinct, 10% resent) and how many groups they name."""
    rng = random.Random(seed)
    distinct = total - total // 10
    groups = (distinct + 1) // 2
    bodies = [delivery(g, resolved) for g in range(groups) for resolved in (False, True)][:distinct]
    bodies += rng.sample(bodies, total - distinct)
    rng.shuffle(bodies)
    return bodies, groups


@dataclass
class Outcome:
    """What the senders saw."""

    acknowledged: list[int] = field(default_factory=list)  # indexes answered 2xx
    failed: list[int] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    seconds: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)


def send(url: str, bodies: list[bytes], senders: int = 8, stop: threading.Event | None = None,
         indexes: Iterable[int] | None = None) -> Outcome:  # fmt: skip
    """POST every body to `url` from `senders` threads; record which got a 2xx."""
    outcome = Outcome()
    chunks = [list(range(i, len(bodies), senders)) for i in range(senders)]
    if indexes is not None:
        wanted = set(indexes)
        chunks = [[i for i in c if i in wanted] for c in chunks]

    def run(chunk: list[int]) -> None:
        headers = {"Content-Type": "application/json", "Authorization": f"Bearer {TOKEN}"}
        with httpx.Client(timeout=30, headers=headers) as client:
            for i in chunk:
                if stop is not None and stop.is_set():
                    return
                start = time.perf_counter()
                try:
                    ok = client.post(url, content=bodies[i]).is_success
                except httpx.HTTPError:
                    ok = False
                elapsed = time.perf_counter() - start
                with outcome.lock:
                    (outcome.acknowledged if ok else outcome.failed).append(i)
                    outcome.latencies.append(elapsed)

    began = time.perf_counter()
    with ThreadPoolExecutor(senders) as pool:
        list(pool.map(run, chunks))
    outcome.seconds = time.perf_counter() - began
    return outcome
