"""GitHub Issues as a tracker: REST API out, `issues` webhooks back."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import httpx

from nofault.web.integrations.http import RetryPolicy
from nofault.web.integrations.sources.base import (
    WrongShape,
    header,
    load_json_object,
    parse_time,
)
from nofault.web.integrations.trackers.base import (
    IssueState,
    IssueStatusChange,
    TrackerSettings,
    verify_hub_signature,
)
from nofault.web.integrations.trackers.github.client import GitHubClient
from nofault.web.integrations.trackers.github.settings import GitHubSettings

_STATES = {"closed": IssueState.CLOSED, "reopened": IssueState.OPEN}


class GitHubTracker:
    """Action items as GitHub issues; closing the issue closes the item."""

    name = "github"
    label = "GitHub Issues"
    settings_model = GitHubSettings

    def connect(
        self,
        settings: TrackerSettings,
        *,
        policy: RetryPolicy | None = None,
        sleep: Callable[[float], None] | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> GitHubClient:
        """Return a client for the configured repository."""
        assert isinstance(settings, GitHubSettings)
        return GitHubClient(settings, policy=policy, sleep=sleep, transport=transport)

    def verify_webhook(
        self, headers: Mapping[str, str], body: bytes, settings: TrackerSettings
    ) -> None:
        """Check `X-Hub-Signature-256` against the webhook secret."""
        verify_hub_signature(headers, body, settings.webhook_secret, "X-Hub-Signature-256")

    def parse_webhook(self, headers: Mapping[str, str], body: bytes) -> list[IssueStatusChange]:
        """Return the close or reopen an `issues` delivery reports; other events give none."""
        event = header(headers, "X-GitHub-Event")
        if event == "ping":
            return []
        data = load_json_object(body)
        if event not in (None, "issues"):
            return []
        state = _STATES.get(str(data.get("action")))
        if state is None:
            return []
        try:
            issue = data["issue"]
            repository = data["repository"]["full_name"]
            ref = f"{repository}#{issue['number']}"
        except (KeyError, TypeError) as exc:
            raise WrongShape(f"not a GitHub issues event: missing {exc}") from exc
        if "pull_request" in issue:
            return []
        when = issue.get("closed_at") if state is IssueState.CLOSED else issue.get("updated_at")
        return [
            IssueStatusChange(
                tracker=self.name,
                ref=ref,
                state=state,
                occurred_at=parse_time(when) if isinstance(when, str) else None,
                reason=issue.get("state_reason"),
                url=issue.get("html_url"),
                raw=data,
            )
        ]
