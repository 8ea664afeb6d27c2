"""Who reads a postmortem before it is published is the organisation's setting: kept to its
participants (authors, reviewers, facilitators and admins), as it is until an admin opens
drafts to everyone, it is kept so on every door."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from nofault.web.accounts.services import token_issue
from nofault.web.reviews import services as review_services
from nofault.web.reviews.models import PolicySettings
from tests.web.factories import make_incident, make_postmortem, make_user
from tests.web.test_access import _fill, _routes, _texts

MARKER = "ZZDRAFTBODY"


@pytest.fixture
def draft(db: Any) -> dict[str, Any]:
    """An open incident whose postmortem, not yet published, says something in its summary;
    no admin has saved the review policy, so drafts are kept to their participants."""
    owner = make_user("author", "drafter")
    incident = make_incident(owner, title="Checkout errors", services=["checkout"])
    source = (
        "---\nincidents:\n  - " + incident.key + "\n---\n\n# Checkout errors\n\n"
        f"## Summary\n\n{MARKER} Bob should have checked the dashboard.\n\n## Action items\n\n"
        "| ID | Action | Type | Owner | Person | Due | Status | Factors | Tracker |\n"
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n"
        "| A1 | Alert on error growth | detect | team-a | x | 2099-01-01 | open |  |  |\n"
    )
    pm = make_postmortem(owner, incident, source)
    review_services.postmortem_comment_add(postmortem=pm, actor=owner, body=f"{MARKER} comment")
    return {"owner": owner, "incident": incident, "postmortem": pm}


def _leaks(user: Any, draft: dict[str, Any]) -> list[str]:
    page_client = Client()
    page_client.force_login(user)
    api_client = APIClient()
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token_issue(user=user)}")
    urls = [u for ns, route in _routes() for u in _fill(ns, route, draft)]
    urls += [
        "/search/?q=dashboard",
        "/api/search?q=dashboard",
        "/postmortems/?status=draft",
        "/api/postmortems/?status=draft",
    ]
    leaks = []
    for url in urls:
        client = api_client if url.startswith("/api/") else page_client
        response = client.get(url)
        assert response.status_code != 500, url
        if MARKER.lower() in _texts(response).lower():
            leaks.append(f"GET {url} -> {response.status_code}")
    return leaks


@pytest.mark.parametrize("role", ["viewer", "author"])
def test_people_outside_the_review_read_no_draft(role: str, draft: dict[str, Any]) -> None:
    outsider = make_user(role)
    assert _leaks(outsider, draft) == []
    api = APIClient()
    api.force_authenticate(outsider)
    assert api.get("/api/postmortems/").json()["count"] == 0


def test_participants_read_the_draft(draft: dict[str, Any]) -> None:
    pm = draft["postmortem"]
    reviewer = make_user("author", "rita")
    facilitator = make_user("facilitator", "fiona")
    for reader in (draft["owner"], facilitator):
        client = Client()
        client.force_login(reader)
        assert MARKER in client.get(f"/postmortems/{pm.pk}/").content.decode(), reader
        assert MARKER in client.get("/search/?q=dashboard").content.decode(), reader
    client = Client()
    client.force_login(reviewer)
    assert client.get(f"/postmortems/{pm.pk}/").status_code == 404
    review_services.postmortem_submit_for_review(
        postmortem=pm, actor=draft["owner"], reviewers=[reviewer]
    )
    assert MARKER in client.get(f"/postmortems/{pm.pk}/").content.decode()


def test_the_everyone_setting_and_publishing_open_it(
    draft: dict[str, Any], facilitator: Any
) -> None:
    viewer = make_user("viewer", "vera")
    api = APIClient()
    api.force_authenticate(viewer)
    pm = draft["postmortem"]
    url = f"/api/postmortems/{pm.pk}/"
    assert api.get(url).status_code == 404
    PolicySettings.objects.create(draft_readers=PolicySettings.EVERYONE)
    assert api.get(url).status_code == 200
    client = Client()
    client.force_login(viewer)
    assert MARKER in client.get(f"/postmortems/{pm.pk}/").content.decode()
    assert MARKER in client.get("/search/?q=dashboard").content.decode()
    PolicySettings.objects.update(draft_readers=PolicySettings.PARTICIPANTS)
    assert api.get(url).status_code == 404
    review_services.postmortem_submit_for_review(
        postmortem=pm, actor=draft["owner"], reviewers=[facilitator]
    )
    review_services.postmortem_approve(postmortem=pm, actor=facilitator)
    review_services.postmortem_publish(
        postmortem=pm, actor=draft["owner"], accept_blame_findings=True
    )
    assert api.get(url).status_code == 200


def test_admins_set_who_reads_drafts_on_the_policy_page(admin: Any) -> None:
    form = {"facilitator_after_days": 1, "sponsor_after_days": 3, "repeat_every_hours": 12,
            "digest_weekday": 0, "recurrence_window_days": 60, "sponsor": "",
            "teams": "", "draft_readers": "participants", "independent_reviewer": "on",
            **{f"SEV{n}-level": "full" for n in range(1, 6)},
            **{f"SEV{n}-due_days": 5 for n in range(1, 6)}}  # fmt: skip
    client = Client()
    client.force_login(admin)
    page = client.get("/reviews/policy/").content.decode()
    assert "Who reads drafts" in page
    assert client.post("/reviews/policy/", form).status_code == 302
    saved = PolicySettings.objects.get()
    assert saved.draft_readers == "participants" and saved.independent_reviewer
    form = {**form, "draft_readers": "everyone"}
    del form["independent_reviewer"]
    assert client.post("/reviews/policy/", form).status_code == 302
    saved.refresh_from_db()
    assert saved.draft_readers == "everyone" and not saved.independent_reviewer
