"""The chat page: a Slack export (Slack's published sample) or a pasted transcript becomes
candidate rows for the incident's window, and the chosen ones join the timeline in time order."""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from nofault.core.markdown import parse_text
from tests.integrations.standins import Recorded, StandIn, published
from tests.shared_corpus import shared_folder
from tests.web.factories import make_incident, make_postmortem

pytestmark = pytest.mark.django_db

EXPORT = shared_folder("payloads/slack/export-sample")


def _export_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(EXPORT.rglob("*.json")):
            archive.write(path, path.relative_to(EXPORT).as_posix())
    return buffer.getvalue()


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _keep(client: Client, page: str, pm: Any, chosen: list[int]) -> Any:
    data: dict[str, Any] = {"step": "keep", "base_revision": pm.revision, "keep": chosen}
    rows = re.findall(r'name="(time|text|source)_(\d+)" value="([^"]*)"', page)
    for field, index, value in rows:
        data[f"{field}_{index}"] = (
            value.replace("&#x27;", "'").replace("&quot;", '"').replace("&amp;", "&")
        )
    data["count"] = len(rows) // 3
    return client.post(f"/postmortems/{pm.pk}/chat/", data)


def test_three_rows_from_a_slack_export_join_the_timeline(author: Any) -> None:
    incident = make_incident(
        author,
        title="Executor setup",
        severity="SEV2",
        started_at=datetime(2016, 1, 15, 8, 0, tzinfo=UTC),
        resolved_at=datetime(2016, 1, 15, 9, 0, tzinfo=UTC),
    )
    pm = make_postmortem(author, incident)
    client = _client(author)
    assert client.get(f"/postmortems/{pm.pk}/chat/").status_code == 200
    upload = SimpleUploadedFile("export.zip", _export_zip(), content_type="application/zip")
    read = client.post(
        f"/postmortems/{pm.pk}/chat/",
        {"step": "read", "mode": "export", "channel": "#enrique", "export": upload},
    )
    assert read.status_code == 200, read.content[:500]
    page = read.content.decode()
    times = re.findall(r'name="time_\d+" value="([^"]*)"', page)
    assert len(times) >= 3 and all(t.startswith("2016-01-15 08:") for t in times)
    assert "abilinski: what should setup.py do?" in page
    before = len(parse_text(pm.source).postmortem.timeline)
    kept = _keep(client, page, pm, [0, 1, 2])
    assert kept.status_code == 302
    pm.refresh_from_db()
    rows = parse_text(pm.source).postmortem.timeline
    chat_rows = [r for r in rows if r.source == "slack #enrique"]
    assert len(chat_rows) == 3 and len(rows) == before + 3
    assert chat_rows[0].text.startswith("abilinski: what should setup.py do?")
    assert pm.revisions.order_by("-number").first().message == "added 3 timeline rows from chat"


def test_a_pasted_transcript_in_its_zone_and_a_bad_one_is_a_400(author: Any, viewer: Any) -> None:
    incident = make_incident(
        author,
        title="Queue backlog",
        severity="SEV3",
        started_at=datetime(2026, 3, 4, 9, 0, tzinfo=UTC),
        resolved_at=datetime(2026, 3, 4, 11, 0, tzinfo=UTC),
    )
    pm = make_postmortem(author, incident)
    client = _client(author)
    text = "[10:42] alice: queue is growing\n[13:30] bob: long after the incident\n"
    read = client.post(
        f"/postmortems/{pm.pk}/chat/",
        {"step": "read", "mode": "transcript", "transcript": text, "zone": "Europe/Berlin",
         "day": "2026-03-04"},
    )  # fmt: skip
    page = read.content.decode()
    assert "2026-03-04 09:42 UTC" in page and "long after the incident" not in page
    bad = client.post(
        f"/postmortems/{pm.pk}/chat/",
        {"step": "read", "mode": "transcript", "transcript": "no chat here", "day": "2026-03-04"},
    )
    assert bad.status_code == 400 and "line 1" in bad.content.decode()
    refused = _client(viewer).post(
        f"/postmortems/{pm.pk}/chat/", {"step": "read", "mode": "transcript", "transcript": text}
    )
    assert refused.status_code in (403, 404)  # 404 where a viewer may not see it at all
    pm.refresh_from_db()
    assert pm.revision == 1


class SlackHistory(StandIn):
    """Slack's Web API on localhost, answering with Slack's published examples."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token
        self.history = published("slack/conversations.history.response_ok.json")
        # The example's first message is given the thread the replies example holds.
        self.history["messages"][0]["reply_count"] = 3
        self.second = published("slack/conversations.history.response_ok.bot_attachments.json")
        self.second["has_more"] = False

    def route(self, request: Recorded) -> tuple[int, dict[str, str], bytes]:
        # slack-sdk sends a method's arguments as a form body; read them with the query's.
        request.query.update(parse_qs(request.body.decode()))
        if request.headers.get("authorization") != f"Bearer {self.token}":
            body = {"ok": False, "error": "invalid_auth"}
        elif request.path.endswith("/conversations.history"):
            body = self.second if request.query.get("cursor") else self.history
        elif request.path.endswith("/conversations.replies"):
            body = published("slack/conversations.replies.response_ok.json")
        elif request.path.endswith("/pins.list"):
            body = published("slack/pins.list.response_ok.json")
        elif request.path.endswith("/users.list"):
            body = published("slack/users.list.response_ok.json")
        else:
            body = published("slack/conversations.history.response_error.json")
        return 200, {"Content-Type": "application/json"}, json.dumps(body).encode()


def test_the_slack_web_api_is_read_through_a_local_server(author: Any, settings: Any) -> None:
    incident = make_incident(
        author,
        title="Punny outage",
        severity="SEV3",
        started_at=datetime(2016, 12, 1, tzinfo=UTC),
        resolved_at=datetime(2018, 1, 1, tzinfo=UTC),
    )
    pm = make_postmortem(author, incident)
    with SlackHistory("xoxb-test") as slack:
        settings.NOFAULT_INTEGRATIONS = {
            "notifiers": {"slack": {"bot_token": "xoxb-test", "api_url": slack.url + "/api/"}}
        }
        read = _client(author).post(
            f"/postmortems/{pm.pk}/chat/", {"step": "read", "mode": "slack", "slack_channel": "C1"}
        )
        assert read.status_code == 200, read.content[:400]
        page = read.content.decode()
        called = [r.path for r in slack.requests]
        assert called.count("/api/conversations.history") == 2  # paged by cursor
        assert "/api/conversations.replies" in called
        assert all(r.query.get("channel") == ["C1"] for r in slack.requests if "conv" in r.path)
    texts = re.findall(r'name="text_\d+" value="([^"]*)"', page)
    assert "island" in " ".join(texts)  # the thread's replies are candidates too
    assert any("smell your nose" in t for t in texts)
    # Two history pages repeat one message (same ts): it is one candidate.
    assert sum("smell your nose" in t for t in texts) == 1

    with SlackHistory("xoxb-other") as wrong:
        settings.NOFAULT_INTEGRATIONS = {
            "notifiers": {"slack": {"bot_token": "xoxb-test", "api_url": wrong.url + "/api/"}}
        }
        refused = _client(author).post(
            f"/postmortems/{pm.pk}/chat/", {"step": "read", "mode": "slack", "slack_channel": "C1"}
        )
    assert refused.status_code == 502 and "invalid_auth" in refused.content.decode()
