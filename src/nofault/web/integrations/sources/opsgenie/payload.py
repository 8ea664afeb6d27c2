"""Opsgenie's outgoing webhook shape (alert action data); unknown keys are allowed."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class _Wire(BaseModel):
    model_config = ConfigDict(extra="allow")


class Alert(_Wire):
    """The `alert` object."""

    alertId: str
    message: str = ""
    alias: str | None = None
    tinyId: str | None = None
    createdAt: int | None = None
    updatedAt: int | None = None
    priority: str | None = None
    tags: list[str] = []
    teams: list[str] = []
    entity: str | None = None
    username: str | None = None
    note: str | None = None


class Delivery(_Wire):
    """The whole delivery."""

    action: str
    alert: Alert
    integrationId: str | None = None
    integrationName: str | None = None
