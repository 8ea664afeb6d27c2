"""Jira Cloud's settings: the site, an API token, the project and issue type."""

from __future__ import annotations

from pydantic import Field, SecretStr

from nofault.web.integrations.trackers.base import TrackerSettings


class JiraSettings(TrackerSettings):
    """A Jira project reached with an account's email and API token (basic auth)."""

    base_url: str = Field(pattern=r"^https?://")
    email: str
    api_token: SecretStr
    project_key: str = Field(pattern=r"^[A-Z][A-Z0-9_]+$")
    issue_type: str = "Task"
