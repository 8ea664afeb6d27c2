"""An incident channel's messages as candidate timeline rows: Slack exports, Slack Web API
replies and pasted transcripts, read into one shape, times in UTC.

Pure Python: nothing here fetches anything. A reader keeps the messages within a window;
pinned and reacted messages are marked preselected (the ones a channel singled out).
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any

from nofault.core.document import TimelineEvent

MAX_EXPORT_BYTES = 200 * 1024 * 1024  # uncompressed, across the files read
MAX_EXPORT_FILES = 20_000
MAX_TEXT = 500  # characters of a message kept in its row

# Messages that say nothing about the incident: joins, leaves, topic and bot plumbing.
_SKIPPED_SUBTYPES = frozenset(
    {
        "channel_join",
        "channel_leave",
        "channel_topic",
        "channel_purpose",
        "channel_name",
        "bot_add",
        "bot_remove",
        "group_join",
        "group_leave",
        "tombstone",
    }
)
_MENTION = re.compile(r"<([@#!])([A-Za-z0-9_^-]{1,40})(?:\|([^<>]{0,200}))?>")
_LINK = re.compile(r"<((?:https?|mailto):[^<>|\s]{1,2000})(?:\|([^<>]{0,500}))?>")
_DAY_FILE = re.compile(r"^(?:(?P<channel>[^/]+)/)?(?P<day>\d{4}-\d{2}-\d{2})\.json$")


class ChatReadError(ValueError):
    """A chat file or text that cannot be read; the message names where and what."""


@dataclass(frozen=True)
class ChatMessage:
    """One message of an incident channel: when (UTC), who, what, and whether it stood out."""

    at: datetime
    author: str
    text: str
    channel: str = ""
    pinned: bool = False
    reacted: bool = False

    @property
    def preselected(self) -> bool:
        """Tell whether the channel singled the message out (pinned or reacted to)."""
        return self.pinned or self.reacted

    def row(self, source: str) -> TimelineEvent:
        """Return the message as a timeline row, its time in UTC."""
        text = " ".join(self.text.split())
        if len(text) > MAX_TEXT:
            text = text[: MAX_TEXT - 1] + "…"
        who = f"{self.author}: " if self.author else ""
        return TimelineEvent(
            time=self.at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            text=f"{who}{text}",
            source=source,
        )


def within(
    messages: Iterable[ChatMessage], start: datetime | None, end: datetime | None
) -> list[ChatMessage]:
    """Return the messages from `start` to `end` (either open), oldest first."""
    kept = [
        m for m in messages if (start is None or m.at >= start) and (end is None or m.at <= end)
    ]
    return sorted(kept, key=lambda m: m.at)


# --- Slack -----------------------------------------------------------------------------


def _slack_time(ts: Any) -> datetime | None:
    try:
        return datetime.fromtimestamp(float(str(ts)), tz=UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def _user_names(users: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    names = {}
    for user in users:
        if not isinstance(user, Mapping) or not user.get("id"):
            continue
        profile = user.get("profile") if isinstance(user.get("profile"), Mapping) else {}
        name = (
            (profile or {}).get("display_name")
            or (profile or {}).get("real_name")
            or user.get("real_name")
            or user.get("name")
        )
        if name:
            names[str(user["id"])] = str(name)
    return names


def slack_text(text: str, names: Mapping[str, str]) -> str:
    """Return Slack's mrkdwn as plain text: mentions by name, links by their label or address."""

    def mention(m: re.Match[str]) -> str:
        sigil, ident, label = m.group(1), m.group(2), m.group(3)
        if sigil == "@":
            return "@" + (label or names.get(ident, ident))
        if sigil == "#":
            return "#" + (label or ident)
        return "@" + (label or ident.split("^")[0])

    text = _MENTION.sub(mention, text)
    text = _LINK.sub(lambda m: m.group(2) or m.group(1), text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def slack_message(
    raw: Mapping[str, Any], names: Mapping[str, str], channel: str = ""
) -> ChatMessage | None:
    """Read one Slack message object (export or Web API); None for one that says nothing."""
    if not isinstance(raw, Mapping) or raw.get("subtype") in _SKIPPED_SUBTYPES:
        return None
    at = _slack_time(raw.get("ts"))
    if at is None:
        return None
    text = str(raw.get("text") or "")
    if not text.strip():
        parts = [
            str(a.get("fallback") or a.get("text") or "")
            for a in raw.get("attachments") or []
            if isinstance(a, Mapping)
        ]
        parts += [
            str(f.get("title") or f.get("name") or "")
            for f in raw.get("files") or []
            if isinstance(f, Mapping)
        ]
        text = " ".join(p for p in parts if p)
    if not text.strip():
        return None
    user = str(raw.get("user") or "")
    author = names.get(user) or str(raw.get("username") or "") or user
    bot = raw.get("bot_profile")
    if not author and isinstance(bot, Mapping):
        author = str(bot.get("name") or "")
    reactions = raw.get("reactions")
    return ChatMessage(
        at=at,
        author=author,
        text=slack_text(text, names),
        channel=channel,
        pinned=bool(raw.get("pinned_to")) or bool(raw.get("is_pinned")),
        reacted=bool(reactions) and isinstance(reactions, list),
    )


def slack_api_messages(
    pages: Iterable[Mapping[str, Any]],
    *,
    users: Iterable[Mapping[str, Any]] = (),
    channel: str = "",
    pinned: Iterable[str] = (),
) -> list[ChatMessage]:
    """Read `conversations.history` and `conversations.replies` replies into messages.

    `pinned` names the `ts` of pinned messages (from `pins.list`); a reply that is not
    `ok` raises ChatReadError with Slack's error.
    """
    names = _user_names(users)
    pins = set(pinned)
    seen: dict[str, ChatMessage] = {}
    for page in pages:
        if not page.get("ok"):
            raise ChatReadError(f"Slack answered {page.get('error') or 'not ok'}")
        for raw in page.get("messages") or []:
            message = slack_message(raw, names, channel)
            if message is None:
                continue
            ts = str(raw.get("ts"))
            if ts in pins and not message.pinned:
                message = ChatMessage(**{**message.__dict__, "pinned": True})
            seen.setdefault(ts, message)
    return sorted(seen.values(), key=lambda m: m.at)


def _read_json(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: list[int]) -> Any:
    budget[0] -= info.file_size
    if budget[0] < 0:
        raise ChatReadError(
            f"the export is larger than {MAX_EXPORT_BYTES // 2**20} MB uncompressed"
        )
    with archive.open(info) as handle:
        data = handle.read(info.file_size + 1)
    if len(data) > info.file_size:
        raise ChatReadError(f"{info.filename}: larger than the archive says")
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ChatReadError(f"{info.filename}: not JSON: {exc}") from None


def slack_export_channels(data: bytes) -> list[str]:
    """Return the channel folders of a Slack export zip, in name order."""
    return sorted({c for c, _ in _day_files(_open(data))})


def _open(data: bytes) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise ChatReadError(f"not a zip archive: {exc}") from None
    if len(archive.infolist()) > MAX_EXPORT_FILES:
        raise ChatReadError(f"the export has more than {MAX_EXPORT_FILES} files")
    return archive


def _strip_root(name: str) -> str:
    # An export zipped with its folder has one more level: "export/channel/day.json".
    parts = name.split("/")
    return "/".join(parts[1:]) if len(parts) == 3 else name


def _day_files(archive: zipfile.ZipFile) -> list[tuple[str, zipfile.ZipInfo]]:
    found = []
    for info in archive.infolist():
        m = _DAY_FILE.match(_strip_root(info.filename))
        if m and m["channel"]:
            found.append((m["channel"], info))
    return found


def slack_export_messages(
    data: bytes,
    *,
    channel: str,
    start: datetime | None = None,
    end: datetime | None = None,
) -> list[ChatMessage]:
    """Read one channel of a Slack export zip (one JSON file per channel and day).

    Only the days that can hold the window are read; names come from `users.json`.
    """
    archive = _open(data)
    budget = [MAX_EXPORT_BYTES]
    names: dict[str, str] = {}
    for info in archive.infolist():
        if _strip_root(info.filename) == "users.json":
            users = _read_json(archive, info, budget)
            names = _user_names(users if isinstance(users, list) else [])
    # A day either side: a day file is named by the exporting workspace's own date.
    first = start.date() - timedelta(days=1) if start and start.date() > date.min else date.min
    last = end.date() + timedelta(days=1) if end and end.date() < date.max else date.max
    messages: list[ChatMessage] = []
    files = [(c, i) for c, i in _day_files(archive) if c == channel]
    if not files:
        raise ChatReadError(f"the export has no channel {channel!r}")
    for _, info in files:
        m = _DAY_FILE.match(_strip_root(info.filename))
        day = date.fromisoformat(m["day"]) if m else None
        if day is None or not first <= day <= last:
            continue
        rows = _read_json(archive, info, budget)
        if not isinstance(rows, list):
            raise ChatReadError(f"{info.filename}: expected a list of messages")
        messages += [x for raw in rows if (x := slack_message(raw, names, channel))]
    return within(messages, start, end)


# --- pasted transcripts ----------------------------------------------------------------

# "[10:42] alice: text", "[10:42 AM] alice: text", "alice [10:42]: text", "10:42 alice: text",
# "2026-03-04 10:42:07 alice: text", and Slack's copy: "alice  10:42 AM" then the text lines.
_TIME = r"(?P<time>(?:\d{4}-\d{2}-\d{2}[ T])?\d{1,2}:\d{2}(?::\d{2})?(?:\s?[AaPp]\.?[Mm]\.?)?)"
_NAME = r"(?P<name>[^\s:\[\]][^:\[\]\n]{0,60}?)"
_LINE_FORMS = (
    re.compile(rf"^\[{_TIME}\]\s*{_NAME}\s*:\s?(?P<text>.*)$"),
    re.compile(rf"^{_NAME}\s*\[{_TIME}\]\s*:?\s?(?P<text>.*)$"),
    re.compile(rf"^{_TIME}\s+{_NAME}\s*:\s?(?P<text>.*)$"),
)
# A header line's name is at most three words, so a text line ending in a time ("restarted
# the db at 10:42") is not read as a new message.
_HEADER = re.compile(
    rf"^(?P<name>[^\s:\[\]]{{1,40}}(?: [^\s:\[\]]{{1,40}}){{0,2}})\s{{1,4}}{_TIME}$"
)


def _clock(text: str, day: date, zone: tzinfo) -> datetime | None:
    text = text.strip().upper().replace(".", "")
    when = day
    if len(text) > 10 and text[4] == "-":
        try:
            when = date.fromisoformat(text[:10])
        except ValueError:
            return None
        text = text[11:].strip()
    suffix = text[-2:] if text.endswith(("AM", "PM")) else ""
    parts = text.removesuffix(suffix).strip().split(":")
    try:
        hour, minute = int(parts[0]), int(parts[1])
        second = int(parts[2]) if len(parts) > 2 else 0
    except (ValueError, IndexError):
        return None
    if suffix:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if suffix == "PM" else 0)
    if not (0 <= hour < 24 and 0 <= minute < 60 and 0 <= second < 60):
        return None
    return datetime(when.year, when.month, when.day, hour, minute, second, tzinfo=zone)


