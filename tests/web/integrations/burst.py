"""A burst of Alertmanager deliveries: groups that fire and resolve, 10% resent, shuffled.

Shared by the burst and crash tests and by benchmarks/webhook_ingest.py.
"""

from __future__ import annotations

import copy
import json
import random
import socket
import threading
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urlsplit

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


class _Connection:
    """One keep-alive HTTP/1.1 connection on a plain socket: a request's bytes out, its answer in.

    A load generator, not a general client: each request is whole bytes built once, and the
    answer is read by its Content-Length (or chunks). httpx cost the sender ~1 ms of CPU per
    request, on the cores the server under test shares; this costs a small fraction of that.
    """

    def __init__(self, host: str, port: int, timeout: float) -> None:
        self.address, self.timeout = (host, port), timeout
        self.sock: socket.socket | None = None
        self.buffer = b""
        self.answered = False  # a byte of the current answer came

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
        self.sock, self.buffer = None, b""

    def request(self, data: bytes) -> int:
        """Send one request; return the answer's status. A kept connection the server closed
        while idle is opened again and the request sent once more (it never reached the app)."""
        reused = self.sock is not None
        try:
            return self._exchange(data)
        except (ConnectionError, _NoAnswer):
            unanswered = not self.answered
            self.close()
            if not (reused and unanswered):
                raise
        return self._exchange(data)

    def _exchange(self, data: bytes) -> int:
        if self.sock is None:
            self.sock = socket.create_connection(self.address, timeout=self.timeout)
            self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.answered = False
        self.sock.sendall(data)
        head = self._read_until(b"\r\n\r\n", first=True)
        status_line, _, header_text = head.partition(b"\r\n")
        status = int(status_line.split(b" ", 2)[1])
        headers = {}
        for line in header_text.split(b"\r\n"):
            name, _, value = line.partition(b":")
            headers[name.strip().lower()] = value.strip()
        if headers.get(b"transfer-encoding", b"").lower() == b"chunked":
            while True:
                size = int(self._read_until(b"\r\n").split(b";")[0], 16)
                self._read_exactly(size + 2)
                if size == 0:
                    break
        else:
            self._read_exactly(int(headers.get(b"content-length", b"0")))
        if headers.get(b"connection", b"").lower() == b"close":
            self.close()
        return status

    def _fill(self, first: bool) -> None:
        assert self.sock is not None
        chunk = self.sock.recv(65536)
        if not chunk:
            if first and not self.buffer:
                raise _NoAnswer
            raise ConnectionError("the server closed the connection mid-answer")
        self.answered = True
        self.buffer += chunk

    def _read_until(self, marker: bytes, first: bool = False) -> bytes:
        while (end := self.buffer.find(marker)) < 0:
            self._fill(first)
        found, self.buffer = self.buffer[:end], self.buffer[end + len(marker) :]
        return found

    def _read_exactly(self, size: int) -> bytes:
        while len(self.buffer) < size:
            self._fill(False)
        found, self.buffer = self.buffer[:size], self.buffer[size:]
        return found


class _NoAnswer(Exception):
    """The connection closed before any byte of an answer."""


def send(url: str, bodies: list[bytes], senders: int = 8, stop: threading.Event | None = None,
         indexes: Iterable[int] | None = None) -> Outcome:  # fmt: skip
    """POST every body to `url` from `senders` threads (one connection each); record the 2xx.

    Real HTTP/1.1 requests over loopback, as an alerting tool sends them, each on a kept
    connection; a request cut off (the server died) counts as failed.
    """
    outcome = Outcome()
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    head = (f"POST {parts.path or '/'} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
            f"Content-Type: application/json\r\nAuthorization: Bearer {TOKEN}\r\n"
            "User-Agent: nofault-burst\r\n")  # fmt: skip
    chunks = [list(range(i, len(bodies), senders)) for i in range(senders)]
    if indexes is not None:
        wanted = set(indexes)
        chunks = [[i for i in c if i in wanted] for c in chunks]

    def run(chunk: list[int]) -> None:
        connection = _Connection(host, port, timeout=30)
        try:
            for i in chunk:
                if stop is not None and stop.is_set():
                    return
                data = f"{head}Content-Length: {len(bodies[i])}\r\n\r\n".encode() + bodies[i]
                start = time.perf_counter()
                try:
                    ok = 200 <= connection.request(data) < 300
                except (OSError, ValueError, IndexError, _NoAnswer):
                    connection.close()
                    ok = False
                elapsed = time.perf_counter() - start
                with outcome.lock:
                    (outcome.acknowledged if ok else outcome.failed).append(i)
                    outcome.latencies.append(elapsed)
        finally:
            connection.close()

    began = time.perf_counter()
    with ThreadPoolExecutor(senders) as pool:
        list(pool.map(run, chunks))
    outcome.seconds = time.perf_counter() - began
    return outcome
