"""Tracker sync: an action item out to Jira or GitHub, and the issue's close or reopen back.

Sending is idempotent end to end: one `TrackerLink` per action item (a unique row, so two
clicks make one link), and the link's key is written into the issue, which the tracker client
looks up before every create (so a retry after a timeout or a 5xx that did write finds the
first issue instead of opening a second). A tracker that cannot be reached leaves the link
`pending`; `tracker_links_retry_pending` (run by `nofault remind`) tries it again later.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import httpx
from django.db import IntegrityError, transaction
from django.utils import timezone

from nofault.web.actions import services as action_services
from nofault.web.actions.models import ActionItem
from nofault.web.api_errors import NotAllowedError, ServiceError
from nofault.web.choices import Role
from nofault.web.integrations.config import base_url, configured_trackers, tracker_settings
from nofault.web.integrations.http import IntegrationError, RetryPolicy
from nofault.web.integrations.models import TrackerLink, TrackerLinkStatus
from nofault.web.integrations.trackers import get_tracker
from nofault.web.integrations.trackers.base import IssueRequest, IssueState, IssueStatusChange

log = logging.getLogger(__name__)


class TrackerUnavailable(ServiceError):
    """No tracker is configured under that name."""

    reason = "tracker_unavailable"


# Tests swap these to run against local stand-ins without real waits.
RETRY_POLICY: RetryPolicy | None = None
SLEEP: Callable[[float], None] | None = None
TRANSPORT: httpx.BaseTransport | None = None


def tracker_key(item: ActionItem) -> str:
    """Return the key that ties an issue to this action item (written into the issue)."""
    return f"nofault-ai-{item.pk}"


def _issue_request(item: ActionItem, key: str) -> IssueRequest:
    pm = item.postmortem
    incident = pm.incident
    lines = [
        item.text,
        "",
        f"Action item {item.key} from the postmortem of {incident.key}: "
        f"{pm.title or incident.title}",
    ]
    if item.owner:
        lines.append(f"Owner: {item.owner}" + (f" ({item.person})" if item.person else ""))
    if item.type:
        lines.append(f"Type: {item.type}")
    if item.factors:
        lines.append("Addresses contributing factors: " + ", ".join(item.factors))
    root = base_url()
    return IssueRequest(
        key=key,
        title=f"[{incident.key}] {item.text}"[:250],
        body="\n".join(lines),
        due=item.due,
        link=f"{root}/postmortems/{pm.pk}/" if root else None,
    )


def _connect(name: str) -> Any:
    tracker = get_tracker(name)
    settings = tracker_settings(name)
    if tracker is None or settings is None:
        raise TrackerUnavailable(f"no tracker called {name!r} is configured", status_code=400)
    return tracker.connect(settings, policy=RETRY_POLICY, sleep=SLEEP, transport=TRANSPORT)


def action_item_send_to_tracker(
    *, item: ActionItem, actor: Any, tracker: str | None = None
) -> TrackerLink:
    """Open the item's issue in the tracker (once, however often asked) and store its link."""
    if not actor.has_role(Role.AUTHOR):
        raise NotAllowedError("viewers cannot send action items to a tracker")
    names = configured_trackers()
    name = tracker or (names[0] if names else "")
    if name not in names:
        raise TrackerUnavailable(
            f"no tracker called {name!r} is configured" if name else "no tracker is configured"
        )
    try:
        link, _ = TrackerLink.objects.get_or_create(
            action_item=item,
            defaults={"tracker": name, "key": tracker_key(item), "requested_by": actor},
        )
    except IntegrityError:  # a concurrent click made it first
        link = TrackerLink.objects.get(action_item=item)
    if link.tracker != name and link.status == TrackerLinkStatus.LINKED:
        raise ServiceError(
            f"{item.key} is already linked to {link.tracker} ({link.ref})",
            reason="already_linked",
            status_code=409,
        )
    if link.status == TrackerLinkStatus.LINKED:
        return link
    link.tracker = name
    return tracker_link_push(link=link)


def tracker_link_push(*, link: TrackerLink) -> TrackerLink:
    """Try to open the link's issue now; a failure is recorded on the link, not raised."""
    link.attempts += 1
    client = _connect(link.tracker)
    try:
        issue = client.create_issue(_issue_request(link.action_item, link.key))
    except IntegrationError as exc:
        link.last_error = str(exc)[:500]
        link.status = TrackerLinkStatus.PENDING if exc.retryable else TrackerLinkStatus.FAILED
        log.warning("sending %s to %s failed: %s", link.action_item, link.tracker, exc)
    else:
        link.status = TrackerLinkStatus.LINKED
        link.ref, link.url = issue.ref[:200], issue.url[:500]
        link.issue_state = issue.state.value
        link.last_error = ""
    finally:
        client.close()
    link.save()
    return link


def tracker_links_retry_pending(*, limit: int = 100) -> int:
    """Try again the links a tracker outage left pending; return how many were tried."""
    pending = TrackerLink.objects.filter(status=TrackerLinkStatus.PENDING).select_related(
        "action_item__postmortem__incident"
    )[:limit]
    count = 0
    for link in pending:
        try:
            tracker_link_push(link=link)
        except TrackerUnavailable as exc:
            link.last_error = str(exc)[:500]
            link.save(update_fields=["last_error", "updated_at"])
        count += 1
    return count


def tracker_change_apply(*, change: IssueStatusChange, actor: Any) -> TrackerLink | None:
    """Close or reopen the action item an issue belongs to; an older change never wins."""
    with transaction.atomic():
        link = (
            TrackerLink.objects.select_for_update()
            .filter(tracker=change.tracker, ref=change.ref)
            .select_related("action_item__postmortem")
            .first()
        )
        if link is None:
            return None
        when = change.occurred_at or timezone.now()
        if link.issue_state_at is not None and when < link.issue_state_at:
            return link  # a delayed delivery about an earlier state
        link.issue_state, link.issue_state_at = change.state.value, when
        link.save(update_fields=["issue_state", "issue_state_at", "updated_at"])
        item = link.action_item
        if change.state is IssueState.CLOSED and item.is_open:
            action_services.action_item_set_status(item=item, actor=actor, status="done")
        elif change.state is IssueState.OPEN and not item.is_open:
            action_services.action_item_set_status(item=item, actor=actor, status="open")
    return link
