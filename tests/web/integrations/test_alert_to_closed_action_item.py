"""From an alert to a closed action item, end to end through real HTTP to the running app.

An alert fired at /webhooks/alertmanager becomes an incident with a due review; the ledger
shows it missing; `nofault remind` reaches the local Slack stand-in; an action item becomes
a GitHub issue on the stand-in; closing that issue (GitHub's webhook) closes the item.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from django.utils import timezone
from typer.testing import CliRunner

from nofault.cli.main import app as cli
from nofault.web.actions.models import ActionItem
from nofault.web.incidents.models import Incident
from nofault.web.reviews.models import PolicySettings
from tests.integrations.conftest import PAYLOADS
from tests.integrations.standins import GitHubStandIn, SlackStandIn
from tests.web.factories import SOURCE, make_user

HOOK_SECRET = "gh-secret"


@pytest.fixture
def stand_ins() -> Iterator[tuple[SlackStandIn, GitHubStandIn]]:
    with SlackStandIn() as slack, GitHubStandIn() as github:
        yield slack, github


@pytest.mark.django_db(transaction=True)
def test_alert_to_closed_action_item(
    live_server: Any, settings: Any, stand_ins: tuple[SlackStandIn, GitHubStandIn]
) -> None:
    slack, github = stand_ins
    app = str(live_server.url)
    settings.NOFAULT_INTEGRATIONS = {
        "base_url": app,
        "sources": {"alertmanager": {"token": "am-token"}},
        "notifiers": {"slack": {"webhook_url": slack.webhook_url}},
        "trackers": {"github": {"repository": "acme/ops", "token": "ghp_test",
                                "api_url": github.url, "webhook_secret": HOOK_SECRET}},
    }  # fmt: skip
    author = make_user("author", "alex")
    from nofault.web.accounts.services import token_issue

    api = httpx.Client(base_url=app, headers={"Authorization": f"Token {token_issue(user=author)}"})

    # 1. The alert becomes an incident with a review due by the policy.
    firing = (PAYLOADS / "alertmanager/firing.json").read_bytes()
    fired = httpx.post(f"{app}/webhooks/alertmanager", content=firing,
                       headers={"Content-Type": "application/json",
                                "Authorization": "Bearer am-token"})  # fmt: skip
    assert fired.status_code == 202, fired.text
    (key,) = fired.json()["incidents"]
    incident = Incident.objects.get(key=key)
    assert incident.source == "alertmanager" and incident.postmortem_due is not None
    assert incident.postmortem_due > timezone.localdate()

    # 2. The ledger shows it missing.
    ledger = api.get("/api/coverage").json()
    row = next(r for r in ledger["incidents"] if r["key"] == key)
    assert row["state"] == "missing" and row["due"] == incident.postmortem_due.isoformat()

    # 3. Time passes; `nofault remind` reaches Slack (the sponsor, escalated at once here).
    PolicySettings.objects.create(sponsor="ada", facilitator_after_days=0, sponsor_after_days=0)
    Incident.objects.filter(pk=incident.pk).update(
        postmortem_due=timezone.localdate() - timedelta(days=2)
    )
    result = CliRunner().invoke(cli, ["remind"])
    assert result.exit_code == 0, result.output
    assert any(key in m["text"] for m in slack.messages) and slack.shape_errors == []
    assert api.get("/api/coverage?state=overdue").json()["incidents"][0]["key"] == key
    again = CliRunner().invoke(cli, ["remind"])
    assert "Sent 0 message(s)" in again.output

    # 4. The postmortem's action item becomes a GitHub issue on the stand-in.
    created = api.post("/api/postmortems/", json={"incident": key, "source": SOURCE.format(
        key=key, title=incident.title)})  # fmt: skip
    assert created.status_code == 201, created.text
    item = ActionItem.objects.get(postmortem__incident=incident, key="A1")
    sent = api.post(f"/api/action-items/{item.pk}/tracker/", json={"tracker": "github"})
    assert sent.status_code == 200, sent.text
    assert len(github.issues) == 1 and github.shape_errors == []
    number = github.issues[0]["number"]

    # 5. Closing the issue closes the item.
    body = json.dumps(github.set_state(number, "closed", "completed")).encode()
    signature = "sha256=" + hmac.new(HOOK_SECRET.encode(), body, hashlib.sha256).hexdigest()
    closed = httpx.post(f"{app}/webhooks/trackers/github", content=body,
                        headers={"Content-Type": "application/json", "X-GitHub-Event": "issues",
                                 "X-Hub-Signature-256": signature})  # fmt: skip
    assert closed.status_code == 202, closed.text
    assert api.get(f"/api/action-items/{item.pk}/").json()["status"] == "done"