def transcript_messages(text: str, *, day: date, zone: tzinfo = UTC) -> list[ChatMessage]:
    """Read a pasted transcript, its clock times on `day` in `zone` (a date in a line wins).

    Lines without a time continue the message above. A time earlier than the one before
    moves to the next day (a transcript that runs past midnight). A text with no line
    read raises ChatReadError naming the first line.
    """
    messages: list[ChatMessage] = []
    current: dict[str, Any] | None = None
    previous: datetime | None = None
    first_line = ""

    def flush() -> None:
        if current and (current["text"].strip()):
            messages.append(ChatMessage(at=current["at"], author=current["name"],
                                        text=current["text"].strip()))  # fmt: skip

    for raw_line in text.splitlines():
        line = raw_line.strip()
        if not line:
            continue
        first_line = first_line or line
        found = None
        for form in _LINE_FORMS:
            if m := form.match(line):
                found = (m["time"], m["name"], m["text"])
                break
        if found is None and (m := _HEADER.match(line)):
            found = (m["time"], m["name"], "")
        at = _clock(found[0], day, zone) if found else None
        if found and at is not None:
            if previous is not None and at < previous and len(found[0].strip()) <= 11:
                while at < previous:
                    at += timedelta(days=1)
            previous = at
            flush()
            current = {"at": at, "name": found[1].strip(), "text": found[2]}
        elif current is not None:
            current["text"] += "\n" + line
    flush()
    if not messages and first_line:
        raise ChatReadError(
            f"line 1: no time and name read from {first_line[:80]!r} "
            "(expected, for example, '[10:42] alice: text')"
        )
    return [ChatMessage(at=m.at.astimezone(UTC), author=m.author, text=m.text) for m in messages]
