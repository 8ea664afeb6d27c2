"""The postmortem's review page: its action items and comments as the page shows them.

On PostgreSQL the page reads them in its one postmortem statement (as JSON arrays); on
SQLite in queries of their own. Either way the page says the same.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.template import Context, Template
from django.test import Client
from django.test.utils import CaptureQueriesContext

from nofault.web.choices import ActionStatusChoices
from nofault.web.postmortems.models import Comment
from nofault.web.rendering import badge
from nofault.web.reviews import services as review_services
from tests.web.factories import SOURCE, make_incident, make_postmortem, make_user

pytestmark = pytest.mark.django_db


def _page(user: Any, pk: int) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(f"/postmortems/{pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_items_and_comments_as_shown() -> None:
    owner = make_user("author", "pat.page")
    pm = make_postmortem(owner)
    review_services.postmortem_comment_add(
        postmortem=pm, actor=owner, body="First line <b>bold?</b>\nsecond & last"
    )
    gone = make_user("author")
    later = Comment.objects.create(postmortem=pm, author=gone, body="Later", revision=1)
    Comment.objects.filter(pk=later.pk).update(
        created_at=datetime(2099, 1, 2, 3, 4, tzinfo=UTC), author=None
    )
    html = _page(owner, pm.pk)
    rows = re.findall(r'<tr class="(overdue|)"><td>(A\d)</td><td>([^<]*)</td>', html)
    assert rows == [
        ("overdue", "A1", "Send configuration through the canary"),  # due 2020, open
        ("", "A2", "Alert on error growth"),  # due 2099
    ]
    in_progress = str(badge(ActionStatusChoices, "in_progress"))
    assert f"<td>A2</td><td>Alert on error growth</td><td>{in_progress}</td>" in html
    as_template_prints = Template("{{ due }}").render(Context({"due": date(2020, 1, 1)}))
    assert f'<td class="due">{as_template_prints}</td>' in html
    comments = re.findall(r'<div class="cardlet"><strong>([^<]*)</strong>(.*?)</div></div>', html)
    assert [c[0] for c in comments] == ["pat.page", "someone"]  # oldest first; no author
    assert "First line &lt;b&gt;bold?&lt;/b&gt;<br>second &amp; last" in comments[0][1]
    assert "2099-01-02 03:04 · revision 1" in comments[1][1]
    assert "None yet." not in html and "No comments yet." not in html


def test_no_items_and_no_comments() -> None:
    owner = make_user("author")
    incident = make_incident(owner)
    source = SOURCE.format(key=incident.key, title=incident.title).split("## Action items")[0]
    pm = make_postmortem(owner, incident, source=source)
    html = _page(owner, pm.pk)
    assert '<tr><td class="muted">None yet.</td></tr>' in html
    assert '<p class="muted">No comments yet.</p>' in html


def test_page_reads_no_more_than_it_shows() -> None:
    """Session, person, the services of the person's teams (which restricted incidents they
    see), the postmortem, its items, its comments and, as it is a draft, the people who may
    review it; and the navigation's counts of what waits for the person (their teams'
    services again, then both counts in one statement)."""
    from django.db import connection

    owner = make_user("author")
    pm = make_postmortem(owner)
    review_services.postmortem_comment_add(postmortem=pm, actor=owner, body="A remark")
    client = Client()
    client.force_login(owner)
    client.get(f"/postmortems/{pm.pk}/")
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(f"/postmortems/{pm.pk}/").status_code == 200
    assert len(ctx.captured_queries) <= 9, [q["sql"][:80] for q in ctx.captured_queries]


def test_a_page_published_over_blame_reads_what_it_shows_with_the_postmortem() -> None:
    """Who published it, the blame findings accepted and who accepted them come in the
    postmortem's statement: the page reads no more than a page published without blame."""
    from django.db import connection

    author, reviewer = make_user("author", "ana.pub"), make_user("author")

    def published(source: str | None) -> Any:
        incident = make_incident(author)
        text = source.format(key=incident.key, title="T") if source else None
        pm = review_services.postmortem_submit_for_review(
            postmortem=make_postmortem(author, incident, text), actor=author, reviewers=[reviewer]
        )
        review_services.postmortem_approve(postmortem=pm, actor=reviewer)
        return review_services.postmortem_publish(
            postmortem=pm, actor=author, accept_blame_findings=bool(source)
        )

    clean = published(None)
    blameful = published(
        SOURCE.replace("For 40 minutes", "Bob should have checked the dashboard. For 40 minutes")
    )
    client = Client()
    client.force_login(reviewer)
    counts, pages = [], []
    for pm in (clean, blameful):
        client.get(f"/postmortems/{pm.pk}/")
        with CaptureQueriesContext(connection) as ctx:
            pages.append(client.get(f"/postmortems/{pm.pk}/").content.decode())
        counts.append(len(ctx.captured_queries))
    assert 'id="blame-accepted"' not in pages[0]
    record = pages[1].split('id="blame-accepted"')[1].split("</div>")[0]
    assert "accepted by ana.pub" in record and "Bob should have checked" in pages[1]
    assert counts[1] == counts[0] <= 8, counts


def test_an_outsider_gets_404_for_a_restricted_postmortem() -> None:
    owner = make_user("author")
    pm = make_postmortem(owner, make_incident(owner, restricted=True))
    client = Client()
    client.force_login(make_user("author"))
    assert client.get(f"/postmortems/{pm.pk}/").status_code == 404
    assert "Send configuration" in _page(owner, pm.pk)


def test_the_revisions_page_names_an_items_new_status_in_words() -> None:
    from nofault.web.postmortems.services import postmortem_action_status_set

    owner = make_user("author")
    pm = make_postmortem(owner)
    postmortem_action_status_set(
        postmortem=pm, actor=owner, key="A1", status="wont_do", reason="Replaced by A2"
    )
    client = Client()
    client.force_login(owner)
    page = client.get(f"/postmortems/{pm.pk}/revisions/").content.decode()
    assert "action item A1: Won&#x27;t do" in page and "wont_do" not in page
