"""Chat messages as candidate timeline rows: Slack exports and Web API replies (Slack's own
published samples, read from ../shared), and pasted transcripts in common copy-paste forms."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from nofault.core.chat import (
    ChatReadError,
    slack_api_messages,
    slack_export_channels,
    slack_export_messages,
    transcript_messages,
)
from tests.shared_corpus import shared_folder

SLACK = shared_folder("payloads/slack")


def _zip(folder: Path, root: str = "") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(folder.rglob("*.json")):
            archive.write(path, root + path.relative_to(folder).as_posix())
    return buffer.getvalue()


def _json(name: str) -> dict:
    return json.loads((SLACK / name).read_text())


def test_a_slack_export_reads_one_channels_window_in_utc_with_names() -> None:
    data = _zip(SLACK / "export-sample")
    assert {"enrique", "traveling-sailor"} <= set(slack_export_channels(data))
    day = (SLACK / "export-sample/enrique/2016-01-15.json").read_text()
    raw = [m for m in json.loads(day) if m.get("subtype") is None and m.get("text")]
    start = datetime.fromtimestamp(float(raw[0]["ts"]), tz=UTC)
    messages = slack_export_messages(
        data, channel="enrique", start=start, end=start + timedelta(minutes=5)
    )
    assert messages and messages[0].at == start and messages[0].at.tzinfo is UTC
    assert all(start <= m.at <= start + timedelta(minutes=5) for m in messages)
    assert messages[0].author == "abilinski"  # users.json's display name, not the id
    assert messages[0].text.startswith("what should setup.py do?")
    # Slack's <url> markup is read as the address.
    linked = next(m for m in messages if "setup.py" in m.text and "http" in m.text)
    assert "<" not in linked.text
    row = messages[0].row("slack #enrique")
    assert row.time == start.strftime("%Y-%m-%d %H:%M UTC") and row.text.startswith("abilinski: ")


def test_reacted_messages_are_preselected_and_joins_left_out() -> None:
    data = _zip(SLACK / "export-sample", root="export/")  # zipped with its folder
    messages = slack_export_messages(data, channel="enrique")
    reacted = [m for m in messages if m.reacted]
    assert len(reacted) == 1 and reacted[0].preselected
    assert reacted[0].at == datetime.fromtimestamp(1459154014.000018, tz=UTC)
    assert not any("has joined the channel" in m.text for m in messages)
    with pytest.raises(ChatReadError, match="no channel 'general'"):
        slack_export_messages(data, channel="general")


def test_a_slackdump_export_keeps_thread_replies_and_file_only_messages() -> None:
    data = _zip(SLACK / "export-sample-slackdump")
    messages = slack_export_messages(data, channel="B75B4C7")
    stamps = {m.at.timestamp() for m in messages}
    assert 1736554746.482349 in {round(s, 6) for s in stamps}  # a reply, stored on its own day
    assert not any(round(m.at.timestamp(), 6) == 1736554828.343759 for m in messages)  # tombstone
    assert any(round(m.at.timestamp(), 6) == 1736582524.607359 for m in messages)  # files, no text


def test_not_a_zip_is_a_clear_error() -> None:
    with pytest.raises(ChatReadError, match="not a zip"):
        slack_export_messages(b"PK not really", channel="x")


def test_web_api_history_and_replies_merge_once_with_pins_and_names() -> None:
    users = _json("users.list.response_ok.json")["members"]
    history = _json("conversations.history.response_ok.json")
    replies = _json("conversations.replies.response_ok.json")
    pins = [i["message"]["ts"] for i in _json("pins.list.response_ok.json")["items"]]
    messages = slack_api_messages(
        [history, replies, replies], users=users, channel="C1", pinned=pins
    )
    assert len(messages) == len(history["messages"]) + len(replies["messages"])
    assert [m.at for m in messages] == sorted(m.at for m in messages)
    assert messages[0].text == "island"  # the thread's parent, 2016, before the history page
    with pytest.raises(ChatReadError, match="channel_not_found"):
        slack_api_messages([_json("conversations.history.response_error.json")])


def test_transcripts_in_common_forms_read_in_their_zone() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    text = (
        "[10:42] alice: checkout errors are up\n"
        "  the graph is at 5%\n"
        "bob [10:44]: rolling back the deploy\n"
        "10:50 carol: error rate back to normal\n"
    )
    messages = transcript_messages(text, day=date(2026, 3, 4), zone=berlin)
    assert [(m.at, m.author) for m in messages] == [
        (datetime(2026, 3, 4, 9, 42, tzinfo=UTC), "alice"),
        (datetime(2026, 3, 4, 9, 44, tzinfo=UTC), "bob"),
        (datetime(2026, 3, 4, 9, 50, tzinfo=UTC), "carol"),
    ]
    assert messages[0].text == "checkout errors are up\nthe graph is at 5%"


def test_a_slack_copy_with_am_pm_headers_runs_past_midnight() -> None:
    text = (
        "Dana Reyes  11:58 PM\nThe queue is growing again\nrestarted the db at 11:59\n"
        "Sam  12:03 AM\nQueue drained\n"
    )
    messages = transcript_messages(text, day=date(2026, 1, 31), zone=timezone(timedelta(hours=-5)))
    assert [m.author for m in messages] == ["Dana Reyes", "Sam"]
    assert messages[0].at == datetime(2026, 2, 1, 4, 58, tzinfo=UTC)
    assert messages[1].at == datetime(2026, 2, 1, 5, 3, tzinfo=UTC)
    assert "restarted the db at 11:59" in messages[0].text


def test_a_dated_line_keeps_its_own_date_and_nonsense_names_its_line() -> None:
    (message,) = transcript_messages("2026-05-06 07:08:09 ops-bot: paged", day=date(2020, 1, 1))
    assert message.at == datetime(2026, 5, 6, 7, 8, 9, tzinfo=UTC)
    with pytest.raises(ChatReadError, match="line 1"):
        transcript_messages("nothing here looks like a chat", day=date(2026, 1, 1))
