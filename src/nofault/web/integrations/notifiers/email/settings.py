"""Email's settings: who reminders come from. Transport is the web app's (Django's mail)."""

from __future__ import annotations

from nofault.web.integrations.notifiers.base import NotifierSettings


class EmailSettings(NotifierSettings):
    """The sender address and a subject prefix."""

    from_address: str = "nofault@localhost"
    subject_prefix: str = "[nofault] "
