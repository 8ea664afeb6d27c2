"""The REST API: token auth, Markdown and JSON bodies, review steps, lint, JSON errors."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from nofault.core.markdown import parse_text
from tests.web.factories import SOURCE, make_incident

pytestmark = pytest.mark.django_db


def test_token_exchange_and_throttle(author: Any) -> None:
    client = APIClient()
    response = client.post(
        "/api/token/", {"username": "alex", "password": "a-long-test-password"}, format="json"
    )
    assert response.status_code == 200 and response.json()["role"] == "author"
    for _ in range(5):
        client.post("/api/token/", {"username": "alex", "password": "nope"}, format="json")
    response = client.post(
        "/api/token/", {"username": "alex", "password": "a-long-test-password"}, format="json"
    )
    assert response.status_code == 429 and response.json()["reason"] == "throttled"


def test_incidents_crud(api: APIClient) -> None:
    response = api.post(
        "/api/incidents/",
        {"title": "Disk full", "severity": "SEV2", "services": ["logs"]},
        format="json",
    )
    assert response.status_code == 201, response.json()
    key = response.json()["id"]
    assert api.get(f"/api/incidents/{key}/").json()["services"] == ["logs"]
    response = api.patch(f"/api/incidents/{key}/", {"status": "resolved"}, format="json")
    assert response.json()["status"] == "resolved"
    assert api.get("/api/incidents/?severity=SEV2").json()["count"] == 1
    bad = api.post("/api/incidents/", {"title": "x", "severity": "SEV9"}, format="json")
    assert bad.status_code == 400 and bad.json()["reason"] == "invalid"


def test_postmortem_markdown_and_json_bodies(api: APIClient, author: Any) -> None:
    incident = make_incident(author)
    source = SOURCE.format(key=incident.key, title="Via the API")
    response = api.post(
        "/api/postmortems/", {"incident": incident.key, "source": source}, format="json"
    )
    assert response.status_code == 201
    pm = response.json()
    assert pm["title"] == "Via the API" and pm["revision"] == 1
    # A Markdown body, with the base revision in the query string.
    edited = source.replace("40 minutes", "50 minutes")
    response = api.put(
        f"/api/postmortems/{pm['id']}/?base_revision=1", edited, content_type="text/markdown"
    )
    assert response.status_code == 200 and response.json()["revision"] == 2
    # The same base again is stale.
    response = api.put(
        f"/api/postmortems/{pm['id']}/?base_revision=1", edited + "x", content_type="text/markdown"
    )
    assert response.status_code == 409 and response.json()["reason"] == "conflict"
    # A JSON document body.
    document = api.get(f"/api/postmortems/{pm['id']}/document/").json()
    document["title"] = "Renamed through JSON"
    response = api.put(
        f"/api/postmortems/{pm['id']}/", {"base_revision": 2, "document": document}, format="json"
    )
    assert response.status_code == 200
    markdown = api.get(f"/api/postmortems/{pm['id']}/markdown/").content.decode()
    assert parse_text(markdown).postmortem.title == "Renamed through JSON"
    bad = api.put(
        f"/api/postmortems/{pm['id']}/",
        {"base_revision": 3, "document": {"sections": 5}},
        format="json",
    )
    assert bad.status_code == 400 and bad.json()["reason"] == "invalid_document"


def test_review_and_action_items_through_the_api(
    api: APIClient, author: Any, reviewer: Any
) -> None:
    from nofault.web.accounts.services import token_issue

    incident = make_incident(author)
    pm = api.post(
        "/api/postmortems/",
        {"incident": incident.key, "source": SOURCE.format(key=incident.key, title="T")},
        format="json",
    ).json()
    assert (
        api.post(
            f"/api/postmortems/{pm['id']}/submit/", {"reviewers": ["sam"]}, format="json"
        ).status_code
        == 200
    )
    assert (
        api.post(f"/api/postmortems/{pm['id']}/publish/", {}, format="json").json()["reason"]
        == "approvals_missing"
    )
    other = APIClient()
    other.credentials(HTTP_AUTHORIZATION=f"Token {token_issue(user=reviewer)}")
    assert (
        other.post(
            f"/api/postmortems/{pm['id']}/comments/", {"body": "Looks good"}, format="json"
        ).status_code
        == 201
    )
    assert other.post(f"/api/postmortems/{pm['id']}/approve/").status_code == 200
    response = api.post(f"/api/postmortems/{pm['id']}/publish/", {}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "published"
    items = api.get(f"/api/action-items/?postmortem={pm['id']}").json()["results"]
    assert {i["key"] for i in items} == {"A1", "A2"}
    overdue = [i for i in items if i["overdue"]]
    assert [i["key"] for i in overdue] == ["A1"]
    response = other.post(
        f"/api/action-items/{overdue[0]['id']}/status/", {"status": "done"}, format="json"
    )
    assert response.json()["closed_by"] == "sam" and response.json()["closed_at"]
    assert len(api.get(f"/api/postmortems/{pm['id']}/revisions/").json()) >= 3


def test_lint_endpoint(api: APIClient) -> None:
    text = "# T\n\n## Summary\n\nBob should have checked the dashboard.\n"
    json_result = api.post("/api/lint/", {"text": text}, format="json").json()
    md_result = api.post("/api/lint/", text, content_type="text/markdown").json()
    assert json_result["findings"] == md_result["findings"]
    assert {"code", "message", "suggestion", "line", "column"} <= set(json_result["findings"][0])


def test_errors_are_json_with_a_reason(api: APIClient, viewer: Any) -> None:
    assert api.get("/api/postmortems/999999/").json()["reason"] == "not_found"
    assert api.get("/api/postmortems/abc/").json()["reason"] == "not_found"
    assert api.get("/api/no-such-thing/").json()["reason"] == "not_found"
    response = api.post("/api/lint/", "{not json", content_type="application/json")
    assert response.status_code == 400 and response.json()["reason"] == "invalid"
    response = api.post("/api/lint/", b"\xff\xfe", content_type="text/markdown")
    assert response.status_code == 400
    response = api.post("/api/lint/", "x", content_type="application/xml")
    assert response.status_code == 415 and response.json()["reason"] == "unsupported_media_type"
    from nofault.web.accounts.services import token_issue

    as_viewer = APIClient()
    as_viewer.credentials(HTTP_AUTHORIZATION=f"Token {token_issue(user=viewer)}")
    response = as_viewer.post("/api/incidents/", {"title": "x"}, format="json")
    assert response.status_code == 403 and response.json()["reason"] == "forbidden"


def test_schema_and_docs() -> None:
    client = APIClient()
    schema = client.get("/api/schema", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    assert client.get("/api/docs").status_code == 200
