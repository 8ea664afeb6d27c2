"""The chat page: a Slack export (Slack's published sample) or a pasted transcript becomes
candidate rows for the incident's window, and the chosen ones join the timeline in time order."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from nofault.core.markdown import parse_text
from tests.web.factories import make_incident, make_postmortem

pytestmark = pytest.mark.django_db

EXPORT = Path(__file__).resolve().parents[3] / ".." / "shared/payloads/slack/export-sample"


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
