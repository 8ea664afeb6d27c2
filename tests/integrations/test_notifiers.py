"""Slack (through slack-sdk) against a local stand-in, and email through a given mailer."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pydantic import SecretStr, ValidationError

from nofault.web.integrations.notifiers import all_notifiers, get_notifier
from nofault.web.integrations.notifiers.base import Notification, NotificationFailed, Notifier
from nofault.web.integrations.notifiers.email.settings import EmailSettings
from nofault.web.integrations.notifiers.slack.settings import SlackSettings

from .standins import Fault, SlackStandIn

REMINDER = Notification(
    recipient="C1H9RESGL",
    subject="Postmortem overdue: INC-42 Checkout errors",
    text="The review of INC-42 was due on 2026-03-01. You own it.",
    link="https://nofault.example/incidents/INC-42",
    items=("INC-42 (SEV2) due 2026-03-01",),
)


@pytest.fixture
def slack() -> Iterator[SlackStandIn]:
    with SlackStandIn() as stand_in:
        yield stand_in


def bot(slack: SlackStandIn, token: str = "xoxb-test") -> SlackSettings:
    return SlackSettings(bot_token=SecretStr(token), api_url=slack.url + "/api/")


def test_registry_finds_slack_and_email() -> None:
    assert set(all_notifiers()) == {"slack", "email"}
    assert all(isinstance(n, Notifier) for n in all_notifiers().values())


def test_chat_post_message(slack: SlackStandIn) -> None:
    delivered = get_notifier("slack").connect(bot(slack)).send(REMINDER)
    assert slack.shape_errors == []
    assert delivered.ref == "1503435956.000247" and delivered.recipient == "C1H9RESGL"
    (message,) = slack.messages
    assert message["channel"] == "C1H9RESGL"
    assert "INC-42" in message["text"]
    assert message["blocks"][-1]["elements"][0]["url"] == REMINDER.link


def test_chat_post_message_errors_are_in_the_body(slack: SlackStandIn) -> None:
    client = get_notifier("slack").connect(bot(slack))
    with pytest.raises(NotificationFailed, match="channel_not_found") as caught:
        client.send(Notification(recipient="C-missing", subject="s", text="t"))
    assert not caught.value.retryable
    with pytest.raises(NotificationFailed, match="invalid_auth"):
        get_notifier("slack").connect(bot(slack, "xoxb-wrong")).send(REMINDER)


def test_chat_post_message_rides_out_a_rate_limit(slack: SlackStandIn) -> None:
    slack.fail_next(
        Fault(
            status=429, headers={"Retry-After": "1"}, body=b'{"ok": false, "error": "ratelimited"}'
        )
    )
    delivered = get_notifier("slack").connect(bot(slack)).send(REMINDER)
    assert delivered.ref and len(slack.messages) == 1
    assert len([r for r in slack.requests if r.path == "/api/chat.postMessage"]) == 2


def test_incoming_webhook(slack: SlackStandIn) -> None:
    settings = SlackSettings(webhook_url=SecretStr(slack.webhook_url))
    client = get_notifier("slack").connect(settings)
    client.send(REMINDER)
    assert slack.shape_errors == [] and len(slack.messages) == 1
    assert "channel" not in slack.messages[0]
    slack.fail_next(Fault(status=503))
    client.send(REMINDER)  # slack-sdk's server-error handler retries once
    assert len(slack.messages) == 2


def test_incoming_webhook_no_team(slack: SlackStandIn) -> None:
    settings = SlackSettings(webhook_url=SecretStr(slack.url + "/services/T0/B0/gone"))
    with pytest.raises(NotificationFailed, match="404: no_team"):
        get_notifier("slack").connect(settings).send(REMINDER)


def test_slack_needs_a_way_to_send() -> None:
    with pytest.raises(ValidationError):
        SlackSettings()


class Mailer:
    def __init__(self, sent: int = 1) -> None:
        self.outbox: list[tuple[str, str, str | None, list[str]]] = []
        self.sent = sent

    def __call__(
        self, subject: str, message: str, from_email: str | None, recipient_list: list[str]
    ) -> int:
        self.outbox.append((subject, message, from_email, recipient_list))
        return self.sent


def test_email_through_the_given_mailer() -> None:
    mailer = Mailer()
    client = get_notifier("email").connect(
        EmailSettings(from_address="pm@acme.test"), mailer=mailer
    )
    note = Notification(
        recipient="owner@acme.test",
        subject=REMINDER.subject,
        text=REMINDER.text,
        link=REMINDER.link,
        items=REMINDER.items,
    )
    assert client.send(note).recipient == "owner@acme.test"
    ((subject, body, sender, to),) = mailer.outbox
    assert subject == "[nofault] " + REMINDER.subject and sender == "pm@acme.test"
    assert to == ["owner@acme.test"] and REMINDER.link in body and "- INC-42" in body
    with pytest.raises(NotificationFailed):
        client.send(REMINDER)  # a Slack channel id is not an address
    with pytest.raises(NotificationFailed, match="sent nothing"):
        get_notifier("email").connect(EmailSettings(), mailer=Mailer(sent=0)).send(note)
    with pytest.raises(NotificationFailed, match="mailer"):
        get_notifier("email").connect(EmailSettings())
