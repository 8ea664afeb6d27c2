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
