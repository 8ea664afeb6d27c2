"""What every alerting tool plugin provides, and the typed values and errors it works with.

A source answers two questions about a delivery: may it be trusted (`verify`), and what does
it say (`parse`). `parse` returns `IncidentEvent` values: one alert group is one incident,
named by `dedup_key`; an event only says what happened to it (trigger, acknowledge, resolve,
annotate) and when, so the service that stores them can apply them idempotently and in any
order.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, ClassVar, Protocol, TypeVar, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError

from nofault.core.document import DEFAULT_SEVERITIES

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")

# --- errors ----------------------------------------------------------------------------


class DeliveryRejected(Exception):
    """A delivery the server refuses; `status` is the HTTP status to answer with."""

    status: ClassVar[int] = 400
    code: ClassVar[str] = "rejected"

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class MalformedHeader(DeliveryRejected):
    """A signature or credential header is missing or cannot be read."""

    status = 400
    code = "malformed_header"


class MalformedBody(DeliveryRejected):
    """The body is empty, not UTF-8 or not JSON."""

    status = 400
    code = "malformed_body"


class WrongShape(DeliveryRejected):
    """The body is JSON but not the payload this source sends."""

    status = 422
    code = "wrong_shape"


class Unauthenticated(DeliveryRejected):
    """No credential matches: a wrong signature or token."""

    status = 401
    code = "unauthenticated"


class SourceDisabled(DeliveryRejected):
    """The source is not configured or switched off on this server."""

    status = 403
    code = "source_disabled"


class BodyTooLarge(DeliveryRejected):
    """The body is larger than the source accepts."""

    status = 413
    code = "body_too_large"


# --- values ----------------------------------------------------------------------------


class EventType(StrEnum):
    """What a delivery says happened to the incident."""

    TRIGGER = "trigger"
    ACKNOWLEDGE = "acknowledge"
    RESOLVE = "resolve"
    ANNOTATE = "annotate"


MAX_DEDUP_KEY = 300


@dataclass(frozen=True, slots=True)
class IncidentEvent:
    """One thing an alerting tool says happened to one alert group (one incident)."""

    source: str
    dedup_key: str
    event_id: str
    type: EventType
    occurred_at: datetime
    title: str = ""
    severity: str | None = None
    raw_severity: str | None = None
    started_at: datetime | None = None
    services: tuple[str, ...] = ()
    teams: tuple[str, ...] = ()
    responders: tuple[str, ...] = ()
    link: str | None = None
    note: str | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for name in ("occurred_at", "started_at"):
            value = getattr(self, name)
            if value is not None and value.tzinfo is None:
                raise ValueError(f"IncidentEvent.{name} must be timezone-aware")
        if not self.dedup_key:
            raise ValueError("IncidentEvent.dedup_key must not be empty")
        if len(self.dedup_key) > MAX_DEDUP_KEY:
            # Kept unique, and short enough for the alert group's column.
            shortened = f"{self.dedup_key[:200]}~{body_digest(self.dedup_key)}"
            object.__setattr__(self, "dedup_key", shortened)


# --- settings --------------------------------------------------------------------------


class SourceSettings(BaseModel):
    """Settings every source shares; vendors add their credentials."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = True
    max_body_bytes: int = Field(default=512 * 1024, gt=0)
    # Raw severity (priority, urgency or label value, lower case) → nofault severity; merged
    # over the vendor's default table, so an organisation overrides only what differs.
    severity_map: dict[str, str] = Field(default_factory=dict)
    default_severity: str = "SEV3"


class TokenSettings(SourceSettings):
    """Settings for a source that authenticates with a shared token in a header."""

    # Empty means the source accepts unauthenticated deliveries: allowed only on purpose.
    token: SecretStr | None = None
    header: str = "Authorization"
    # With a username, `Authorization: Basic base64(username:token)` is expected instead of Bearer.
    username: str | None = None
    allow_unauthenticated: bool = False


# --- the plugin protocol ---------------------------------------------------------------


@runtime_checkable
class IncidentSource(Protocol):
    """An alerting tool that sends incidents to nofault by webhook."""

    name: str
    label: str
    settings_model: type[SourceSettings]
    default_severity_map: Mapping[str, str]

    def verify(self, headers: Mapping[str, str], body: bytes, settings: SourceSettings) -> None:
        """Raise a `DeliveryRejected` unless the delivery is authentic."""
        ...

    def parse(
        self,
        body: bytes,
        settings: SourceSettings | None = None,
        *,
        received_at: datetime | None = None,
    ) -> list[IncidentEvent]:
        """Return the incident events the body carries; raise `MalformedBody` or `WrongShape`.

        `received_at` is when nofault received the body: the time of an event that carries no
        readable time of its own.
        """
        ...

    def delivery_id(self, headers: Mapping[str, str], body: bytes) -> str:
        """Return an identity that is the same on every redelivery of this delivery."""
        ...


# --- helpers vendors share -------------------------------------------------------------


def header(headers: Mapping[str, str], name: str) -> str | None:
    """Return a header's value, matching its name without regard to case."""
    value = headers.get(name)
    if value is not None:
        return value
    lowered = name.lower()
    for key, val in headers.items():
        if key.lower() == lowered:
            return val
    return None


def check_size(body: bytes, settings: SourceSettings) -> None:
    """Raise `BodyTooLarge` when the body exceeds the source's limit."""
    if len(body) > settings.max_body_bytes:
        raise BodyTooLarge(
            f"body is {len(body)} bytes; this source accepts at most {settings.max_body_bytes}"
        )


