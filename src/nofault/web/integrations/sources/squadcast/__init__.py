"""Squadcast (outgoing webhooks v2) as an incident source: added without touching anything else."""

from nofault.web.integrations.sources.squadcast.source import SquadcastSource

SOURCE = SquadcastSource()
