"""GitHub and Jira trackers against local stand-ins that answer as the vendors do."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator
from datetime import date

import pytest
from pydantic import SecretStr

from nofault.web.integrations.http import IntegrationError, RetryingClient, RetryPolicy, retry_after
from nofault.web.integrations.sources.base import MalformedHeader, SourceDisabled, Unauthenticated
from nofault.web.integrations.trackers import all_trackers, get_tracker
from nofault.web.integrations.trackers.base import (
    IssueRequest,
    IssueState,
    Tracker,
    TrackerClient,
)
from nofault.web.integrations.trackers.github.client import GitHubClient
from nofault.web.integrations.trackers.github.settings import GitHubSettings
from nofault.web.integrations.trackers.jira.client import JiraClient
from nofault.web.integrations.trackers.jira.settings import JiraSettings

from .standins import Fault, GitHubStandIn, JiraStandIn

FAST = RetryPolicy(attempts=4, base_delay=0.001, max_delay=0.01)
REQUEST = IssueRequest(
    key="AI-7f3a",
    title="Alert on replica lag",
    body="Add an alert when lag > 30 s.",
    due=date(2026, 4, 1),
    link="https://nofault.example/postmortems/PM-12#AI-7f3a",
)


class Sleeps(list[float]):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def github() -> Iterator[GitHubStandIn]:
    with GitHubStandIn() as stand_in:
        yield stand_in


@pytest.fixture
def jira() -> Iterator[JiraStandIn]:
    with JiraStandIn() as stand_in:
        yield stand_in


def gh_client(stand_in: GitHubStandIn, sleeps: Sleeps | None = None, **kw: object) -> GitHubClient:
    settings = GitHubSettings(
        repository="acme/ops",
        token=SecretStr("ghp_test"),
        api_url=stand_in.url,
        webhook_secret=SecretStr("whsec"),
        **kw,
    )  # type: ignore[arg-type]
    client = get_tracker("github").connect(
        settings, policy=FAST, sleep=sleeps if sleeps is not None else Sleeps()
    )
    assert isinstance(client, TrackerClient)
    return client  # type: ignore[return-value]


def jira_client(stand_in: JiraStandIn, sleeps: Sleeps | None = None) -> JiraClient:
    settings = JiraSettings(
        base_url=stand_in.url,
        email="bot@acme.test",
        api_token=SecretStr("jira-token"),
        project_key="OPS",
        webhook_secret=SecretStr("jsec"),
    )
    return get_tracker("jira").connect(
        settings, policy=FAST, sleep=sleeps if sleeps is not None else Sleeps()
    )  # type: ignore[return-value]


def test_registry_finds_both_trackers() -> None:
    assert set(all_trackers()) == {"github", "jira"}
    assert all(isinstance(t, Tracker) for t in all_trackers().values())


# --- GitHub --------------------------------------------------------------------------------


def test_github_create_matches_the_published_shape(github: GitHubStandIn) -> None:
    issue = gh_client(github).create_issue(REQUEST)
    assert github.shape_errors == []
    assert issue.ref == "acme/ops#1" and issue.state is IssueState.OPEN
    assert issue.url == "https://github.com/acme/ops/issues/1"
    post = next(r for r in github.requests if r.method == "POST")
    sent = post.json()
    assert sent["title"] == REQUEST.title
    assert "nofault-key: AI-7f3a" in sent["body"] and "2026-04-01" in sent["body"]
    assert sent["labels"] == ["nofault"]
    assert post.headers["x-github-api-version"] == "2022-11-28"


def test_github_retry_after_a_5xx_that_wrote_makes_no_duplicate(github: GitHubStandIn) -> None:
    sleeps = Sleeps()
    github.fail_next(Fault(status=502, after_write=True, method="POST"))
    issue = gh_client(github, sleeps).create_issue(REQUEST)
    assert len(github.issues) == 1 and issue.ref == "acme/ops#1"
    assert len(sleeps) == 1
    # And a second call for the same key (a crashed worker's retry) finds it too.
    again = gh_client(github).create_issue(REQUEST)
    assert again.ref == issue.ref and len(github.issues) == 1


def test_github_dropped_connection_after_write_makes_no_duplicate(github: GitHubStandIn) -> None:
    github.fail_next(Fault(drop=True, method="POST"))
    issue = gh_client(github).create_issue(REQUEST)
    assert len(github.issues) == 1 and issue.ref == "acme/ops#1"


def test_github_rate_limit_honours_retry_after(github: GitHubStandIn) -> None:
    sleeps = Sleeps()
    github.fail_next(
        Fault(status=429, headers={"Retry-After": "7"}),
        Fault(
            status=403,
            headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "0"},
            body=b'{"message": "API rate limit exceeded"}',
        ),
    )
    issue = gh_client(github, sleeps).create_issue(REQUEST)
    assert issue.ref == "acme/ops#1"
    assert sleeps[0] == 7.0 and sleeps[1] == 0.0


def test_github_gives_up_after_the_attempts_and_a_later_run_does_not_duplicate(
    github: GitHubStandIn,
) -> None:
    github.fail_next(*[Fault(status=503, after_write=i == 0) for i in range(20)])
    with pytest.raises(IntegrationError) as caught:
        gh_client(github).create_issue(REQUEST)
    assert caught.value.retryable
    github.faults.clear()
    assert gh_client(github).create_issue(REQUEST).ref == "acme/ops#1"
    assert len(github.issues) == 1


def test_github_client_errors_are_not_retried(github: GitHubStandIn) -> None:
    sleeps = Sleeps()
    with pytest.raises(IntegrationError, match=r"422.*Validation Failed") as caught:
        gh_client(github, sleeps).create_issue(IssueRequest(key="k1", title=""))
    assert not caught.value.retryable and sleeps == []
    settings = GitHubSettings(repository="acme/ops", token=SecretStr("wrong"), api_url=github.url)
    with pytest.raises(IntegrationError, match=r"401.*Bad credentials"):
        get_tracker("github").connect(settings, policy=FAST).create_issue(REQUEST)


def test_github_fetch_and_webhook_close_and_reopen(github: GitHubStandIn) -> None:
    client = gh_client(github)
    issue = client.create_issue(REQUEST)
    tracker = get_tracker("github")
    settings = client.settings
    closed = json.dumps(github.set_state(1, "closed", "completed")).encode()
    assert client.fetch_issue(issue.ref).state is IssueState.CLOSED
    signature = "sha256=" + hmac.new(b"whsec", closed, hashlib.sha256).hexdigest()
    headers = {"X-GitHub-Event": "issues", "X-Hub-Signature-256": signature}
    tracker.verify_webhook(headers, closed, settings)
    (change,) = tracker.parse_webhook(headers, closed)
    assert change.ref == "acme/ops#1" and change.state is IssueState.CLOSED
    assert change.reason == "completed"
    reopened = json.dumps(github.set_state(1, "open")).encode()
    (change,) = tracker.parse_webhook({"X-GitHub-Event": "issues"}, reopened)
    assert change.state is IssueState.OPEN
    with pytest.raises(Unauthenticated):
        tracker.verify_webhook(headers, reopened, settings)
    with pytest.raises(MalformedHeader):
        tracker.verify_webhook({}, reopened, settings)
    assert tracker.parse_webhook({"X-GitHub-Event": "ping"}, b"{}") == []
    assert tracker.parse_webhook({"X-GitHub-Event": "push"}, b"{}") == []


# --- Jira ----------------------------------------------------------------------------------


def test_jira_create_matches_the_published_shape(jira: JiraStandIn) -> None:
    issue = jira_client(jira).create_issue(REQUEST)
    assert jira.shape_errors == []
    assert issue.ref == "OPS-1" and issue.url == f"{jira.url}/browse/OPS-1"
    sent = next(r for r in jira.requests if r.method == "POST").json()
    fields = sent["fields"]
    assert fields["project"] == {"key": "OPS"} and fields["issuetype"] == {"name": "Task"}
    assert fields["duedate"] == "2026-04-01"
    assert "nofault-AI-7f3a" in fields["labels"]
    assert fields["description"]["content"][0]["content"][0]["text"] == REQUEST.body


def test_jira_retries_without_duplicates(jira: JiraStandIn) -> None:
    sleeps = Sleeps()
    jira.fail_next(
        Fault(status=500, after_write=True, method="POST"),
        Fault(status=429, headers={"Retry-After": "2"}),
    )
    issue = jira_client(jira, sleeps).create_issue(REQUEST)
    assert issue.ref == "OPS-1" and len(jira.issues) == 1
    assert 2.0 in sleeps


def test_jira_400_is_reported_with_its_messages(jira: JiraStandIn) -> None:
    with pytest.raises(IntegrationError, match=r"400.*summary") as caught:
        jira_client(jira).create_issue(IssueRequest(key="k2", title=""))
    assert not caught.value.retryable


def test_jira_status_and_webhook(jira: JiraStandIn) -> None:
    client = jira_client(jira)
    issue = client.create_issue(REQUEST)
    assert client.fetch_issue(issue.ref).state is IssueState.OPEN
    body = json.dumps(jira.transition("OPS-1", done=True)).encode()
    assert client.fetch_issue(issue.ref).state is IssueState.CLOSED
    tracker = get_tracker("jira")
    signature = "sha256=" + hmac.new(b"jsec", body, hashlib.sha256).hexdigest()
    tracker.verify_webhook({"X-Hub-Signature": signature}, body, client.settings)
    (change,) = tracker.parse_webhook({}, body)
    assert change.ref == "OPS-1" and change.state is IssueState.CLOSED and change.reason == "Done"
    (change,) = tracker.parse_webhook({}, json.dumps(jira.transition("OPS-1", done=False)).encode())
    assert change.state is IssueState.OPEN
    unsigned = JiraSettings(
        base_url=jira.url, email="e", api_token=SecretStr("t"), project_key="OPS"
    )
    with pytest.raises(SourceDisabled):
        tracker.verify_webhook({"X-Hub-Signature": signature}, body, unsigned)


# --- the retrying client ---------------------------------------------------------------------


def test_retry_after_accepts_an_http_date() -> None:
    from datetime import UTC, datetime

    import httpx

    now = datetime(2026, 1, 1, 12, 0, 0, tzinfo=UTC)
    response = httpx.Response(503, headers={"Retry-After": "Thu, 01 Jan 2026 12:00:09 GMT"})
    assert retry_after(response, now) == 9.0
    assert retry_after(httpx.Response(503, headers={"Retry-After": "soon"}), now) is None


def test_backoff_doubles_and_connection_failures_are_retried(github: GitHubStandIn) -> None:
    sleeps = Sleeps()
    client = RetryingClient(
        base_url=github.url,
        headers={"Authorization": "Bearer ghp_test", "Accept": "application/vnd.github+json"},
        policy=RetryPolicy(attempts=4, base_delay=1, jitter=0),
        sleep=sleeps,
    )
    github.fail_next(Fault(status=500), Fault(drop=True), Fault(status=502))
    response = client.request("GET", "/repos/acme/ops/issues")
    assert response.status_code == 200 and sleeps == [1, 2, 4]
