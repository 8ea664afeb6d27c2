"""The organisation's practice from guide to meeting, in a real browser: the guide renames a
heading and makes SEV4 light, an Alertmanager delivery opens a SEV2 incident whose draft shows
the guide's headings, the prefilled times and the alert timeline, a Slack export adds three
chat rows, a review request mails the reviewer and the meeting invitation parses, and a SEV4
incident gets the light template."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any

import httpx
import pytest
from icalendar import Calendar

from nofault.web.incidents.models import Incident
from nofault.web.postmortems.models import Postmortem
from nofault.web.worker.runner import work
from tests.browser.test_flow import _log_in
from tests.integrations.conftest import PAYLOADS
from tests.web.conftest import smtp  # noqa: F401  (the real SMTP server fixture)
from tests.web.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EXPORT = PAYLOADS / "slack" / "export-sample"
VALUES = "values:\n  - name: Ownership\n    description: We own our services end to end.\n"
GUIDE = """\
[template.headings]
timeline = "Sequence of events"

[[severities]]
name = "SEV1"
[[severities]]
name = "SEV2"
[[severities]]
name = "SEV3"
[[severities]]
name = "SEV4"
review = "light"
"""


def _export_zip(tmp: Path) -> Path:
    target = tmp / "export.zip"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(EXPORT.rglob("*.json")):
            archive.write(path, path.relative_to(EXPORT).as_posix())
    target.write_bytes(buffer.getvalue())
    return target


def test_guide_to_meeting(
    live_server: Any,
    page: Any,
    settings: Any,
    smtp: Any,  # noqa: F811  (the fixture imported above)
    tmp_path: Path,
) -> None:
    base = live_server.url
    settings.NOFAULT_INTEGRATIONS = {
        "sources": {"alertmanager": {"token": "am", "severity_map": {"critical": "SEV2"}}}
    }
    fran = make_user("facilitator", "fran")
    sam = make_user("author", "sam")
    sam.email = "sam@example.org"
    sam.save()
    fran.email = "fran@example.org"
    fran.save()

    # 1. The facilitator renames a heading and marks SEV4 light.
    _log_in(page, base, "fran")
    page.goto(f"{base}/guide/")
    page.fill("#id_values", VALUES)
    page.fill("#id_config", GUIDE)
    page.click("form button[type=submit]")
    page.locator(".messages").wait_for()

    # 2. An Alertmanager delivery opens a SEV2 incident.
    firing = (PAYLOADS / "alertmanager/firing.json").read_bytes()
    fired = httpx.post(f"{base}/webhooks/alertmanager", content=firing, timeout=60,
                       headers={"Content-Type": "application/json", "Authorization": "Bearer am"})  # fmt: skip
    assert fired.status_code == 202, fired.text
    incident = Incident.objects.get(source="alertmanager")
    assert incident.severity == "SEV2"

    # 3. Its new postmortem shows the guide's headings, the times and the alert timeline.
    page.goto(f"{base}/incidents/{incident.key}/")
    page.click("text=Start the postmortem")
    page.wait_for_url(re.compile(r".*/postmortems/\d+/edit/$"))
    source = page.locator("#source").input_value()
    assert "## Sequence of events" in source and "started_at:" in source
    assert "Alert triggered" in source and "prefilled: alertmanager" in source
    pm = Postmortem.objects.get(incident=incident)

    # 4. A Slack export adds three chat rows.
    page.goto(f"{base}/postmortems/{pm.pk}/chat/")
    page.fill("#chat-start", "2016-01-15 08:00")
    page.fill("#chat-end", "2016-01-15 09:00")
    page.set_input_files("#chat-export", str(_export_zip(tmp_path)))
    page.fill("#chat-channel", "enrique")
    page.click("button[name=step][value=read]")
    for index in range(3):
        page.check(f"#keep-{index}")
    page.click("#chat-candidates button[type=submit]")
    page.wait_for_url(re.compile(r".*/postmortems/\d+/edit/$"))
    assert page.locator("#source").input_value().count("slack #enrique") == 3

    # 5. The review request mails the reviewer; the meeting invitation parses.
    page.goto(f"{base}/postmortems/{pm.pk}/")
    page.check("input[name=reviewers][value]:near(:text('sam'))")
    page.click("#submit-review")
    page.locator(".messages", has_text="Submitted for review").wait_for()
    page.goto(f"{base}/postmortems/{pm.pk}/meeting/")
    page.fill("#meeting-start", "2026-03-05 15:00")
    page.click("text=Schedule and invite")
    page.locator(".messages", has_text="Meeting scheduled").wait_for()
    work(burst=True, schedule=False)
    subjects = [str(m["Subject"]) for m in smtp.to("sam@example.org")]
    assert any(s.startswith("Review requested") for s in subjects)
    calendars = [
        Calendar.from_ical(part.get_payload(decode=True))
        for m in smtp.to("sam@example.org")
        for part in m.walk()
        if part.get_content_type() == "text/calendar"
    ]
    assert len(calendars) == 1 and str(calendars[0]["METHOD"]) == "REQUEST"

    # 6. A SEV4 incident gets the light template.
    page.goto(f"{base}/incidents/")
    page.click("text=New incident")
    page.fill("#id_title", "Internal dashboard slow")
    page.select_option("#id_severity", "SEV4")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/incidents/INC-\d+/$"))
    page.click("text=Start the postmortem")
    page.wait_for_url(re.compile(r".*/postmortems/\d+/edit/$"))
    assert "review_level: light" in page.locator("#source").input_value()
