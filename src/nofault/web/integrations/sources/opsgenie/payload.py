"""Opsgenie's outgoing webhook shape (alert action data), as far as nofault reads it."""

from __future__ import annotations

from nofault.web.integrations.sources.reading import Lenient, Text, TextOrEmpty, Texts, Time


class Alert(Lenient):
    """The `alert` object."""

    alertId: Text = None
    message: TextOrEmpty = ""
    createdAt: Time = None
    updatedAt: Time = None
    priority: Text = None
    tags: Texts = ()
    teams: Texts = ()
    entity: Text = None
    username: Text = None
    note: Text = None


class Delivery(Lenient):
    """The whole delivery."""

    action: Text = None
    alert: Alert = Alert()
