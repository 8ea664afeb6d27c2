"""The Webhooks V3 wire shape, as far as nofault reads it; unknown keys are allowed."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


class _Wire(BaseModel):
    model_config = ConfigDict(extra="allow")


class Reference(_Wire):
    """A `*_reference` object: only id and type are always present (see `pagey.ping`)."""

    id: str | None = None
    type: str | None = None
    summary: str | None = None
    html_url: str | None = None


class Event(_Wire):
    """The `event` envelope."""

    id: str
    event_type: str
    resource_type: str
    occurred_at: str
    agent: Reference | None = None
    data: dict[str, Any]


class Envelope(_Wire):
    """The whole delivery."""

    event: Event


class IncidentData(_Wire):
    """`event.data` when `data.type` is `incident`."""

    id: str
    type: str
    html_url: str | None = None
    number: int | None = None
    status: str | None = None
    incident_key: str | None = None
    created_at: str | None = None
    title: str | None = None
    service: Reference | None = None
    assignees: list[Reference] = []
    teams: list[Reference] = []
    priority: Reference | None = None
    urgency: str | None = None


class NoteData(_Wire):
    """`event.data` when it is an `incident_note` (incident.annotated)."""

    id: str
    type: str
    content: str = ""
    incident: Reference
