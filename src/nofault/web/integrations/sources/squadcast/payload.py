"""Squadcast's outgoing webhook v2 shape; unknown keys are allowed."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class _Wire(BaseModel):
    model_config = ConfigDict(extra="allow")


class Named(_Wire):
    """Any `{id, name}` object."""

    id: str | None = None
    name: str | None = None


class ResourceData(_Wire):
    """`data.resource_data` for an incident."""

    id: str
    message: str = ""
    url: str | None = None
    service: Named | None = None
    status: str | None = None
    created_at: str | None = None
    assigned_to: Named | None = None
    owner: Named | None = None


class Data(_Wire):
    """`data`."""

    resource_type: str
    resource_data: ResourceData
    team: Named | None = None


class Event(_Wire):
    """`event`."""

    id: str
    type: str
    timestamp: str


class Delivery(_Wire):
    """The whole delivery."""

    version: str = Field(pattern="^v2$")
    event: Event
    data: Data
