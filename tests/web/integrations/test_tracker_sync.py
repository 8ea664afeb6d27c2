"""Tracker sync through the running app: send an action item, close and reopen its issue."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from nofault.web.actions.models import ActionItem
from nofault.web.integrations import flows
from nofault.web.integrations.http import RetryPolicy
from nofault.web.integrations.models import (
    RejectedDeliveryCount,
    TrackerLink,
    WebhookDelivery,
)
from tests.integrations.standins import Fault, GitHubStandIn, JiraStandIn
from tests.web.factories import PASSWORD, make_postmortem, make_user

GH_SECRET = "gh-hook-secret"
JIRA_SECRET = "jira-hook-secret"


@pytest.fixture
def github() -> Iterator[GitHubStandIn]:
    with GitHubStandIn() as stand_in:
        yield stand_in


@pytest.fixture
def jira() -> Iterator[JiraStandIn]:
    with JiraStandIn() as stand_in:
        yield stand_in


@pytest.fixture
def app(
    live_server: Any, settings: Any, github: GitHubStandIn, jira: JiraStandIn, monkeypatch: Any
) -> str:
    settings.NOFAULT_INTEGRATIONS = {
        "base_url": str(live_server.url),
        "trackers": {
            "github": {
                "repository": "acme/ops",
                "token": "ghp_test",
                "api_url": github.url,
                "webhook_secret": GH_SECRET,
            },
            "jira": {
                "base_url": jira.url,
                "email": "bot@acme.test",
                "api_token": "jira-token",
                "project_key": "OPS",
                "webhook_secret": JIRA_SECRET,
            },
        },
    }
    monkeypatch.setattr(
        flows, "RETRY_POLICY", RetryPolicy(attempts=3, base_delay=0.001, max_delay=0.01)
    )
    httpx.get(f"{live_server.url}/healthz", timeout=120)  # the URLconf loads on a first request
    return str(live_server.url)


def token_client(app: str, user: Any) -> httpx.Client:
    from nofault.web.accounts.services import token_issue

    return httpx.Client(base_url=app, headers={"Authorization": f"Token {token_issue(user=user)}"})


def signed(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def github_hook(app: str, data: dict[str, Any], secret: str = GH_SECRET) -> httpx.Response:
    body = json.dumps(data).encode()
    return httpx.post(f"{app}/webhooks/trackers/github", content=body, headers={
        "Content-Type": "application/json", "X-GitHub-Event": "issues",
        "X-Hub-Signature-256": signed(secret, body)})  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_send_to_github_close_and_reopen(app: str, github: GitHubStandIn) -> None:
    author = make_user("author", "alex")
    pm = make_postmortem(author)
    item = ActionItem.objects.get(postmortem=pm, key="A1")
    api = token_client(app, author)
    first = api.post(f"/api/action-items/{item.pk}/tracker/", json={"tracker": "github"})
    assert first.status_code == 200, first.text
    assert first.json()["ref"] == "acme/ops#1" and first.json()["url"].endswith("/issues/1")
    # Pressed again: the same issue, no second one.
    again = api.post(f"/api/action-items/{item.pk}/tracker/", json={})
    assert again.status_code == 200 and again.json()["ref"] == "acme/ops#1"
    assert len(github.issues) == 1 and github.shape_errors == []
    sent = next(r for r in github.requests if r.method == "POST").json()
    assert f"nofault-key: nofault-ai-{item.pk}" in sent["body"]
    assert sent["title"].startswith(f"[{pm.incident.key}]")

    assert github_hook(app, github.set_state(1, "closed", "completed")).status_code == 202
    item.refresh_from_db()
    assert item.status == "done" and item.closed_at is not None
    assert "| A1 |" in pm.__class__.objects.get(pk=pm.pk).source
    # A redelivery changes nothing; a reopen reopens.
    assert github_hook(app, github.set_state(1, "closed", "completed")).status_code == 202
    assert github_hook(app, github.set_state(1, "open")).status_code == 202
    item.refresh_from_db()
    assert item.status == "open" and item.closed_at is None


@pytest.mark.django_db(transaction=True)
def test_a_5xx_after_the_write_and_a_later_retry_never_duplicate(
    app: str, github: GitHubStandIn, monkeypatch: Any
) -> None:
    author = make_user("author", "alex")
    item = ActionItem.objects.get(postmortem=make_postmortem(author), key="A1")
    github.fail_next(*[Fault(status=503, method="GET")] * 3)
    api = token_client(app, author)
    answer = api.post(f"/api/action-items/{item.pk}/tracker/", json={"tracker": "github"})
    assert answer.status_code == 202 and answer.json()["status"] == "pending"
    assert len(github.issues) == 0
    github.fail_next(Fault(status=502, after_write=True, method="POST"))
    assert flows.tracker_links_retry_pending() == 1
    link = TrackerLink.objects.get()
    assert link.status == "linked" and link.ref == "acme/ops#1" and len(github.issues) == 1
    assert flows.tracker_links_retry_pending() == 0


@pytest.mark.django_db(transaction=True)
def test_jira_done_closes_the_item(app: str, jira: JiraStandIn) -> None:
    author = make_user("author", "alex")
    item = ActionItem.objects.get(postmortem=make_postmortem(author), key="A2")
    answer = token_client(app, author).post(
        f"/api/action-items/{item.pk}/tracker/", json={"tracker": "jira"}
    )
    assert answer.status_code == 200 and answer.json()["ref"] == "OPS-1"
    body = json.dumps(jira.transition("OPS-1", done=True)).encode()
    hook = httpx.post(f"{app}/webhooks/trackers/jira", content=body, headers={
        "Content-Type": "application/json", "X-Hub-Signature": signed(JIRA_SECRET, body)})  # fmt: skip
    assert hook.status_code == 202, hook.text
    item.refresh_from_db()
    assert item.status == "done"


@pytest.mark.django_db(transaction=True)
def test_tracker_webhook_with_a_wrong_signature_is_refused_and_counted_not_kept(
    app: str, github: GitHubStandIn
) -> None:
    response = github_hook(app, {"action": "closed"}, secret="wrong")
    assert response.status_code == 401 and response.json()["reason"] == "unauthenticated"
    assert not WebhookDelivery.objects.exists()
    counted = RejectedDeliveryCount.objects.get()
    assert (counted.source, counted.reason, counted.count) == (
        "tracker:github",
        "unauthenticated",
        1,
    )


@pytest.mark.django_db(transaction=True)
def test_viewers_cannot_send_and_hidden_items_are_not_found(app: str) -> None:
    author = make_user("author", "alex")
    item = ActionItem.objects.get(postmortem=make_postmortem(author), key="A1")
    viewer = make_user("viewer", "vic")
    assert (
        token_client(app, viewer).post(f"/api/action-items/{item.pk}/tracker/", json={}).status_code
        == 403
    )
    owner = make_user("facilitator", "sec")
    from tests.web.factories import make_incident

    secret = make_postmortem(owner, make_incident(owner, restricted=True))
    hidden = ActionItem.objects.get(postmortem=secret, key="A1")
    assert (
        token_client(app, author)
        .post(f"/api/action-items/{hidden.pk}/tracker/", json={})
        .status_code
        == 404
    )


@pytest.mark.django_db(transaction=True)
def test_the_item_page_has_a_send_button(app: str, github: GitHubStandIn) -> None:
    author = make_user("author", "alex")
    item = ActionItem.objects.get(postmortem=make_postmortem(author), key="A1")
    with httpx.Client(base_url=app, follow_redirects=True) as browser:
        login = browser.get("/accounts/login/")
        csrf = browser.cookies["csrftoken"]
        browser.post("/accounts/login/", data={"username": "alex", "password": PASSWORD,
                                               "csrfmiddlewaretoken": csrf})  # fmt: skip
        assert login.status_code == 200
        page = browser.get(f"/integrations/action-items/{item.pk}/tracker/")
        assert "Send to GitHub Issues" in page.text
        board = browser.get("/actions/")
        assert f"/integrations/action-items/{item.pk}/tracker/" in board.text
        sent = browser.post(f"/integrations/action-items/{item.pk}/tracker/send/",
                            data={"tracker": "github", "csrfmiddlewaretoken": browser.cookies["csrftoken"]},
                            headers={"Referer": app})  # fmt: skip
        assert "acme/ops#1" in sent.text
