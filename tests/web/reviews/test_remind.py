"""Reminders, escalation, the weekly digest and recurrences, with Slack on a local stand-in."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone
from typer.testing import CliRunner

from nofault.cli.main import app as cli
from nofault.web.actions.models import ActionItem
from nofault.web.reviews import flows
from nofault.web.reviews.models import PolicySettings, Recurrence, ReminderSent
from tests.integrations.standins import SlackStandIn
from tests.web.factories import SOURCE, make_incident, make_postmortem, make_user


@pytest.fixture
def slack(settings: Any) -> Iterator[SlackStandIn]:
    with SlackStandIn() as stand_in:
        settings.NOFAULT_INTEGRATIONS = {
            "base_url": "http://nofault.test",
            "notifiers": {"slack": {"webhook_url": stand_in.webhook_url}, "email": {}},
        }
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        yield stand_in


@pytest.mark.django_db
def test_overdue_items_are_chased_once_then_escalated(slack: SlackStandIn) -> None:
    alex = make_user("author", "alex")
    alex.email = "alex@example.test"
    alex.save()
    PolicySettings.objects.create(sponsor="ada", facilitator_after_days=2, sponsor_after_days=5)
    make_postmortem(alex)  # A1 due 2020-01-01 (overdue), A2 due 2099
    first = flows.remind()
    assert first.sent >= 1 and not first.failed and slack.shape_errors == []
    to_alex = [r for r in first.reminders if r.recipient == "alex"]
    assert to_alex and all(r.level.value == "owner" for r in to_alex)
    assert any("A1" in m["text"] for m in slack.messages)
    assert any(m.to == ["alex@example.test"] for m in mail.outbox)
    # A second run right after sends nothing new.
    before = len(slack.messages)
    second = flows.remind()
    assert second.reminders == [] and second.digests == [] and len(slack.messages) == before
    # Long overdue: the sponsor is reminded too (A1 was due years ago, so at once).
    assert any(r.recipient == "ada" and r.level.value == "sponsor" for r in first.reminders)
    # A day later the owner is reminded again (once per repeat interval).
    later = flows.remind(now=timezone.now() + timedelta(days=1, minutes=1))
    assert any(r.recipient == "alex" for r in later.reminders)


@pytest.mark.django_db
def test_dry_run_sends_and_records_nothing(slack: SlackStandIn) -> None:
    make_postmortem(make_user("author", "alex"))
    report = flows.remind(dry_run=True)
    assert report.reminders and slack.messages == [] and not ReminderSent.objects.exists()


@pytest.mark.django_db
def test_weekly_digest_once_a_week(slack: SlackStandIn) -> None:
    make_postmortem(make_user("author", "alex"))
    report = flows.remind()
    assert any(d.recipient == "alex" for d in report.digests)
    assert any("Weekly follow-through" in m["text"] for m in slack.messages)
    assert flows.remind().digests == []
    assert flows.remind(now=timezone.now() + timedelta(days=7)).digests


@pytest.mark.django_db
def test_undelivered_reminders_are_tried_again(settings: Any) -> None:
    settings.NOFAULT_INTEGRATIONS = {"notifiers": {}}
    make_postmortem(make_user("author", "alex"))
    report = flows.remind()
    assert report.failed and not ReminderSent.objects.exists()


@pytest.mark.django_db
def test_a_new_incident_on_the_same_service_and_category_marks_the_item_recurred() -> None:
    alex = make_user("author", "alex")
    earlier = make_incident(alex, title="Checkout config push", services=["checkout"])
    make_postmortem(alex, earlier)
    later = make_incident(alex, title="Checkout again", services=["checkout"])
    later.started_at = timezone.now() + timedelta(minutes=5)
    later.save()
    make_postmortem(alex, later, SOURCE.format(key=later.key, title=later.title))
    found = flows.recurrences_find()
    items = {r.action_item.key for r in found if r.action_item.postmortem.incident == earlier}
    assert items == {"A1", "A2"}
    assert all(
        r.postmortem.incident == later
        for r in found
        if r.action_item.postmortem.incident == earlier
    )
    a1 = ActionItem.objects.get(postmortem__incident=earlier, key="A1")
    assert flows.action_item_recurred(item=a1)
    assert flows.recurrences_find() == []  # stored once
    other = make_incident(alex, title="Elsewhere", services=["search"])
    make_postmortem(
        alex,
        other,
        SOURCE.format(key=other.key, title=other.title).replace(
            "severity: SEV2", "severity: SEV2\nservices:\n  - search"
        ),
    )
    assert not Recurrence.objects.filter(
        postmortem__incident=other, action_item__postmortem__incident=earlier
    ).exists()


@pytest.mark.django_db(transaction=True)
def test_coverage_cli_reads_the_api(live_server: Any) -> None:
    from nofault.web.accounts.services import token_issue

    alex = make_user("author", "alex")
    incident = make_incident(alex, title="Checkout down", severity="SEV4")
    token = token_issue(user=alex)
    runner = CliRunner()
    result = runner.invoke(
        cli, ["coverage", "--server", live_server.url, "--token", token, "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (
        data["incidents"][0]["key"] == incident.key and data["incidents"][0]["state"] == "missing"
    )
    text = runner.invoke(cli, ["coverage", "--server", live_server.url, "--token", token])
    assert (
        text.exit_code == 0 and "Review coverage: 0%" in text.output and incident.key in text.output
    )
    bad = runner.invoke(cli, ["coverage", "--server", live_server.url, "--token", "nope"])
    assert bad.exit_code == 2
    gone = runner.invoke(cli, ["coverage", "--server", "http://127.0.0.1:9", "--token", token])
    assert gone.exit_code == 3
