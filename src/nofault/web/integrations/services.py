"""Integration services: receive a webhook delivery, and apply its events to incidents.

A delivery is checked (size, signature, shape), then applied and stored in one transaction
that is committed before the view answers 2xx, so an acknowledged delivery survives a crash
right after (one commit per delivery, not three). Applying is idempotent and order-proof (see
`ingest.fold`); when it fails for good, the delivery is stored on its own, `failed`, and
`delivery_process_pending` applies it again, as it does one a crash left `received`. An
authenticated delivery whose needed fields cannot be read is stored `unapplied` with the reason
(still a 2xx) until `delivery_replay`; one refused before authentication is only counted.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Mapping
from dataclasses import fields
from datetime import datetime, timedelta
from typing import Any

from django.core.cache import cache
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import F
from django.utils import timezone

from nofault.web.api_errors import ServiceError
from nofault.web.choices import Role
from nofault.web.incidents.models import Incident
from nofault.web.incidents.services import incident_create, incident_update
from nofault.web.integrations.config import (
    delivery_retention_days,
    rejected_per_minute,
    source_settings,
)
from nofault.web.integrations.ingest import IncidentState, fold, starts_new_episode
from nofault.web.integrations.models import (
    NOT_APPLIED,
    AlertGroup,
    DeliveryStatus,
    RejectedDeliveryCount,
    WebhookDelivery,
)
from nofault.web.integrations.selectors import Episode, latest_episode
from nofault.web.integrations.sources import get_source
from nofault.web.integrations.sources.base import (
    BodyTooLarge,
    DeliveryRejected,
    IncidentEvent,
    SourceDisabled,
    body_digest,
    check_size,
)

log = logging.getLogger(__name__)

SYSTEM_USERNAME = "nofault-integrations"
# Headers worth keeping for inspection; credentials never are.
_KEPT_HEADERS = ("content-type", "user-agent", "x-webhook-id", "x-github-event",
                 "x-github-delivery", "x-pagerduty-signature", "content-length")  # fmt: skip


class UnknownSource(DeliveryRejected):
    """No source plugin has this name."""

    status = 404
    code = "unknown_source"


# The account, kept per process once a commit has shown it exists; looked up again after a
# minute (a role changed in another process), and at once when an account is saved or deleted
# here, after a flush, or after any failure to apply (it may have been deleted elsewhere).
_SYSTEM_ACTOR_SECONDS = 60.0
_system_actor_kept: dict[str, tuple[float, Any]] = {}


def system_actor_forget(**kwargs: Any) -> None:
    """Look the webhooks' account up again next time (a signal receiver)."""
    _system_actor_kept.clear()


def _system_actor() -> Any:
    """Return the account webhooks act as (an author, with no password to log in with)."""
    kept = _system_actor_kept.get(connection.alias)
    if kept is not None and time.monotonic() - kept[0] < _SYSTEM_ACTOR_SECONDS:
        return kept[1]
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    user, _ = user_model.objects.get_or_create(
        username=SYSTEM_USERNAME, defaults={"role": Role.AUTHOR, "is_active": True}
    )
    # Kept only once committed: a rolled-back transaction may take a new account with it.
    alias = connection.alias
    transaction.on_commit(lambda: _system_actor_kept.update({alias: (time.monotonic(), user)}))
    return user


