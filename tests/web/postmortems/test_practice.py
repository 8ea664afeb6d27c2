"""The guide's settings reach every door: a new postmortem, the live lint, the API, the save."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from nofault.core.markdown import parse_text
from nofault.web.postmortems.models import Postmortem
from tests.web.factories import make_incident

pytestmark = pytest.mark.django_db

VALUES = (
    "values:\n"
    "  - name: Ownership\n"
    "    description: We own our services end to end, from the first commit to the pager.\n"
)
# The organisation renames two headings, keeps SEV3 light, and adds a word of its own.
CONFIG = """\
[template.headings]
timeline = "Sequence of events"
contributing_factors = "What made this possible"

[[severities]]
name = "SEV1"
[[severities]]
name = "SEV2"
[[severities]]
name = "SEV3"
review = "light"

[lint]
blame-words = ["slacker"]
"""
SLACKER = "The slacker on call went to lunch while the queue grew."


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _save_guide(facilitator: Any, config: str = CONFIG) -> Any:
    return _client(facilitator).post(
        "/guide/", {"values": VALUES, "principles": "", "config": config}
    )


def _start(author: Any, severity: str) -> Postmortem:
    incident = make_incident(author, severity=severity, title=f"Queue backlog {severity}")
    response = _client(author).post(f"/postmortems/new/{incident.key}/")
    assert response.status_code == 302
    return Postmortem.objects.get(incident=incident)


def test_a_new_postmortem_follows_the_guide_and_records_its_version(
    facilitator: Any, author: Any
) -> None:
    before = _start(author, "SEV2")
    assert "## Sequence of events" not in before.source
    assert "guide:" not in before.source

    assert _save_guide(facilitator).status_code == 302
    pm = _start(author, "SEV2")
    assert "## Sequence of events" in pm.source
    assert "## What made this possible" in pm.source
    doc = parse_text(pm.source).postmortem
    version = doc.extra.get("guide")
    assert isinstance(version, str) and len(version) == 12
    assert pm.review_level == "full"

    # The guide changes: the next postmortem follows the new one, and says so.
    assert _save_guide(facilitator, CONFIG.replace("Sequence of events", "Timeline")).status_code
    later = _start(author, "SEV1")
    assert "## Sequence of events" not in later.source
    later_version = parse_text(later.source).postmortem.extra.get("guide")
    assert later_version and later_version != version


def test_a_light_severity_gets_the_light_template(facilitator: Any, author: Any) -> None:
    _save_guide(facilitator)
    full = _start(author, "SEV2")
    light = _start(author, "SEV3")
    assert light.review_level == "light"
    assert light.source.count("\n## ") < full.source.count("\n## ")
    assert "review_level: light" in light.source


def test_the_live_lint_the_api_and_the_save_use_the_guides_lint_settings(
    facilitator: Any, author: Any
) -> None:
    text = f"# Queue backlog\n\n## Summary\n\n{SLACKER}\n"

    def live_codes() -> str:
        return _client(author).post("/postmortems/lint/", {"source": text}).content.decode()

    def api_codes() -> list[str]:
        from nofault.web.accounts.services import token_issue

        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Token {token_issue(user=author)}")
        response = api.post("/api/lint/", {"text": text}, format="json")
        assert response.status_code == 200
        return [f["code"] for f in response.json()["findings"]]

    assert "BLM401" not in live_codes() and "BLM401" not in api_codes()
    _save_guide(facilitator)
    assert "BLM401" in live_codes()
    assert "BLM401" in api_codes()

    # A save stores what the guide's settings find, and reads its renamed headings.
    pm = _start(author, "SEV2")
    source = pm.source.replace("## Summary\n", f"## Summary\n\n{SLACKER}\n", 1)
    response = _client(author).post(
        f"/postmortems/{pm.pk}/edit/", {"source": source, "base_revision": pm.revision}
    )
    assert response.status_code in (200, 302)
    pm.refresh_from_db()
    assert SLACKER in pm.source
    codes = {f["code"] for f in pm.findings}
    assert "BLM401" in codes
    # The renamed timeline heading is read as the timeline: no finding says it is missing.
    assert not any(
        f["code"].startswith("STR") and "timeline" in f["message"].lower() for f in pm.findings
    )


def test_a_lint_table_that_does_not_read_is_refused_at_the_guide_page(
    facilitator: Any,
) -> None:
    refused = _save_guide(facilitator, "[lint]\nblame-wrods = ['x']\n")
    assert refused.status_code == 400
    assert "blame-wrods" in refused.content.decode()
