"""Telling the people concerned about review events, by email and Slack, through the worker.

Each event names itself (`event_key`, the same on every retry of the step that raised it),
and one task is queued per event, recipient and channel under that key: a step retried, or
a send retried by the worker, reaches nobody twice; a failed send is retried with backoff
and its task keeps the last error.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from nofault.web.notifications.models import NotificationPreference
from nofault.web.worker.tasks import enqueue_on_commit

SEND_TASK = "notifications.send"
EVENTS = {
    "review_requested": "Review requested",
    "changes_requested": "Changes requested",
    "approved": "Approved",
    "mentioned": "You were mentioned",
    "published": "Published",
    "assigned": "Action item assigned",
    "overdue": "Action item overdue",
}
# "@name" at a word start: a username's characters, bounded, so the scan stays linear.
_MENTION = re.compile(r"(?<![\w@])@([A-Za-z0-9_.+-]{1,150})")


def preference(user: Any) -> NotificationPreference:
    """The person's preferences (email on, Slack off until they choose)."""
    found = NotificationPreference.objects.filter(user=user).first()
    return found or NotificationPreference(user=user)


def preference_set(
    *, user: Any, email: bool, slack: bool, slack_id: str, overdue_as_facilitator: bool = True
) -> None:
    """Set the person's own preferences."""
    slack_id = slack_id.strip()[:40]
    NotificationPreference.objects.update_or_create(
        user=user,
        defaults={
            "email": email,
            "slack": slack,
            "slack_id": slack_id,
            "overdue_as_facilitator": overdue_as_facilitator,
        },
    )


def mentioned_users(text: str) -> list[Any]:
    """The active people a text mentions as @username."""
    names = {m.group(1).rstrip(".") for m in _MENTION.finditer(text)}
    if not names:
        return []
    return list(get_user_model().objects.filter(username__in=names, is_active=True))


def users_named(names: list[str]) -> list[Any]:
    """The active people with these usernames."""
    return list(get_user_model().objects.filter(username__in=set(names), is_active=True))


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def postmortem_authors(postmortem: Any) -> list[Any]:
    """The people who write the postmortem: who started it and its named authors."""
    found = users_named([str(name) for name in postmortem.authors or []])
    return [postmortem.created_by, *found] if postmortem.created_by else found


def review_event_notify(
    *,
    event: str,
    event_key: str,
    postmortem: Any,
    actor: Any,
    recipients: list[Any],
    note: str = "",
) -> None:
    """Queue the event's message to each recipient (never the actor) on their channels.

    An event nobody caused (`actor` None: an item fell overdue) names no one as its author.
    """
    subject = f"{EVENTS[event]}: {postmortem.title}"
    link = settings.NOFAULT_BASE_URL.rstrip("/") + reverse(
        "postmortems:detail", args=[postmortem.pk]
    )
    by = f" by {actor.username}" if getattr(actor, "username", "") else ""
    text = f"{EVENTS[event]}{by}: {postmortem.title}\n{note.strip()[:500]}".strip()
    seen: set[int] = set()
    for user in recipients:
        if user is None or user.pk in seen or user.pk == getattr(actor, "pk", None):
            continue
        seen.add(user.pk)
        chosen = preference(user)
        channels = []
        if chosen.email and user.email:
            channels.append(("email", user.email))
        if chosen.slack and chosen.slack_id:
            channels.append(("slack", chosen.slack_id))
        for channel, address in channels:
            enqueue_on_commit(
                SEND_TASK,
                key=f"{SEND_TASK}:{_digest(event_key)}:{user.pk}:{channel}",
                channel=channel,
                address=address,
                subject=subject,
                text=text,
                link=link,
            )
