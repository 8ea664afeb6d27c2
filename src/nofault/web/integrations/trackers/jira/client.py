"""Jira Cloud REST API v3: create issues idempotently (a label holds the key) and read them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from nofault.web.integrations.http import IntegrationError, RetryingClient, RetryPolicy
from nofault.web.integrations.trackers._idempotent import create_once
from nofault.web.integrations.trackers.base import IssueRequest, IssueState, TrackerIssue
from nofault.web.integrations.trackers.jira.settings import JiraSettings


def key_label(key: str) -> str:
    """Return the label that ties an issue to the action item that opened it."""
    return f"nofault-{key}"


def adf(text: str) -> dict[str, Any]:
    """Return Atlassian Document Format for plain text: one paragraph per blank-line block."""
    paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
    return {
        "type": "doc",
        "version": 1,
        "content": [
            {"type": "paragraph", "content": [{"type": "text", "text": p}]} for p in paragraphs
        ],
    }


def state_of(fields: dict[str, Any]) -> IssueState:
    """Return closed when the issue's status is in Jira's `done` category."""
    category = ((fields.get("status") or {}).get("statusCategory") or {}).get("key")
    return IssueState.CLOSED if category == "done" else IssueState.OPEN


class JiraClient:
    """Issues of one Jira project."""

    def __init__(
        self,
        settings: JiraSettings,
        *,
        policy: RetryPolicy | None = None,
        sleep: Callable[[float], None] | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.settings = settings
        self.http = RetryingClient(
            base_url=settings.base_url,
            headers={"Accept": "application/json", "User-Agent": "nofault"},
            timeout=settings.timeout_seconds,
            policy=policy or RetryPolicy(attempts=settings.attempts),
            transport=transport,
        )
        self.http.client.auth = httpx.BasicAuth(
            settings.email, settings.api_token.get_secret_value()
        )
        if sleep is not None:
            self.http.sleep = sleep

    def create_issue(self, request: IssueRequest) -> TrackerIssue:
        """Open an issue for the request, or return the one an earlier try opened."""
        body = request.body
        if request.link:
            body = f"{body}\n\nFrom nofault: {request.link}"
        fields: dict[str, Any] = {
            "project": {"key": self.settings.project_key},
            "summary": request.title[:255],
            "issuetype": {"name": self.settings.issue_type},
            "labels": list(
                dict.fromkeys([*self.settings.labels, *request.labels, key_label(request.key)])
            ),
        }
        if body.strip():
            fields["description"] = adf(body)
        if request.due:
            fields["duedate"] = request.due.isoformat()
        payload = {"fields": fields, "update": {}}
        return create_once(
            self.http,
            find=lambda: self.find_issue(request.key),
            post=lambda: self.http.send_once("POST", "/rest/api/3/issue", json=payload),
            parse=lambda r: self._created(r.json(), request.key),
            describe_error=_error,
        )

    def find_issue(self, key: str) -> TrackerIssue | None:
        """Return the project's issue labelled with this key, or None."""
        jql = f'project = "{self.settings.project_key}" AND labels = "{key_label(key)}"'
        response = self.http.request(
            "GET",
            "/rest/api/3/search/jql",
            params={"jql": jql, "fields": "status", "maxResults": 1},
        )
        if not response.is_success:
            raise IntegrationError(_error(response), status=response.status_code)
        issues = response.json().get("issues") or []
        if not issues:
            return None
        return self._issue(issues[0], key=key)

    def fetch_issue(self, ref: str) -> TrackerIssue:
        """Return the issue (`PROJ-12`) with its state."""
        response = self.http.request("GET", f"/rest/api/3/issue/{ref}", params={"fields": "status"})
        if not response.is_success:
            raise IntegrationError(_error(response), status=response.status_code)
        return self._issue(response.json())

    def close(self) -> None:
        """Release the connection."""
        self.http.close()

    def _created(self, data: dict[str, Any], key: str) -> TrackerIssue:
        return TrackerIssue(
            tracker="jira",
            ref=data["key"],
            url=f"{self.settings.base_url.rstrip('/')}/browse/{data['key']}",
            state=IssueState.OPEN,
            key=key,
            api_id=str(data.get("id", "")),
        )

    def _issue(self, data: dict[str, Any], key: str | None = None) -> TrackerIssue:
        return TrackerIssue(
            tracker="jira",
            ref=data["key"],
            url=f"{self.settings.base_url.rstrip('/')}/browse/{data['key']}",
            state=state_of(data.get("fields") or {}),
            key=key,
            api_id=str(data.get("id", "")),
        )


def _error(response: httpx.Response) -> str:
    try:
        data = response.json()
        parts = [
            *data.get("errorMessages", []),
            *(f"{k}: {v}" for k, v in data.get("errors", {}).items()),
        ]
        message = "; ".join(parts)
    except (ValueError, AttributeError):
        message = response.text[:200]
    return f"Jira answered {response.status_code}: {message}"
