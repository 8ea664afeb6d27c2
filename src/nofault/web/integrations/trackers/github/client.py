"""GitHub's REST API for issues: create (idempotently, by a marker in the body) and read."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from nofault.web.integrations.http import IntegrationError, RetryingClient, RetryPolicy
from nofault.web.integrations.trackers._idempotent import create_once
from nofault.web.integrations.trackers.base import IssueRequest, IssueState, TrackerIssue
from nofault.web.integrations.trackers.github.settings import GitHubSettings

API_VERSION = "2022-11-28"


def marker(key: str) -> str:
    """Return the hidden line that ties an issue to the action item that opened it."""
    return f"<!-- nofault-key: {key} -->"


class GitHubClient:
    """Issues of one repository."""

    def __init__(
        self,
        settings: GitHubSettings,
        *,
        policy: RetryPolicy | None = None,
        sleep: Callable[[float], None] | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.settings = settings
        self.http = RetryingClient(
            base_url=settings.api_url,
            headers={
                "Accept": "application/vnd.github+json",
                "Authorization": f"Bearer {settings.token.get_secret_value()}",
                "X-GitHub-Api-Version": API_VERSION,
                "User-Agent": "nofault",
            },
            timeout=settings.timeout_seconds,
            policy=policy or RetryPolicy(attempts=settings.attempts),
            transport=transport,
        )
        if sleep is not None:
            self.http.sleep = sleep
        self._issues = f"/repos/{settings.repository}/issues"

    def create_issue(self, request: IssueRequest) -> TrackerIssue:
        """Open an issue for the request, or return the one an earlier try opened."""
        body = request.body.rstrip()
        if request.link:
            body += f"\n\nFrom nofault: {request.link}"
        if request.due:
            body += f"\n\nDue: {request.due.isoformat()}"
        payload: dict[str, Any] = {
            "title": request.title,
            "body": f"{body}\n\n{marker(request.key)}".lstrip(),
            "labels": list(dict.fromkeys([*self.settings.labels, *request.labels])),
        }
        return create_once(
            self.http,
            find=lambda: self.find_issue(request.key),
            post=lambda: self.http.send_once("POST", self._issues, json=payload),
            parse=lambda r: self._issue(r.json(), key=request.key),
            describe_error=_error,
        )

    def find_issue(self, key: str) -> TrackerIssue | None:
        """Return the issue whose body carries this key's marker, among the newest labelled ones."""
        params: dict[str, str | int] = {
            "state": "all",
            "sort": "created",
            "direction": "desc",
            "per_page": self.settings.lookup_page_size,
        }
        if self.settings.labels:
            params["labels"] = ",".join(self.settings.labels)
        response = self.http.request("GET", self._issues, params=params)
        if not response.is_success:
            raise IntegrationError(_error(response), status=response.status_code)
        wanted = marker(key)
        for item in response.json():
            if "pull_request" in item:
                continue
            if wanted in (item.get("body") or ""):
                return self._issue(item, key=key)
        return None

    def fetch_issue(self, ref: str) -> TrackerIssue:
        """Return the issue `owner/repo#number` (or `number`) with its state."""
        number = ref.rpartition("#")[2]
        response = self.http.request("GET", f"{self._issues}/{number}")
        if not response.is_success:
            raise IntegrationError(_error(response), status=response.status_code)
        return self._issue(response.json())

    def close(self) -> None:
        """Release the connection."""
        self.http.close()

    def _issue(self, data: dict[str, Any], key: str | None = None) -> TrackerIssue:
        return TrackerIssue(
            tracker="github",
            ref=f"{self.settings.repository}#{data['number']}",
            url=data["html_url"],
            state=IssueState.CLOSED if data.get("state") == "closed" else IssueState.OPEN,
            key=key,
            api_id=str(data.get("id", "")),
        )


def _error(response: httpx.Response) -> str:
    try:
        message = response.json().get("message", "")
    except ValueError:
        message = response.text[:200]
    return f"GitHub answered {response.status_code}: {message}"
