"""The home page: reviews waiting for my verdict, my open action items (overdue first, said
in words), my drafts, and the first two counted in the navigation."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client

from nofault.web.postmortems import services as pm_services
from nofault.web.reviews import services as review_services
from tests.web.factories import make_incident, make_postmortem, make_user


def _home(user: Any) -> str:
    client = Client()
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def _section(html: str, name: str) -> str:
    match = re.search(rf'aria-labelledby="inbox-{name}">(.*?)</section>', html, re.S)
    assert match is not None, name
    return match.group(1)


def _nav(html: str) -> str:
    match = re.search(r'<nav aria-label="Main">(.*?)</nav>', html, re.S)
    assert match is not None
    return match.group(1)


def test_visitors_are_sent_to_log_in(db: Any) -> None:
    response = Client().get("/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_my_items_lead_with_the_overdue_and_my_drafts_are_listed(
    author: Any, reviewer: Any, postmortem: Any
) -> None:
    home = _home(author)  # A1 (alex, due 2020-01-01, open); A2 is sam's
    items = _section(home, "items")
    assert "A1" in items and "A2" not in items
    assert "Overdue, due 2020-01-01" in items and "⚠" in items
    assert postmortem.incident.key in _section(home, "drafts")
    assert "1 to do" in _nav(home) and "to review" not in _nav(home)

    home = _home(reviewer)  # A2 (sam, due 2099-01-01, in progress)
    items = _section(home, "items")
    assert "A2" in items and "Due 2099-01-01" in items and "Overdue" not in items
    assert postmortem.incident.key not in _section(home, "drafts")


def test_a_review_waits_until_i_give_a_verdict_on_the_current_revision(
    author: Any, reviewer: Any, postmortem: Any
) -> None:
    key = postmortem.incident.key
    assert key not in _section(_home(reviewer), "reviews")
    pm = review_services.postmortem_submit_for_review(
        postmortem=postmortem, actor=author, reviewers=[reviewer]
    )
    home = _home(reviewer)
    assert key in _section(home, "reviews") and "1 to review" in _nav(home)

    review_services.postmortem_request_changes(postmortem=pm, actor=reviewer, body="Say more")
    home = _home(reviewer)
    assert key not in _section(home, "reviews") and "to review" not in _nav(home)

    pm.refresh_from_db()
    pm_services.postmortem_save(
        postmortem=pm,
        actor=author,
        source=pm.source.replace("## Summary\n\n", "## Summary\n\nMore detail. ", 1),
        base_revision=pm.revision,
    )
    assert key in _section(_home(reviewer), "reviews")  # a new revision asks again

    pm.refresh_from_db()
    review_services.postmortem_approve(postmortem=pm, actor=reviewer)
    assert key not in _section(_home(reviewer), "reviews")


def test_a_restricted_incident_counts_only_for_those_who_may_see_it(author: Any) -> None:
    olga = make_user("author", "olga")
    incident = make_incident(author, title="Token leak", restricted=True)
    make_postmortem(author, incident)
    # The action items name alex and sam; olga owns one of a second, restricted postmortem.
    hidden = make_incident(author, title="Key rotation", restricted=True)
    pm = make_postmortem(author, hidden)
    pm_services.postmortem_save(
        postmortem=pm,
        actor=author,
        source=pm.source.replace("| alex | 2020-01-01", "| olga | 2020-01-01"),
        base_revision=pm.revision,
    )
    home = _home(olga)
    assert "A1" not in _section(home, "items") and "to do" not in _nav(home)
    hidden.members.add(olga)
    home = _home(olga)
    assert "A1" in _section(home, "items") and "1 to do" in _nav(home)


def test_others_drafts_stay_off_my_home(author: Any, viewer: Any, postmortem: Any) -> None:
    home = _home(viewer)
    assert postmortem.incident.key not in home
    assert "No review waits for you" in home and "You have no postmortem in progress" in home


def test_counts_past_the_cap_read_99_plus() -> None:
    from nofault.web.inbox.selectors import COUNT_CAP, InboxCounts

    counts = InboxCounts(reviews=COUNT_CAP, action_items=COUNT_CAP + 1)
    assert (counts.reviews_text, counts.action_items_text) == ("99", "99+")


def test_the_home_page_reads_the_same_statements_however_many_rows_it_lists(
    author: Any, reviewer: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def statements() -> tuple[int, str]:
        client = Client()
        client.force_login(reviewer)
        with CaptureQueriesContext(connection) as captured:
            html = client.get("/").content.decode()
        return len(captured), html

    def submitted() -> Any:  # a draft of the author's, in review with the reviewer
        pm = make_postmortem(author)
        review_services.postmortem_submit_for_review(
            postmortem=pm, actor=author, reviewers=[reviewer]
        )
        return pm

    first = submitted()
    few, html = statements()
    assert first.incident.key in _section(html, "reviews") and "1 to review" in _nav(html)
    more = [submitted() for _ in range(3)]
    many, html = statements()
    assert all(pm.incident.key in _section(html, "reviews") for pm in more)
    assert "4 to review" in _nav(html) and "A2" in _section(html, "items")
    assert many == few
