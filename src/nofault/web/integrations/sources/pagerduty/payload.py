"""The Webhooks V3 wire shape, as far as nofault reads it: every field lenient, others ignored."""

from __future__ import annotations

from typing import Annotated

from nofault.web.integrations.sources.reading import Lenient, LenientList, Text, TextOrEmpty


class Reference(Lenient):
    """A `*_reference` object: only id and type are always present (see `pagey.ping`)."""

    text_as = "summary"
    id: Text = None
    type: Text = None
    summary: Text = None
    html_url: Text = None


class Data(Lenient):
    """`event.data`: an incident, or a note, status update… naming its incident."""

    id: Text = None
    type: Text = None
    html_url: Text = None
    incident_key: Text = None
    created_at: Text = None
    title: Text = None
    service: Reference = Reference()
    assignees: Annotated[tuple[Reference, ...], LenientList] = ()
    teams: Annotated[tuple[Reference, ...], LenientList] = ()
    priority: Reference = Reference()
    urgency: Text = None
    content: TextOrEmpty = ""  # a note's text
    message: Text = None  # a status update's text
    incident: Reference = Reference()


class Event(Lenient):
    """The `event` envelope."""

    id: Text = None
    event_type: Text = None
    resource_type: Text = None
    occurred_at: Text = None
    agent: Reference = Reference()
    data: Data = Data()


class Envelope(Lenient):
    """The whole delivery."""

    event: Event = Event()
