"""GitHub's settings: the repository, a token, and the webhook secret."""

from __future__ import annotations

from pydantic import Field, SecretStr

from nofault.web.integrations.trackers.base import TrackerSettings


class GitHubSettings(TrackerSettings):
    """A repository's issues, reached with a fine-grained token that may write issues."""

    repository: str = Field(pattern=r"^[\w.-]+/[\w.-]+$")
    token: SecretStr
    api_url: str = "https://api.github.com"
    # How many of the newest labelled issues a key lookup scans (one page).
    lookup_page_size: int = Field(default=100, ge=1, le=100)
