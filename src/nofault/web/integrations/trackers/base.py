"""What every tracker plugin provides: idempotent issue creation, status, and its webhook.

An action item becomes an issue in the team's tracker. The caller names the issue with a key
of its own (the action item's); the tracker plugin stores that key in the issue and looks for
it before every create, so a retry after a timeout or a 5xx never makes a second issue.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Protocol, runtime_checkable

import httpx
from pydantic import BaseModel, ConfigDict, Field, SecretStr

from nofault.web.integrations.http import RetryPolicy
from nofault.web.integrations.sources.base import (
    MalformedHeader,
    SourceDisabled,
    Unauthenticated,
    header,
)


class IssueState(StrEnum):
    """Whether the tracker considers the issue finished."""

    OPEN = "open"
    CLOSED = "closed"


@dataclass(frozen=True, slots=True)
class IssueRequest:
    """An issue to open for an action item; `key` makes a retry find the first try's issue."""

    key: str
    title: str
    body: str = ""
    labels: tuple[str, ...] = ()
    due: date | None = None
    link: str | None = None

    def __post_init__(self) -> None:
        if not self.key or any(c.isspace() for c in self.key):
            raise ValueError("IssueRequest.key must be non-empty and without spaces")


@dataclass(frozen=True, slots=True)
class TrackerIssue:
    """An issue as the tracker holds it."""

    tracker: str
    ref: str
    url: str
    state: IssueState
    key: str | None = None
    api_id: str | None = None


@dataclass(frozen=True, slots=True)
class IssueStatusChange:
    """What a tracker's webhook says happened to an issue: closed or reopened."""

    tracker: str
    ref: str
    state: IssueState
    occurred_at: datetime | None = None
    reason: str | None = None
    url: str | None = None
    raw: Mapping[str, object] = field(default_factory=dict, compare=False, repr=False)


class TrackerSettings(BaseModel):
    """Settings every tracker shares."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = True
    labels: tuple[str, ...] = ("nofault",)
    webhook_secret: SecretStr | None = None
    timeout_seconds: float = Field(default=10.0, gt=0)
    attempts: int = Field(default=5, ge=1)


@runtime_checkable
class TrackerClient(Protocol):
    """A connection to one tracker project or repository."""

    def create_issue(self, request: IssueRequest) -> TrackerIssue:
        """Open an issue for the request, or return the one an earlier try already opened."""
        ...

    def find_issue(self, key: str) -> TrackerIssue | None:
        """Return the issue opened for this key, or None."""
        ...

    def fetch_issue(self, ref: str) -> TrackerIssue:
        """Return the issue with its current state (for polling)."""
        ...

    def close(self) -> None:
        """Release the connection."""
        ...


@runtime_checkable
class Tracker(Protocol):
    """A plugin for one tracker product."""

    name: str
    label: str
    settings_model: type[TrackerSettings]

    def connect(
        self,
        settings: TrackerSettings,
        *,
        policy: RetryPolicy | None = None,
        sleep: Callable[[float], None] | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> TrackerClient:
        """Return a client for the configured project."""
        ...

    def verify_webhook(
        self, headers: Mapping[str, str], body: bytes, settings: TrackerSettings
    ) -> None:
        """Raise a `DeliveryRejected` unless the webhook delivery is authentic."""
        ...

    def parse_webhook(self, headers: Mapping[str, str], body: bytes) -> list[IssueStatusChange]:
        """Return the closes and reopens a webhook delivery reports."""
        ...


def verify_hub_signature(
    headers: Mapping[str, str], body: bytes, secret: SecretStr | None, header_name: str
) -> None:
    """Check a `sha256=<hex>` HMAC header, as GitHub and Jira send it, in constant time."""
    if secret is None:
        raise SourceDisabled("no webhook secret is configured for this tracker")
    value = header(headers, header_name)
    if not value:
        raise MalformedHeader(f"missing {header_name} header")
    method, _, digest = value.strip().partition("=")
    if method.lower() != "sha256" or not digest:
        raise MalformedHeader(f"{header_name} must be 'sha256=<hex>'")
    expected = hmac.new(secret.get_secret_value().encode(), body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, digest.lower()):
        raise Unauthenticated(f"{header_name} does not match the body")
