"""Jira Cloud as a tracker: REST API v3 out, issue webhooks back."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import httpx

from nofault.web.integrations.http import RetryPolicy
from nofault.web.integrations.sources.base import WrongShape, epoch_time, load_json_object
from nofault.web.integrations.trackers.base import (
    IssueStatusChange,
    TrackerSettings,
    verify_hub_signature,
)
from nofault.web.integrations.trackers.jira.client import JiraClient, state_of
from nofault.web.integrations.trackers.jira.settings import JiraSettings


class JiraTracker:
    """Action items as Jira issues; moving the issue to a done status closes the item."""

    name = "jira"
    label = "Jira"
    settings_model = JiraSettings

    def connect(
        self,
        settings: TrackerSettings,
        *,
        policy: RetryPolicy | None = None,
        sleep: Callable[[float], None] | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> JiraClient:
        """Return a client for the configured project."""
        assert isinstance(settings, JiraSettings)
        return JiraClient(settings, policy=policy, sleep=sleep, transport=transport)

    def verify_webhook(
        self, headers: Mapping[str, str], body: bytes, settings: TrackerSettings
    ) -> None:
        """Check the `X-Hub-Signature` a Jira admin webhook with a secret sends."""
        verify_hub_signature(headers, body, settings.webhook_secret, "X-Hub-Signature")

    def parse_webhook(self, headers: Mapping[str, str], body: bytes) -> list[IssueStatusChange]:
        """Return the issue's new state when a `jira:issue_updated` changed its status."""
        data = load_json_object(body)
        if data.get("webhookEvent") != "jira:issue_updated":
            return []
        items = (data.get("changelog") or {}).get("items") or []
        if not any(isinstance(i, dict) and i.get("field") == "status" for i in items):
            return []
        try:
            issue = data["issue"]
            ref = str(issue["key"])
            fields = issue.get("fields") or {}
        except (KeyError, TypeError) as exc:
            raise WrongShape(f"not a Jira issue event: missing {exc}") from exc
        timestamp = data.get("timestamp")
        status = (fields.get("status") or {}).get("name")
        return [
            IssueStatusChange(
                tracker=self.name,
                ref=ref,
                state=state_of(fields),
                occurred_at=epoch_time(timestamp) if isinstance(timestamp, int) else None,
                reason=status,
                raw=data,
            )
        ]