def _delivery_check(
    *, source_name: str, headers: Mapping[str, str], body: bytes
) -> tuple[WebhookDelivery, list[IncidentEvent]]:
    """Return the (unsaved) delivery, refused, unapplied or to apply, and its events.

    A delivery refused before it is authenticated is `rejected` with its 4xx. Once it is
    authenticated it is never refused: a body nofault cannot read (not JSON, nested too
    deeply, a needed field unreadable, or a reader's own fault) is `unapplied` with the
    reason, kept whole and acknowledged, for an admin to replay.
    """
    kept = {k.lower(): v for k, v in headers.items() if k.lower() in _KEPT_HEADERS}
    source = get_source(source_name)
    delivery = WebhookDelivery(source=source_name[:50], headers=kept, body=body)
    events: list[IncidentEvent] = []
    authenticated = False
    try:
        if source is None:
            raise UnknownSource(f"no incident source is called {source_name!r}")
        settings = source_settings(source)
        check_size(body, settings)
        source.verify(headers, body, settings)
        authenticated = True
        delivery.delivery_id = source.delivery_id(headers, body)[:200]
        events = source.parse(body, settings, received_at=delivery.received_at)
    except DeliveryRejected as exc:
        if not authenticated:
            delivery.status, delivery.http_status = DeliveryStatus.REJECTED, exc.status
            delivery.reason = f"{exc.code}: {exc.reason}"[:500]
            delivery.body = b""
            return delivery, []
        _unapplied(delivery, f"{exc.code}: {exc.reason}")
    except Exception as exc:
        if not authenticated:
            raise
        log.exception("reading %s failed", delivery)
        _unapplied(delivery, f"unreadable: {type(exc).__name__}: {exc}")
    return delivery, events


def _unapplied(delivery: WebhookDelivery, reason: str) -> None:
    delivery.status, delivery.http_status = DeliveryStatus.UNAPPLIED, 202
    delivery.reason = reason[:500]
    delivery.incident_keys, delivery.processed_at = [], timezone.now()
    if not delivery.delivery_id:
        delivery.delivery_id = body_digest(bytes(delivery.body))


def delivery_accept(
    *, source_name: str, headers: Mapping[str, str], body: bytes, client: str = ""
) -> WebhookDelivery:
    """Check a delivery, apply it and store it in one commit; a refused one is counted, not kept.

    Whatever applying does (succeeds, fails and is kept `failed` for a retry, or cannot read a
    needed field and is kept `unapplied`), an authenticated delivery is committed before this
    returns, so the view's 2xx always follows a stored delivery. One refused before it was
    authenticated is only counted (`rejection_count`), and answered 429 past the rate limit.
    """
    delivery, events = _delivery_check(source_name=source_name, headers=headers, body=body)
    if delivery.status == DeliveryStatus.REJECTED:
        return rejection_count(delivery=delivery, client=client)
    if delivery.status == DeliveryStatus.UNAPPLIED:
        delivery.save()
        return delivery
    failure = _apply_and_save(delivery, events)
    if failure is not None:
        # Stored on its own, `failed`, for `delivery_process_pending`. If even this fails, the
        # view answers 5xx and the sender sends the delivery again.
        delivery.status = DeliveryStatus.FAILED
        delivery.reason = f"{type(failure).__name__}: {failure}"[:500]
        delivery.incident_keys, delivery.processed_at = [], timezone.now()
        delivery.save()
    return delivery


class RateLimited(DeliveryRejected):
    """Too many refused deliveries from one address to one webhook."""

    status = 429
    code = "rate_limited"


