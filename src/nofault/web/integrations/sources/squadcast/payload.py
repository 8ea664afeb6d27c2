"""Squadcast's outgoing webhook v2 shape, as far as nofault reads it."""

from __future__ import annotations

from nofault.web.integrations.sources.reading import Lenient, Text, TextOrEmpty, Time


class Named(Lenient):
    """Any `{id, name}` object."""

    text_as = "name"
    id: Text = None
    name: Text = None


class ResourceData(Lenient):
    """`data.resource_data` for an incident."""

    id: Text = None
    message: TextOrEmpty = ""
    url: Text = None
    service: Named = Named()
    created_at: Time = None
    assigned_to: Named = Named()


class Data(Lenient):
    """`data`."""

    resource_type: Text = None
    resource_data: ResourceData = ResourceData()
    team: Named = Named()


class Event(Lenient):
    """`event`."""

    id: Text = None
    type: Text = None
    timestamp: Time = None


class Delivery(Lenient):
    """The whole delivery."""

    event: Event = Event()
    data: Data = Data()
