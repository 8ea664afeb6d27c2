"""PagerDuty's settings: the webhook subscription's signing secrets."""

from __future__ import annotations

from pydantic import Field, SecretStr

from nofault.web.integrations.sources.base import SourceSettings


class PagerDutySettings(SourceSettings):
    """Signing secrets of the Webhooks V3 subscription; two while a secret is being rotated."""

    secrets: list[SecretStr] = Field(default_factory=list)
