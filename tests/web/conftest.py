"""Fixtures for the web tests: a person per role, an outsider, a restricted incident, and a
real SMTP server for the mail the app sends."""

from __future__ import annotations

import email
import os
import re
import socket
from collections.abc import Iterator
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from rest_framework.test import APIClient

from tests.web.factories import make_incident, make_postmortem, make_user


@pytest.fixture(autouse=True)
def cache_emptied() -> None:
    """Each test starts with an empty cache: on SQLite the data version rolls back with a
    test's rows, so another test's figures could be filed under the same version."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def author(db: Any) -> Any:
    """An author."""
    return make_user("author", "alex")


@pytest.fixture
def reviewer(db: Any) -> Any:
    """A second author, to review."""
    return make_user("author", "sam")


@pytest.fixture
def facilitator(db: Any) -> Any:
    """A facilitator."""
    return make_user("facilitator", "fran")


@pytest.fixture
def viewer(db: Any) -> Any:
    """A viewer."""
    return make_user("viewer", "vic")


@pytest.fixture
def admin(db: Any) -> Any:
    """An admin."""
    return make_user("admin", "ada")


@pytest.fixture
def drafts_open(db: Any) -> None:
    """The organisation lets everyone who may see an incident read its postmortem before
    publication (drafts are kept to their participants until an admin opens them)."""
    from nofault.web.reviews.models import PolicySettings

    PolicySettings.objects.create(draft_readers=PolicySettings.EVERYONE)


@pytest.fixture
def postmortem(author: Any) -> Any:
    """A draft postmortem with two action items."""
    return make_postmortem(author)


@pytest.fixture
def api(author: Any) -> APIClient:
    """An API client authenticated as the author with a token."""
    from nofault.web.accounts.services import token_issue

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_issue(user=author)}")
    return client


@pytest.fixture
def secret(db: Any) -> dict[str, Any]:
    """A restricted incident with a postmortem, action items and a comment, seen by members only."""
    from nofault.web.reviews import services as review_services

    owner = make_user("facilitator", "sec-owner")
    incident = make_incident(
        owner,
        title="ZZSECRET credential leak",
        severity="SEV1",
        restricted=True,
        services=["zzsecretsvc"],
    )
    source = (
        "---\nincidents:\n  - " + incident.key + "\n---\n\n# ZZSECRET credential leak\n\n"
        "## Summary\n\nZZSECRET body text.\n\n## Action items\n\n"
        "| ID | Action | Type | Owner | Person | Due | Status | Factors | Tracker |\n"
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n"
        "| A1 | ZZSECRET rotate keys | repair | team-zzsecret | x | 2020-01-01 | open |  |  |\n"
    )
    pm = make_postmortem(owner, incident, source)
    review_services.postmortem_comment_add(postmortem=pm, actor=owner, body="ZZSECRET comment")
    return {"owner": owner, "incident": incident, "postmortem": pm, "marker": "ZZSECRET"}


class _Inbox:
    """Collects every message the server accepts."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"

    def to(self, address: str) -> list[Message]:
        """Messages addressed to `address`."""
        return [m for m in self.messages if address in str(m["To"])]

    def link(self, address: str) -> str:
        """The path of the last link mailed to `address`."""
        body = self.to(address)[-1].get_payload(decode=True).decode()
        return re.findall(r"https?://[^/\s]+(/\S+)", body)[-1]


@pytest.fixture
def smtp(settings: Any) -> Iterator[_Inbox]:
    """An SMTP server on a free port that Django's mail is sent to."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    try:
        yield inbox
    finally:
        controller.stop()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Deselect (not skip) the tests marked `postgresql` when the suite runs on SQLite."""
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        return
    chosen = [item for item in items if item.get_closest_marker("postgresql") is None]
    if len(chosen) != len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in chosen])
        items[:] = chosen
