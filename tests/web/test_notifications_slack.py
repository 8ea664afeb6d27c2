"""Review events reach Slack end to end: the event queues a worker task, the worker posts with
the bot token to a local server that answers with Slack's published responses, a failed post
is retried with its error kept, and a repeated event posts nothing twice."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone

from nofault.web.notifications.services import SEND_TASK, preference_set, review_event_notify
from nofault.web.reviews import services as reviews
from nofault.web.worker.models import Task, TaskStatus
from nofault.web.worker.runner import work
from tests.integrations.standins import Fault, SlackStandIn
from tests.web.factories import make_postmortem, make_user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def slack(settings: Any) -> Iterator[SlackStandIn]:
    """Slack's Web API on a local port, configured as the Slack notifier's bot (no retries
    inside the client, so each failure is the worker's to retry)."""
    with SlackStandIn() as stand_in:
        settings.NOFAULT_INTEGRATIONS = {
            "notifiers": {
                "slack": {"bot_token": "xoxb-test", "api_url": stand_in.url + "/api/", "retries": 0}
            }
        }
        yield stand_in


def _posts(slack: SlackStandIn, member: str) -> list[dict[str, Any]]:
    return [m for m in slack.messages if m["channel"] == member and "Review requested" in m["text"]]


def test_a_review_request_reaches_the_reviewer_in_slack_once(slack: SlackStandIn) -> None:
    alex = make_user("author", "alex")
    sam = make_user("author", "sam")
    preference_set(user=sam, email=False, slack=True, slack_id="U0123ABCD")
    pm = make_postmortem(alex)
    work(burst=True, schedule=False)  # the factories' item A2 is sam's: that post goes first
    slack.fail_next(Fault(status=503))
    reviews.postmortem_submit_for_review(postmortem=pm, actor=alex, reviewers=[sam])
    work(burst=True, schedule=False)

    # The first post met a server error: the task is queued again with the error kept.
    send = Task.objects.get(name=SEND_TASK, key__contains=f":{sam.pk}:slack",
                            kwargs__subject__startswith="Review requested")  # fmt: skip
    assert (
        send.status == TaskStatus.QUEUED
        and send.attempts == 1
        and "chat.postMessage" in send.last_error
    )
    assert _posts(slack, "U0123ABCD") == []

    Task.objects.filter(pk=send.pk).update(run_after=timezone.now())
    work(burst=True, schedule=False)
    (posted,) = _posts(slack, "U0123ABCD")
    assert slack.shape_errors == []
    assert posted["text"].startswith(f"Review requested: {pm.title}")
    assert posted["blocks"][-1]["elements"][0]["url"].endswith(f"/postmortems/{pm.pk}/")
    send.refresh_from_db()
    assert send.status == TaskStatus.DONE and send.attempts == 2

    # The same event raised again (a retried step) posts nothing more.
    review_event_notify(
        event="review_requested",
        event_key=f"review_requested:{pm.pk}:{pm.revision}",
        postmortem=pm,
        actor=alex,
        recipients=[sam],
    )
    work(burst=True, schedule=False)
    assert len(_posts(slack, "U0123ABCD")) == 1
