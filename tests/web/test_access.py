"""An outsider walks every page and API route and finds nothing of a restricted incident."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from nofault.web.accounts.services import token_issue
from tests.web.factories import make_incident, make_postmortem, make_user

pytestmark = pytest.mark.django_db


def _routes() -> list[tuple[str, str]]:
    """(namespace, regex route) for every URL pattern."""
    out: list[tuple[str, str]] = []

    def walk(patterns: list[Any], prefix: str, namespace: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern), p.namespace or namespace)
            elif isinstance(p, URLPattern):
                out.append((namespace, prefix + str(p.pattern)))

    walk(get_resolver().url_patterns, "", "")
    return out


def _fill(namespace: str, route: str, secret: dict[str, Any]) -> list[str]:
    pm = secret["postmortem"]
    item = pm.action_items.first()
    values = {
        "key": secret["incident"].key,
        "pk": str(item.pk if namespace == "actions" else pm.pk),
        "number": "1",
        "code": "STR001",
        "rest": "anything",
        "uidb64": "MQ",
        "token": "not-a-token",
        "uuid": "1",  # SCIM's resources: every one answers 401 without its bearer token
        "kind": "source",  # the integrations page's cards (admins only)
        "name": "alertmanager",
    }
    if "(?P<format>" in route or route.startswith("accounts/log"):
        return []  # DRF's format-suffix variants duplicate the plain routes
    if "(?P<pk>" in route and "action-items" in route:
        values["pk"] = str(item.pk)
    formats = ["md", "html", "pdf"] if "fmt" in route else [""]
    urls = []
    for fmt in formats:
        filled = {**values, "fmt": fmt}
        url = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m, f=filled: f[m.group(1)], route)
        url = re.sub(r"<(?:\w+:)?(\w+)>", lambda m, f=filled: f[m.group(1)], url)
        url = url.replace("^", "").replace("$", "").replace("\\.", ".").replace("/?", "/")
        urls.append("/" + url)
    return urls


def _texts(response: Any) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("latin-1")
    return response.content.decode("utf-8", "replace")


@pytest.mark.usefixtures("drafts_open")
@pytest.mark.parametrize("role", ["viewer", "author", "facilitator"])
def test_outsider_sees_nothing_of_a_restricted_incident(role: str, secret: dict[str, Any]) -> None:
    outsider = make_user(role)
    public = make_incident(secret["owner"], title="Public incident")
    make_postmortem(secret["owner"], public)
    page_client = Client()
    page_client.force_login(outsider)
    api_client = APIClient()
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token_issue(user=outsider)}")
    key = secret["incident"].key
    leaks = []
    urls = [u for ns, route in _routes() for u in _fill(ns, route, secret)]
    assert len(urls) > 30
    extra = [
        f"/api/incidents/?q={key}",
        "/api/incidents/?q=credential",
        "/api/action-items/?owner=team-zz",
        f"/api/action-items/?postmortem={secret['postmortem'].pk}",
        "/incidents/?q=credential+leak",
        "/actions/list/?owner=team-zz",
        "/postmortems/?status=draft",
    ]
    for url in urls + extra:
        client = api_client if url.startswith("/api/") else page_client
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            body = _texts(response)
            if "ZZSECRET" in body or "zzsecret" in body or re.search(rf"\b{key}\b", body):
                leaks.append(f"{method.upper()} {url} -> {response.status_code}")
            # /readyz answers 503 by design while no worker has been seen; nothing else may.
            if url != "/readyz":
                assert response.status_code < 500, f"{method.upper()} {url}"
    assert leaks == []
    # Counts leave it out too.
    assert api_client.get("/api/incidents/").json()["count"] == 1
    assert api_client.get("/api/postmortems/").json()["count"] == 1
    assert "(1)" in page_client.get("/incidents/").content.decode()
    # Nothing changed through those posts.
    pm = secret["postmortem"]
    pm.refresh_from_db()
    assert pm.revision == 1 and pm.status == "draft" and pm.comments.count() == 1


def test_members_and_admins_see_it(secret: dict[str, Any]) -> None:
    member = make_user("viewer")
    secret["incident"].members.add(member)
    admin = make_user("admin")
    for user in (member, admin, secret["owner"]):
        client = Client()
        client.force_login(user)
        assert "ZZSECRET" in client.get(f"/incidents/{secret['incident'].key}/").content.decode()
        assert "ZZSECRET" in client.get("/actions/").content.decode()


def test_anonymous_api_is_refused_as_json(secret: dict[str, Any]) -> None:
    response = APIClient().get("/api/incidents/")
    assert response.status_code == 401
    assert response.json()["reason"] == "unauthenticated"


def test_board_cards_and_counts_leave_out_what_a_person_may_not_see() -> None:
    """The board's one-statement cards and capped counts apply the access rule as the list does
    (the statements are built once per kind of person: the member reuses the outsider's)."""
    from nofault.web.actions import selectors

    owner = make_user("author")
    make_incident(owner)  # no postmortem: incident and postmortem ids differ from here on
    open_pm = make_postmortem(owner)
    hidden_pm = make_postmortem(owner, make_incident(owner, title="ZZSECRET", restricted=True))
    member, outsider, admin = make_user("viewer"), make_user("author"), make_user("admin")
    hidden_pm.incident.members.add(member)
    statuses = ["open", "in_progress", "done", "wont_do"]
    for user, expected_pms in (
        (outsider, {open_pm.pk}),
        (member, {open_pm.pk, hidden_pm.pk}),
        (admin, {open_pm.pk, hidden_pm.pk}),
    ):
        listed = selectors.action_item_list_visible(user=user)
        cards = selectors.action_item_cards_visible(user=user, statuses=statuses, limit=20)
        assert {c["postmortem_id"] for rows in cards.values() for c in rows} == expected_pms
        assert sorted(c["id"] for rows in cards.values() for c in rows) == sorted(
            listed.values_list("id", flat=True)
        )
        for cap in (0, 1, 100):
            counts = selectors.action_item_counts_visible(user=user, statuses=statuses, cap=cap)
            for status in statuses:
                assert counts[status] == min(listed.filter(status=status).count(), cap + 1)


def test_incident_rows_and_count_leave_out_what_a_person_may_not_see() -> None:
    """The incident list's statements, built once per kind of person, apply the access rule."""
    from nofault.web.incidents import selectors

    owner = make_user("author")
    make_postmortem(owner)
    secret = make_incident(owner, title="ZZSECRET", restricted=True)
    member, outsider, admin = make_user("viewer"), make_user("author"), make_user("admin")
    secret.members.add(member)
    for user, sees_secret in ((outsider, False), (member, True), (admin, True)):
        listed = selectors.incident_list_visible(user=user)
        rows = selectors.incident_rows_visible(user=user, offset=0, limit=50)
        assert [r["key"] for r in rows] == list(listed.values_list("key", flat=True))
        assert any(r["key"] == secret.key for r in rows) is sees_secret
        assert all(isinstance(r["services"], list) for r in rows)
        for cap in (0, 1, 100):
            count = selectors.incident_count_visible(user=user, cap=cap)
            assert count == min(listed.count(), cap + 1)
