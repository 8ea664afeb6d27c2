"""Rootly's settings: the signing secrets of its webhook endpoint."""

from __future__ import annotations

from pydantic import Field, SecretStr

from nofault.web.integrations.sources.base import SourceSettings


class RootlySettings(SourceSettings):
    """Signing secrets of the webhook endpoint; two while a secret is being rotated."""

    secrets: list[SecretStr] = Field(default_factory=list)