def rejection_count(*, delivery: WebhookDelivery, client: str) -> WebhookDelivery:
    """Count a delivery refused before authentication; past the rate limit, answer 429 instead.

    Only the count per source, reason and day is stored, with the latest sender and detail,
    so unauthenticated senders cannot fill the database. The limit counts refusals per
    source and client address in the cache (per process with the default local cache), and a
    sender past it costs no database write at all.
    """
    code, _, detail = delivery.reason.partition(": ")
    limit = rejected_per_minute()
    window = int(time.time() // 60)
    key = f"nofault:webhook-refused:{delivery.source}:{client}:{window}"
    try:
        cache.add(key, 0, timeout=120)
        refused = cache.incr(key)
    except ValueError:  # evicted between add and incr
        refused = 1
    except Exception:  # a shared cache that is down: count without limiting meanwhile
        log.warning("the cache is unreachable: refused deliveries are not rate-limited")
        refused = 1
    if refused > limit:
        delivery.http_status = RateLimited.status
        delivery.reason = f"{RateLimited.code}: more than {limit} refused deliveries a minute"
        return delivery
    now = timezone.now()
    values = {"last_at": now, "last_client": client[:64], "last_detail": detail[:200]}
    match = {"source": delivery.source, "reason": code[:50], "day": now.date()}
    counted = RejectedDeliveryCount.objects.filter(**match)
    if not counted.update(count=F("count") + 1, **values):
        try:
            with transaction.atomic():
                RejectedDeliveryCount.objects.create(**match, **values, count=1)
        except IntegrityError:  # another request counted the first one meanwhile
            counted.update(count=F("count") + 1, **values)
    return delivery


_ATTEMPTS = 5
# Deadlock detected, serialization failure: the transaction is safe to run again.
_RETRY_SQLSTATES = {"40P01", "40001"}
_OUTCOME = ["status", "reason", "processed_at", "incident_keys"]
# What the cron run applies again by itself; an unapplied delivery waits for a replay.
_PENDING = (DeliveryStatus.RECEIVED, DeliveryStatus.FAILED)


def _apply_and_save(delivery: WebhookDelivery, events: list[IncidentEvent]) -> Exception | None:
    """Apply the events and save the delivery in one transaction; return why it failed, if it did.

    A conflict (another request created the alert group's incident first, or the database
    broke a deadlock by cancelling this transaction) runs the whole transaction again.
    """
    stored = delivery.pk is not None
    for attempt in range(_ATTEMPTS):
        try:
            with transaction.atomic():
                _events_apply(delivery, events)
                delivery.save(update_fields=_OUTCOME if stored else None)
            return None
        except Exception as exc:
            _system_actor_kept.clear()
            if not stored:
                delivery.pk = None  # its insert was rolled back: the next save inserts again
            if not _retryable(exc) or attempt == _ATTEMPTS - 1:
                log.error("applying %s failed", delivery, exc_info=exc)
                return exc
            time.sleep(random.uniform(0, 0.002 * (attempt + 1)))
    raise AssertionError("unreachable")


def _retryable(exc: Exception) -> bool:
    if isinstance(exc, IntegrityError):
        return True
    if isinstance(exc, ServiceError):
        return getattr(exc, "reason", "") == "duplicate_key"
    if isinstance(exc, OperationalError):
        return getattr(exc.__cause__, "sqlstate", None) in _RETRY_SQLSTATES
    return False


TRACKER_PREFIX = "tracker:"
TRACKER_BODY_LIMIT = 5 * 1024 * 1024


def tracker_delivery_receive(
    *, tracker_name: str, headers: Mapping[str, str], body: bytes, client: str = ""
) -> WebhookDelivery:
    """Check and store a tracker's webhook delivery (issue closed or reopened), like a source's."""
    from nofault.web.integrations.config import tracker_settings
    from nofault.web.integrations.trackers import get_tracker

    kept = {k.lower(): v for k, v in headers.items() if k.lower() in _KEPT_HEADERS}
    name = f"{TRACKER_PREFIX}{tracker_name}"[:50]
    delivery = WebhookDelivery(source=name, headers=kept, body=body)
    tracker = get_tracker(tracker_name)
    authenticated = False
    try:
        if tracker is None:
            raise UnknownSource(f"no tracker is called {tracker_name!r}")
        settings = tracker_settings(tracker_name)
        if settings is None:
            raise SourceDisabled(f"the {tracker_name} tracker is not configured")
        if len(body) > TRACKER_BODY_LIMIT:
            raise BodyTooLarge("a tracker webhook is limited to 5 MiB")
        tracker.verify_webhook(headers, body, settings)
        authenticated = True
        delivery.delivery_id = str(
            headers.get("X-GitHub-Delivery") or headers.get("X-Atlassian-Webhook-Identifier") or ""
        )[:200]
        tracker.parse_webhook(headers, body)  # an unreadable body is kept unapplied, not lost
    except DeliveryRejected as exc:
        if not authenticated:
            delivery.status, delivery.http_status = DeliveryStatus.REJECTED, exc.status
            delivery.reason = f"{exc.code}: {exc.reason}"[:500]
            return rejection_count(delivery=delivery, client=client)
        _unapplied(delivery, f"{exc.code}: {exc.reason}")
    except Exception as exc:
        if not authenticated:
            raise
        log.exception("reading %s failed", delivery)
        _unapplied(delivery, f"unreadable: {type(exc).__name__}: {exc}")
    delivery.save()
    return delivery


def _tracker_delivery_apply(delivery: WebhookDelivery) -> None:
    from nofault.web.integrations.flows import tracker_change_apply
    from nofault.web.integrations.trackers import get_tracker

    tracker = get_tracker(delivery.source.removeprefix(TRACKER_PREFIX))
    assert tracker is not None
    changes = tracker.parse_webhook(delivery.headers, bytes(delivery.body))
    try:
        linked = [tracker_change_apply(change=c, actor=_system_actor()) for c in changes]
    except Exception:
        _system_actor_kept.clear()
        raise
    refs = [link.action_item.key for link in linked if link is not None]
    delivery.incident_keys = refs
    delivery.status = DeliveryStatus.PROCESSED if refs else DeliveryStatus.IGNORED


def delivery_process(*, delivery: WebhookDelivery, replay: bool = False) -> WebhookDelivery:
    """Apply a stored delivery's events to incidents; applying it twice changes nothing.

    A `received` or `failed` delivery is applied; with `replay`, an `unapplied` one too. One
    whose needed fields are still unreadable stays `unapplied` with the reason of now.
    """
    allowed = (DeliveryStatus.RECEIVED, *NOT_APPLIED) if replay else _PENDING
    if delivery.status not in allowed:
        return delivery
    if delivery.source.startswith(TRACKER_PREFIX):
        try:
            _tracker_delivery_apply(delivery)
        except DeliveryRejected as exc:
            _unapplied(delivery, f"{exc.code}: {exc.reason}")
        except Exception as exc:  # kept and retried, like a source's delivery
            log.exception("applying %s failed", delivery)
            delivery.status = DeliveryStatus.FAILED
            delivery.reason = f"{type(exc).__name__}: {exc}"[:500]
        delivery.processed_at = timezone.now()
        delivery.save(update_fields=_OUTCOME)
        return delivery
    source = get_source(delivery.source)
    failure: Exception | None = None
    try:
        if source is None:
            raise UnknownSource(f"no incident source is called {delivery.source!r}")
        events = source.parse(
            bytes(delivery.body), source_settings(source), received_at=delivery.received_at
        )
    except DeliveryRejected as exc:
        _unapplied(delivery, f"{exc.code}: {exc.reason}")
        delivery.save(update_fields=_OUTCOME)
        return delivery
    except Exception as exc:  # kept and retried: an acknowledged delivery is never dropped
        failure = exc
    else:
        failure = _apply_and_save(delivery, events)
    if failure is not None:
        delivery.status = DeliveryStatus.FAILED
        delivery.reason = f"{type(failure).__name__}: {failure}"[:500]
        delivery.processed_at = timezone.now()
        delivery.save(update_fields=_OUTCOME)
    return delivery


def delivery_replay(
    *, source: str | None = None, pk: int | None = None, limit: int = 10_000
) -> list[WebhookDelivery]:
    """Apply again the deliveries not applied (unapplied or failed), oldest first; return them.

    After an upgrade that reads a field an older release could not, this applies what was
    kept; a delivery still unreadable stays unapplied with the reason of now.
    """
    chosen = WebhookDelivery.objects.filter(status__in=NOT_APPLIED)
    if source:
        chosen = chosen.filter(source=source)
    if pk is not None:
        chosen = chosen.filter(pk=pk)
    replayed = list(chosen.order_by("received_at", "id")[:limit])
    for delivery in replayed:
        delivery_process(delivery=delivery, replay=True)
    return replayed


def _events_apply(delivery: WebhookDelivery, events: list[IncidentEvent]) -> None:
    """Apply the events in the caller's transaction and set the delivery's outcome (unsaved)."""
    if not events:
        delivery.status = DeliveryStatus.IGNORED
    else:
        # The first read also says whether this delivery was applied before.
        latest, duplicate = latest_episode(events[0], delivery)
        keys = [_apply(events[0], latest)]
        for event in events[1:]:
            keys.append(_apply(event, latest_episode(event)[0]))
        delivery.incident_keys = keys
        delivery.status = DeliveryStatus.DUPLICATE if duplicate else DeliveryStatus.PROCESSED
    delivery.processed_at = timezone.now()


def deliveries_prune(*, days: int | None = None) -> tuple[int, int]:
    """Delete applied deliveries and refusal counts older than the retention; return both counts.

    Unapplied and failed deliveries are kept whatever their age: they are not applied yet.
    """
    cutoff = timezone.now() - timedelta(days=days or delivery_retention_days())
    old = WebhookDelivery.objects.filter(received_at__lt=cutoff).exclude(
        status__in=(*NOT_APPLIED, DeliveryStatus.RECEIVED)
    )
    deliveries, _ = old.delete()
    counts, _ = RejectedDeliveryCount.objects.filter(day__lt=cutoff.date()).delete()
    return deliveries, counts


def delivery_process_pending(*, limit: int = 1000) -> int:
    """Apply deliveries a crash or an error left unapplied; return how many were tried."""
    pending = WebhookDelivery.objects.filter(status__in=_PENDING).order_by("received_at", "id")[
        :limit
    ]
    count = 0
    for delivery in pending:
        delivery_process(delivery=delivery)
        count += 1
    return count


def _apply(event: IncidentEvent, latest: Episode | None) -> str:
    """Apply one event to its incident and its alert group; return the incident's key."""
    if latest is not None:
        if not starts_new_episode(latest.state, event):
            new = fold(latest.state, event)
            if new == latest.state:
                return latest.incident.key  # resent, or older than what is held
            _incident_sync(latest.incident, new)
            AlertGroup.objects.filter(pk=latest.group_id).update(
                state=_dump_state(new), updated_at=timezone.now()
            )
            return latest.incident.key
        episode = latest.number + 1
    else:
        episode = 0
    state = fold(None, event)
    incident = incident_create(
        actor=_system_actor(),
        **_incident_fields(state),
        source=event.source,
        external_id=event.dedup_key[:200],
    )
    # The group's unique episode refuses a second insert by a concurrent delivery
    # (IntegrityError: the whole transaction runs again).
    AlertGroup.objects.create(source=event.source, dedup_key=event.dedup_key, episode=episode,
                              incident=incident, state=_dump_state(state))  # fmt: skip
    return incident.key


def _incident_fields(state: IncidentState) -> dict[str, Any]:
    severity = state.severity or "SEV3"
    return {
        "title": (state.title or f"{state.source} alert {state.dedup_key}")[:300],
        "severity": severity,
        "status": state.effective_status.value,
        "services": _names_bounded(state.services),
        "started_at": state.started_at,
        "resolved_at": state.resolved_at,
        "responders": [{"name": n, "role": "responder"} for n in _names_bounded(state.responders)],
    }


# An incident's services are indexed in one column of 1,000 characters (",a,b,"): a sender's
# names are cut to a name's length and as many kept as fit, so no name can fail the write.
_NAME_LENGTH, _NAMES_LENGTH = 100, 900


def _names_bounded(names: tuple[str, ...]) -> list[str]:
    kept: list[str] = []
    used = 0
    for name in names:
        name = name.strip()[:_NAME_LENGTH].strip()
        if not name or name in kept or used + len(name) + 1 > _NAMES_LENGTH:
            continue
        kept.append(name)
        used += len(name) + 1
    return kept


def _incident_sync(incident: Incident, state: IncidentState) -> None:
    fields = _incident_fields(state)
    changes = {k: v for k, v in fields.items() if getattr(incident, k) != v}
    if changes:
        incident_update(incident=incident, actor=_system_actor(), **changes)


_STATE_FIELDS = tuple(f.name for f in fields(IncidentState))


def _dump_state(state: IncidentState) -> dict[str, Any]:
    data = {name: getattr(state, name) for name in _STATE_FIELDS}  # flat: no deep copy needed
    for key, value in data.items():
        if isinstance(value, datetime):
            data[key] = value.isoformat()
        elif isinstance(value, tuple):
            data[key] = list(value)
    return data