def check_token(headers: Mapping[str, str], settings: TokenSettings) -> None:
    """Raise unless the configured header carries the configured token (constant-time)."""
    if not settings.enabled:
        raise SourceDisabled("this source is switched off")
    if settings.token is None:
        if settings.allow_unauthenticated:
            return
        raise SourceDisabled("this source has no token configured")
    value = header(headers, settings.header)
    if value is None:
        raise Unauthenticated(f"missing {settings.header} header")
    expected = settings.token.get_secret_value()
    if settings.header.lower() == "authorization":
        scheme, _, credentials = value.partition(" ")
        wanted = "basic" if settings.username else "bearer"
        if scheme.lower() != wanted or not credentials.strip():
            raise Unauthenticated(f"Authorization must use the {wanted.capitalize()} scheme")
        value = credentials.strip()
        if settings.username:
            expected = base64.b64encode(f"{settings.username}:{expected}".encode()).decode()
    if not hmac.compare_digest(value.encode(), expected.encode()):
        raise Unauthenticated(f"the {settings.header} credential does not match")


def load_json_object(body: bytes) -> dict[str, Any]:
    """Return the body as a JSON object, or raise `MalformedBody` / `WrongShape`."""
    if not body or not body.strip():
        raise MalformedBody("the body is empty")
    try:
        data = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise MalformedBody(f"the body is not UTF-8: {exc.reason}") from exc
    except json.JSONDecodeError as exc:
        raise MalformedBody(f"the body is not JSON: {exc.msg} at line {exc.lineno}") from exc
    except RecursionError as exc:
        raise MalformedBody("the body's JSON is nested too deeply to read") from exc
    except ValueError as exc:  # a number beyond Python's digit limit
        raise MalformedBody(f"the body is not JSON nofault can read: {exc}") from exc
    if not isinstance(data, dict):
        raise WrongShape(f"expected a JSON object, got {type(data).__name__}")
    return data


def validate_shape(model: type[M], data: Mapping[str, Any], source: str) -> M:
    """Validate a payload against a vendor's wire model; raise `WrongShape` naming the fault."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(top)"
        raise WrongShape(f"not a {source} payload: {where}: {first['msg']}") from exc


def needed(value: T | None, where: str) -> T:
    """Return a value the event cannot be applied without; raise `WrongShape` naming it."""
    if value is None or value == "":
        raise WrongShape(f"{where} is missing or unreadable")
    return value


def body_digest(*parts: bytes | str) -> str:
    """Return a short stable digest of the parts (for delivery identities)."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode() if isinstance(part, str) else part)
        digest.update(b"\x00")
    return digest.hexdigest()[:32]


_FRACTION = re.compile(r"(\.\d{1,6})\d*")


def parse_time(value: str | None) -> datetime | None:
    """Return an aware UTC datetime from RFC 3339 text; the Go zero time and empty give None.

    Go tools send nanoseconds, which Python keeps to microseconds; a value without a zone is
    rejected rather than guessed.
    """
    if not value:
        return None
    text = _FRACTION.sub(lambda m: m.group(1), value.strip(), count=1)
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError as exc:
        raise WrongShape(f"not an RFC 3339 time: {value!r}") from exc
    if parsed.tzinfo is None:
        raise WrongShape(f"time without a zone: {value!r}")
    if parsed.year <= 1:
        return None
    return parsed.astimezone(UTC)


def epoch_time(value: int | float) -> datetime:
    """Return an aware UTC datetime from epoch seconds, milliseconds or nanoseconds."""
    number = float(value)
    if number > 1e17:  # nanoseconds
        number /= 1e9
    elif number > 1e14:  # microseconds
        number /= 1e6
    elif number > 1e11:  # milliseconds
        number /= 1e3
    return datetime.fromtimestamp(number, tz=UTC)


def map_severity(
    candidates: Iterable[str | None],
    *,
    vendor_table: Mapping[str, str],
    settings: SourceSettings | None,
) -> tuple[str, str | None]:
    """Return (nofault severity, the raw value it came from), most specific candidate first."""
    table = {k.lower(): v for k, v in vendor_table.items()}
    if settings is not None:
        table.update({k.lower(): v for k, v in settings.severity_map.items()})
    default = settings.default_severity if settings is not None else "SEV3"
    first_raw: str | None = None
    for candidate in candidates:
        if not candidate:
            continue
        raw = str(candidate).strip()
        first_raw = first_raw or raw
        mapped = table.get(raw.lower())
        if mapped is not None:
            return mapped, raw
    return default, first_raw


# Shared by the Prometheus-style sources (Alertmanager, Grafana) whose severity is a label.
LABEL_SEVERITIES: Mapping[str, str] = {
    "critical": "SEV1",
    "page": "SEV1",
    "high": "SEV2",
    "error": "SEV2",
    "major": "SEV2",
    "warning": "SEV3",
    "warn": "SEV3",
    "medium": "SEV3",
    "minor": "SEV4",
    "low": "SEV4",
    "info": "SEV5",
    "informational": "SEV5",
    "none": "SEV5",
}

PRIORITY_SEVERITIES: Mapping[str, str] = {
    f"p{n}": sev for n, sev in enumerate(DEFAULT_SEVERITIES, start=1)
} | {s.lower(): s for s in DEFAULT_SEVERITIES}
