"""A review people can follow: verdicts that are not repeated, reasons in plain text, accepted
blame on the record, an independent reviewer, and who may lift a restriction."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from nofault.web.api_errors import NotAllowedError, ServiceError
from nofault.web.incidents import services as incident_services
from nofault.web.postmortems.models import Comment, Postmortem
from nofault.web.reviews import services as review_services
from nofault.web.reviews.models import PolicySettings
from tests.web.factories import PASSWORD, SOURCE, make_incident, make_postmortem


def _login(user: Any) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _in_review(author: Any, reviewer: Any, source: str | None = None) -> Postmortem:
    incident = make_incident(author)
    text = source.format(key=incident.key, title="T") if source else None
    pm = make_postmortem(author, incident, text)
    return review_services.postmortem_submit_for_review(
        postmortem=pm, actor=author, reviewers=[reviewer]
    )


class _Ancestors(HTMLParser):
    """The classes and ids of the elements around the element with a given id."""

    VOID = frozenset({"input", "br", "img", "meta", "link", "hr", "source", "wbr"})

    def __init__(self, target: str) -> None:
        super().__init__()
        self.target, self.stack, self.found = target, [], None  # type: ignore[var-annotated]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id") == self.target and self.found is None:
            self.found = list(self.stack)
        if tag not in self.VOID:
            self.stack.append((tag, a.get("class") or "", a.get("id") or ""))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break


def _ancestors(html: str, element_id: str) -> list[tuple[str, str, str]]:
    parser = _Ancestors(element_id)
    parser.feed(html)
    assert parser.found is not None, f"no #{element_id} on the page"
    return parser.found


def test_a_reviewer_requests_changes_and_no_verdict_is_given_twice(
    author: Any, reviewer: Any
) -> None:
    pm = _in_review(author, reviewer)
    review_services.postmortem_request_changes(
        postmortem=pm, actor=reviewer, body="Say what the alert missed."
    )
    assert Comment.objects.filter(postmortem=pm, author=reviewer).count() == 1
    with pytest.raises(ServiceError) as twice:
        review_services.postmortem_request_changes(postmortem=pm, actor=reviewer)
    assert twice.value.reason == "already_changes_requested"
    # Changes requested is not an approval: publishing waits.
    assert review_services.missing_approvals(postmortem=pm) == [reviewer]
    with pytest.raises(ServiceError, match="waiting for approval from sam"):
        review_services.postmortem_publish(postmortem=pm, actor=author)
    review_services.postmortem_approve(postmortem=pm, actor=reviewer)
    with pytest.raises(ServiceError) as again:
        review_services.postmortem_approve(postmortem=pm, actor=reviewer)
    assert again.value.reason == "already_approved"
    assert review_services.missing_approvals(postmortem=pm) == []


def test_the_page_offers_only_the_verdicts_not_given_yet(author: Any, reviewer: Any) -> None:
    pm = _in_review(author, reviewer)
    client = _login(reviewer)
    page = client.get(f"/postmortems/{pm.pk}/").content.decode()
    assert 'id="approve"' in page and 'id="request-changes"' in page
    assert '<label for="request-changes-body">' in page
    response = client.post(f"/postmortems/{pm.pk}/request-changes/", {"body": "Add the timeline."})
    assert response.status_code == 302
    page = client.get(f"/postmortems/{pm.pk}/").content.decode()
    assert 'id="request-changes"' not in page and 'id="approve"' in page
    assert "changes requested" in page and "Add the timeline." in page
    client.post(f"/postmortems/{pm.pk}/approve/")
    page = client.get(f"/postmortems/{pm.pk}/").content.decode()
    assert 'id="approve"' not in page and 'id="request-changes"' in page


def test_the_api_requests_changes_once(author: Any, reviewer: Any) -> None:
    pm = _in_review(author, reviewer)
    api = APIClient()
    api.force_authenticate(reviewer)
    url = f"/api/postmortems/{pm.pk}/request-changes/"
    assert api.post(url, {"body": "More on detection."}, format="json").status_code == 200
    refused = api.post(url, {}, format="json")
    assert refused.status_code == 409 and refused.json()["reason"] == "already_changes_requested"


def test_a_disabled_publish_button_says_why_in_text(author: Any, reviewer: Any) -> None:
    pm = _in_review(author, reviewer)
    page = _login(author).get(f"/postmortems/{pm.pk}/").content.decode()
    assert "disabled" in page.split('id="publish"')[1].split(">")[0]
    assert 'aria-describedby="publish-why"' in page
    why = page.split('id="publish-why"')[1].split("</p>")[0]
    assert "waits for approval from sam" in why


def test_publishing_over_blame_is_recorded_and_shown(author: Any, reviewer: Any) -> None:
    blameful = SOURCE.replace(
        "For 40 minutes", "Bob should have checked the dashboard. For 40 minutes"
    )
    pm = _in_review(author, reviewer, blameful)
    assert pm.blame_count >= 1
    review_services.postmortem_approve(postmortem=pm, actor=reviewer)
    review_services.postmortem_publish(postmortem=pm, actor=author, accept_blame_findings=True)
    pm.refresh_from_db()
    assert pm.blame_accepted_by == author
    assert len(pm.blame_accepted) == pm.blame_count
    assert all(f["category"] == "blame" for f in pm.blame_accepted)
    page = _login(reviewer).get(f"/postmortems/{pm.pk}/").content.decode()
    record = page.split('id="blame-accepted"')[1].split("</div>")[0]
    assert "accepted by alex" in record and pm.blame_accepted[0]["message"][:30] in record
    api = APIClient()
    api.force_authenticate(reviewer)
    data = api.get(f"/api/postmortems/{pm.pk}/").json()
    assert data["blame_accepted_by"] == "alex" and len(data["blame_accepted"]) == pm.blame_count


def test_reopening_clears_the_accepted_blame(author: Any, reviewer: Any, facilitator: Any) -> None:
    blameful = SOURCE.replace(
        "For 40 minutes", "Bob should have checked the dashboard. For 40 minutes"
    )
    pm = _in_review(author, reviewer, blameful)
    review_services.postmortem_approve(postmortem=pm, actor=reviewer)
    review_services.postmortem_publish(postmortem=pm, actor=author, accept_blame_findings=True)
    review_services.postmortem_reopen(postmortem=pm, actor=facilitator)
    pm.refresh_from_db()
    assert pm.blame_accepted == [] and pm.blame_accepted_by is None


def test_the_comment_box_is_in_plain_view(author: Any, reviewer: Any) -> None:
    pm = _in_review(author, reviewer)
    page = _login(reviewer).get(f"/postmortems/{pm.pk}/").content.decode()
    around = _ancestors(page, "comment-body")
    assert not any("side" in cls.split() for _, cls, _ in around), around
    assert '<label for="comment-body">' in page


def test_a_review_needs_a_reviewer_who_is_not_an_author(
    author: Any, reviewer: Any, admin: Any
) -> None:
    pm = make_postmortem(author)
    with pytest.raises(ServiceError) as refused:
        review_services.postmortem_submit_for_review(
            postmortem=pm, actor=author, reviewers=[author]
        )
    assert refused.value.reason == "no_independent_reviewer"
    pm.refresh_from_db()
    assert pm.status == "draft" and not pm.reviewers.exists()
    # An author among the reviewers is fine when another reviewer is independent.
    review_services.postmortem_submit_for_review(
        postmortem=pm, actor=author, reviewers=[author, reviewer]
    )
    assert pm.status == "in_review"
    # The organisation may allow a review by its authors alone.
    PolicySettings.objects.create(independent_reviewer=False)
    other = make_postmortem(author)
    review_services.postmortem_submit_for_review(postmortem=other, actor=author, reviewers=[author])
    assert other.status == "in_review"


def test_only_a_facilitator_or_admin_lifts_a_restriction(
    author: Any, facilitator: Any, admin: Any
) -> None:
    incident = make_incident(author, restricted=True)
    with pytest.raises(NotAllowedError):
        incident_services.incident_update(incident=incident, actor=author, restricted=False)
    incident.refresh_from_db()
    assert incident.restricted
    api = APIClient()
    api.force_authenticate(author)
    response = api.patch(f"/api/incidents/{incident.key}/", {"restricted": False}, format="json")
    assert response.status_code == 403
    incident.refresh_from_db()
    assert incident.restricted
    # An author may still restrict, and a facilitator may lift it.
    open_one = make_incident(author)
    incident_services.incident_update(incident=open_one, actor=author, restricted=True)
    incident_services.incident_update(incident=incident, actor=facilitator, restricted=False)
    incident.refresh_from_db()
    assert not incident.restricted
