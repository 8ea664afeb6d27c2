"""Rootly (outgoing webhooks, and its deliveries feed) as an incident source."""

from nofault.web.integrations.sources.rootly.source import RootlySource

SOURCE = RootlySource()
