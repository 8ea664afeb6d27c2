"""Review events reach the people concerned by email (a real SMTP server) through the worker;
a repeated event mails nobody twice, and a person who turned email off gets none."""

from __future__ import annotations

from typing import Any

import pytest

from nofault.web.notifications.services import preference_set, review_event_notify
from nofault.web.reviews import services as reviews
from nofault.web.worker.runner import work
from tests.web.factories import make_postmortem, make_user

# The worker closes its connection between tasks: no wrapping transaction (PostgreSQL).
pytestmark = pytest.mark.django_db(transaction=True)


def _subjects(smtp: Any, address: str) -> list[str]:
    return [str(m["Subject"]) for m in smtp.to(address) if "assigned" not in str(m["Subject"])]


def test_review_events_reach_the_people_concerned_once(smtp: Any) -> None:
    alex = make_user("author", "alex")
    sam = make_user("author", "sam")
    vic = make_user("author", "vic")
    for user in (alex, sam, vic):
        user.email = f"{user.username}@example.org"
        user.save()
    pm = make_postmortem(alex)
    reviews.postmortem_submit_for_review(postmortem=pm, actor=alex, reviewers=[sam])
    work(burst=True, schedule=False)
    assert _subjects(smtp, "sam@example.org") == [f"Review requested: {pm.title}"]
    # The factories' postmortem gives action item A2 to sam: sam heard of it, once.
    assigned = [m for m in smtp.to("sam@example.org") if "assigned" in str(m["Subject"])]
    assert len(assigned) == 1 and "A2 is yours" in assigned[0].get_payload()
    assert _subjects(smtp, "alex@example.org") == []  # not told of their own step

    pm.refresh_from_db()
    reviews.postmortem_comment_add(
        postmortem=pm, actor=sam, body="@alex the timeline stops at 10:42; @nobody here"
    )
    reviews.postmortem_approve(postmortem=pm, actor=sam)
    work(burst=True, schedule=False)
    assert _subjects(smtp, "alex@example.org") == [
        f"You were mentioned: {pm.title}",
        f"Approved: {pm.title}",
    ]
    mention = smtp.to("alex@example.org")[0].get_payload()
    assert "the timeline stops at 10:42" in mention and f"/postmortems/{pm.pk}/" in mention

    # The same event raised again (a retried step) sends nothing more.
    before = len(smtp.messages)
    review_event_notify(
        event="review_requested",
        event_key=f"review_requested:{pm.pk}:{pm.revision}",
        postmortem=pm,
        actor=alex,
        recipients=[sam],
    )
    work(burst=True, schedule=False)
    assert len(smtp.messages) == before

    # Vic turned email off: a mention reaches nobody.
    preference_set(user=vic, email=False, slack=False, slack_id="")
    reviews.postmortem_comment_add(postmortem=pm, actor=sam, body="thanks @vic")
    work(burst=True, schedule=False)
    assert smtp.to("vic@example.org") == []


def test_each_person_sets_their_own_preferences(author: Any, viewer: Any) -> None:
    from django.test import Client

    from nofault.web.notifications.services import preference

    client = Client()
    client.force_login(author)
    page = client.get("/notifications/")
    assert page.status_code == 200 and 'name="email" checked' in page.content.decode()
    saved = client.post("/notifications/", {"slack": "on", "slack_id": " U0123ABCD "})
    assert saved.status_code == 302
    chosen = preference(author)
    assert (chosen.email, chosen.slack, chosen.slack_id) == (False, True, "U0123ABCD")
    assert preference(viewer).email is True  # nobody else's changed
    assert Client().get("/notifications/").status_code in (302, 401, 403)
