"""The timeline from chat: an incident channel's messages read as candidate rows, and the
ones a person keeps written into the postmortem's timeline.

Messages go nowhere but the postmortem's own source: nothing read here is stored apart from
the rows kept, and nothing is fetched from a message's text.
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from typing import Any

from nofault.core import chat
from nofault.core.document import TimelineEvent
from nofault.core.markdown import parse_text
from nofault.web.api_errors import ServiceError
from nofault.web.postmortems.models import Postmortem
from nofault.web.postmortems.practice import organisation_practice
from nofault.web.postmortems.services import postmortem_save, postmortem_structure_source

MAX_ROWS_KEPT = 500
# A channel's window is read in at most this many pages of 200 messages (and threads), so a
# busy channel costs a bounded number of calls.
MAX_PAGES = 25
MAX_THREADS = 100


def chat_window(postmortem: Postmortem) -> tuple[datetime | None, datetime | None]:
    """The incident's window (start to resolution) that candidate messages are read for."""
    incident = postmortem.incident
    start = incident.started_at or incident.detected_at or incident.created_at
    return start, incident.resolved_at


def slack_export_candidates(
    *, data: bytes, channel: str, start: datetime | None, end: datetime | None
) -> list[chat.ChatMessage]:
    """Read one channel of a Slack export zip for the window; a bad file is a 400."""
    try:
        return chat.slack_export_messages(data, channel=channel.strip().lstrip("#"),
                                          start=start, end=end)  # fmt: skip
    except chat.ChatReadError as exc:
        raise ServiceError(str(exc), reason="invalid_chat") from None


def transcript_candidates(
    *, text: str, day: date, zone: tzinfo, start: datetime | None, end: datetime | None
) -> list[chat.ChatMessage]:
    """Read a pasted transcript for the window; text with no line read is a 400."""
    try:
        return chat.within(chat.transcript_messages(text, day=day, zone=zone), start, end)
    except chat.ChatReadError as exc:
        raise ServiceError(str(exc), reason="invalid_chat") from None


def slack_channel_candidates(
    *, channel: str, start: datetime | None, end: datetime | None
) -> list[chat.ChatMessage]:
    """Read a channel's messages and threads for the window with the Slack bot token.

    `conversations.history` is paged by cursor; each message with replies has its thread read
    by `conversations.replies`; `pins.list` marks pinned ones and `users.list` gives names.
    Only Slack's API address from the settings is called, never an address from a message.
    """
    from slack_sdk.errors import SlackApiError, SlackClientError
    from slack_sdk.web import WebClient

    from nofault.web.integrations.config import notifier_settings
    from nofault.web.integrations.notifiers.slack.settings import SlackSettings

    settings = notifier_settings("slack")
    if not isinstance(settings, SlackSettings) or settings.bot_token is None:
        raise ServiceError("reading a channel needs Slack's bot_token in the settings",
                           reason="not_configured")  # fmt: skip
    channel = channel.strip().lstrip("#")
    if not channel or len(channel) > 80:
        raise ServiceError("name the channel's id (for example C0123ABCD)", reason="invalid")
    client = WebClient(
        token=settings.bot_token.get_secret_value(),
        base_url=settings.api_url,
        timeout=settings.timeout_seconds,
    )
    window: dict[str, Any] = {"channel": channel, "inclusive": True, "limit": 200}
    if start is not None:
        window["oldest"] = f"{start.timestamp():.6f}"
    if end is not None:
        window["latest"] = f"{end.timestamp():.6f}"
    pages: list[dict[str, Any]] = []
    try:
        cursor = None
        for _ in range(MAX_PAGES):
            page = client.conversations_history(**window, cursor=cursor).data
            pages.append(dict(page))  # type: ignore[arg-type]
            cursor = (page.get("response_metadata") or {}).get("next_cursor")  # type: ignore[union-attr]
            if not page.get("has_more") or not cursor:  # type: ignore[union-attr]
                break
        threads = [
            str(m["ts"])
            for p in pages
            for m in p.get("messages") or []
            if m.get("reply_count") and m.get("ts")
        ][:MAX_THREADS]
        for ts in threads:
            pages.append(dict(client.conversations_replies(channel=channel, ts=ts, limit=200).data))  # type: ignore[arg-type]
        pinned = [
            str(item["message"]["ts"])
            for item in client.pins_list(channel=channel).get("items") or []
            if isinstance(item, dict) and isinstance(item.get("message"), dict)
        ]
        users = client.users_list(limit=1000).get("members") or []
    except SlackApiError as exc:
        raise ServiceError(f"Slack answered {exc.response.get('error')}", reason="slack_error",
                           status_code=502) from None  # fmt: skip
    except SlackClientError as exc:
        raise ServiceError(f"Slack could not be reached: {exc}", reason="slack_error",
                           status_code=502) from None  # fmt: skip
    try:
        found = chat.slack_api_messages(pages, users=users, channel=channel, pinned=pinned)
    except chat.ChatReadError as exc:
        raise ServiceError(str(exc), reason="slack_error", status_code=502) from None
    return chat.within(found, start, end)


def _sort_key(row: TimelineEvent, index: int) -> tuple[int, float, int]:
    at = row.at()
    return (0, at.timestamp(), index) if at is not None else (0, float("inf"), index)


def chat_rows_add(
    *, postmortem: Postmortem, actor: Any, base_revision: int, rows: list[TimelineEvent]
) -> Postmortem:
    """Add the kept chat rows to the timeline, in time order with the rows already there."""
    if not rows:
        raise ServiceError("choose at least one message to keep", reason="nothing_chosen")
    if len(rows) > MAX_ROWS_KEPT:
        raise ServiceError(f"keep at most {MAX_ROWS_KEPT} messages at once", reason="too_many")
    aliases = organisation_practice().lint.heading_aliases()
    doc = parse_text(postmortem.source, aliases=aliases).postmortem
    held = list(doc.timeline)
    known = {(r.time, r.text) for r in held}
    merged = held + [r for r in rows if (r.time, r.text) not in known]
    ordered = [r for _, r in sorted(enumerate(merged), key=lambda p: _sort_key(p[1], p[0]))]
    source = postmortem_structure_source(source=postmortem.source, timeline=ordered)
    return postmortem_save(
        postmortem=postmortem,
        actor=actor,
        source=source,
        base_revision=base_revision,
        message=f"added {len(merged) - len(held)} timeline rows from chat",
    )
