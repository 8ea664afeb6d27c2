"""HTTP for outgoing integrations: httpx with retries and exponential backoff.

A 429 or 5xx answer, or a connection failure, is retried after a delay that doubles each time
(with jitter, capped), or after exactly what the server asks in `Retry-After` (seconds or an
HTTP date) or, for GitHub, `X-RateLimit-Reset` when the remaining quota is zero.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class IntegrationError(Exception):
    """A call to a vendor failed for good: `retryable` tells whether a later try may succeed."""

    def __init__(self, message: str, *, status: int | None = None, retryable: bool = False) -> None:
        super().__init__(message)
        self.status = status
        self.retryable = retryable


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How many times to try and how long to wait between tries."""

    attempts: int = 5
    base_delay: float = 0.5
    max_delay: float = 30.0
    # A server's own Retry-After is honoured up to this; a longer wait is better left to a
    # later run (the caller keeps the work queued) than to a blocked worker.
    max_retry_after: float = 120.0
    jitter: float = 0.1

    def delay(self, attempt: int, response: httpx.Response | None = None) -> float:
        """Return the seconds to wait before try number `attempt + 1` (attempt counts from 1)."""
        asked = retry_after(response) if response is not None else None
        if asked is not None:
            return min(max(asked, 0.0), self.max_retry_after)
        backoff = min(self.base_delay * 2 ** (attempt - 1), self.max_delay)
        return backoff * (1 + random.uniform(0, self.jitter))


def retry_after(response: httpx.Response, now: datetime | None = None) -> float | None:
    """Return the wait a response asks for, from `Retry-After` or an exhausted rate limit."""
    value = response.headers.get("Retry-After")
    now = now or datetime.now(UTC)
    if value:
        value = value.strip()
        if value.isdigit():
            return float(value)
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        return max((when - now).total_seconds(), 0.0)
    if response.headers.get("X-RateLimit-Remaining") == "0":
        reset = response.headers.get("X-RateLimit-Reset")
        if reset and reset.isdigit():
            return max(int(reset) - now.timestamp(), 0.0)
    return None


def is_retryable(response: httpx.Response) -> bool:
    """Tell whether an answer says to try again later (GitHub answers 403 when rate-limited)."""
    if response.status_code in RETRY_STATUSES:
        return True
    return response.status_code == 403 and response.headers.get("X-RateLimit-Remaining") == "0"


@dataclass
class RetryingClient:
    """An httpx client that retries what is safe to retry; `sleep` is swappable for tests."""

    base_url: str
    headers: Mapping[str, str] = field(default_factory=dict)
    timeout: float = 10.0
    policy: RetryPolicy = field(default_factory=RetryPolicy)
    sleep: Callable[[float], None] = time.sleep
    transport: httpx.BaseTransport | None = None
    _client: httpx.Client | None = field(default=None, init=False, repr=False)

    @property
    def client(self) -> httpx.Client:
        """Return the underlying httpx client, made on first use."""
        if self._client is None:
            self._client = httpx.Client(
                base_url=self.base_url,
                headers=dict(self.headers),
                timeout=self.timeout,
                transport=self.transport,
            )
        return self._client

    def close(self) -> None:
        """Close the connection pool."""
        if self._client is not None:
            self._client.close()
            self._client = None

    def send_once(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """Send one request; a connection failure becomes a retryable `IntegrationError`."""
        try:
            return self.client.request(method, url, **kwargs)
        except httpx.TransportError as exc:
            raise IntegrationError(f"{method} {url}: {exc!r}", retryable=True) from exc

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """Send a request, retrying 429, 5xx and connection failures with backoff.

        Only use this for requests that are safe to repeat (reads, or writes made idempotent
        by the caller); the answer returned may be any non-retryable status.
        """
        attempt = 0
        while True:
            attempt += 1
            response: httpx.Response | None = None
            try:
                response = self.send_once(method, url, **kwargs)
            except IntegrationError:
                if attempt >= self.policy.attempts:
                    raise
            else:
                if not is_retryable(response):
                    return response
                if attempt >= self.policy.attempts:
                    raise IntegrationError(
                        f"{method} {url}: {response.status_code} after {attempt} tries",
                        status=response.status_code,
                        retryable=True,
                    )
            self.sleep(self.policy.delay(attempt, response))
