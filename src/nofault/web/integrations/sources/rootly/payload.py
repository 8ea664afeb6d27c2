"""Rootly's event shape, as far as nofault reads it.

A webhook sends `{"event": {"id", "type", "issued_at"}, "data": {…}}`; the deliveries feed
Rootly's edge connector polls holds `{"events": [{"id", "event_type", "timestamp", "data"}]}`.
Both carry the same incident resource in `data`.
"""

from __future__ import annotations

from typing import Annotated

from nofault.web.integrations.sources.reading import Lenient, LenientList, Text, Time


class Named(Lenient):
    """A service, group or severity: `{id, name, slug}`, or just its name."""

    text_as = "name"
    name: Text = None
    slug: Text = None


class Incident(Lenient):
    """`data` of an incident.* event."""

    id: Text = None
    title: Text = None
    status: Text = None
    url: Text = None
    started_at: Time = None
    detected_at: Time = None
    created_at: Time = None
    updated_at: Time = None
    acknowledged_at: Time = None
    mitigated_at: Time = None
    resolved_at: Time = None
    cancelled_at: Time = None
    severity: Named = Named()
    services: Annotated[tuple[Named, ...], LenientList] = ()
    groups: Annotated[tuple[Named, ...], LenientList] = ()


class Event(Lenient):
    """The webhook's `event`, or one event of the feed (which names its fields otherwise)."""

    id: Text = None
    event_id: Text = None
    type: Text = None
    event_type: Text = None
    issued_at: Time = None
    timestamp: Time = None


class FeedEvent(Event):
    """One event of the deliveries feed: the event's fields beside its `data`."""

    data: Incident = Incident()


class Delivery(Lenient):
    """A webhook delivery, or a page of the feed (`events`)."""

    event: Event = Event()
    data: Incident = Incident()
    events: Annotated[tuple[FeedEvent, ...], LenientList] = ()
