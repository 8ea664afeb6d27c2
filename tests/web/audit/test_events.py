"""Each family of events leaves a row: who, what, which target, and from which address."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient
from typer.testing import CliRunner

from nofault.cli.main import app as cli
from nofault.web.accounts.models import User
from nofault.web.accounts.services import token_issue
from nofault.web.audit.models import TARGET_TYPES, AuditEvent
from nofault.web.choices import AuditAction
from nofault.web.integrations.models import DeliveryStatus, WebhookDelivery
from tests.web.factories import PASSWORD, SOURCE, make_incident, make_sponsor

ADDRESS = "203.0.113.9"
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _client(user: Any) -> Client:
    client = Client(REMOTE_ADDR=ADDRESS)
    client.force_login(user, backend=MODEL_BACKEND)  # no password hashing: the suite's time
    return client


def _api(user: Any) -> APIClient:
    client = APIClient(REMOTE_ADDR=ADDRESS)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_issue(user=user)}")
    return client


def _last(action: str) -> AuditEvent:
    return AuditEvent.objects.filter(action=action).order_by("-id")[0]


def _is(action: str, actor: str, target: tuple[str, str], address: str = ADDRESS) -> AuditEvent:
    event = _last(action)
    assert event.target_type in TARGET_TYPES  # the page's filter offers every kind recorded
    assert (event.actor_name, (event.target_type, event.target_id), event.address) == (
        actor,
        target,
        address,
    )
    return event


def test_logins_failures_and_lockouts_carry_the_address_behind_a_trusted_proxy(
    author: Any, settings: Any
) -> None:
    settings.NOFAULT_TRUSTED_PROXIES = ["10.0.0.0/8"]
    settings.NOFAULT_LOGIN_ATTEMPTS = 2
    proxied = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=f"{ADDRESS}, 10.0.0.5")
    assert (
        proxied.post("/accounts/login/", {"username": "alex", "password": PASSWORD}).status_code
        == 302
    )
    _is(AuditAction.LOGIN, "alex", ("user", str(author.pk)))
    for _ in range(2):
        Client().post("/accounts/login/", {"username": "alex", "password": "wrong-one-here"})
    failed = _is(AuditAction.LOGIN_FAILED, "", ("user", "alex"), address="127.0.0.1")
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED).count() == 2
    Client().post("/accounts/login/", {"username": "alex", "password": PASSWORD})
    _is(AuditAction.LOCKOUT, "", ("user", "alex"), address="127.0.0.1")
    assert failed.at <= _last(AuditAction.LOCKOUT).at


def test_people_events(admin: Any, author: Any, smtp: Any) -> None:
    User.objects.filter(pk=author.pk).update(email="alex@example.org")
    page = _client(admin)
    page.post("/accounts/people/", {"email": "kim@example.org", "role": "viewer"})
    kim = User.objects.get(email="kim@example.org")
    assert _is(AuditAction.INVITE, "ada", ("user", str(kim.pk))).detail["role"] == "viewer"
    page.post(f"/accounts/people/{kim.pk}/role/", {"role": "author"})
    role = _is(AuditAction.ROLE_CHANGE, "ada", ("user", str(kim.pk)))
    assert role.detail == {"from": "viewer", "to": "author"}
    page.post(f"/accounts/people/{author.pk}/reset/")
    _is(AuditAction.PASSWORD_RESET, "ada", ("user", str(author.pk)))
    page.post(f"/accounts/people/{author.pk}/deactivate/")
    _is(AuditAction.DEACTIVATE, "ada", ("user", str(author.pk)))


def test_token_events(author: Any) -> None:
    page = _client(author)
    page.post("/accounts/profile/token/", {"action": "show"})
    page.post("/accounts/profile/token/", {"action": "show"})  # shown again: not a new one
    assert AuditEvent.objects.filter(action=AuditAction.TOKEN_CREATE).count() == 1
    page.post("/accounts/profile/token/", {"action": "rotate"})
    assert AuditEvent.objects.filter(action=AuditAction.TOKEN_CREATE).count() == 2
    page.post("/accounts/profile/token/", {"action": "revoke"})
    _is(AuditAction.TOKEN_REVOKE, "alex", ("user", str(author.pk)))


def test_restricted_membership_and_exports(secret: dict[str, Any], author: Any) -> None:
    owner, incident, pm = secret["owner"], secret["incident"], secret["postmortem"]
    created = _is(AuditAction.MEMBER_ADD, owner.username, ("incident", str(incident.pk)), "")
    assert created.detail == {"people": [owner.username]}  # made restricted, with its creator
    page = _client(owner)
    page.post(f"/incidents/{incident.key}/members/", {"username": "alex"})
    added = _is(AuditAction.MEMBER_ADD, owner.username, ("incident", str(incident.pk)))
    assert added.detail == {"person": "alex"}
    assert page.get(f"/postmortems/{pm.pk}/export.md").status_code == 200
    assert _is(AuditAction.EXPORT, owner.username, ("postmortem", str(pm.pk))).detail == {
        "format": "md"
    }
    assert _api(owner).get(f"/api/postmortems/{pm.pk}/markdown/").status_code == 200
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, target_id=str(pm.pk)).count() == 2
    open_pm = make_incident(author)
    before = AuditEvent.objects.filter(action=AuditAction.EXPORT).count()
    from tests.web.factories import make_postmortem

    ordinary = make_postmortem(author, open_pm)
    assert _client(author).get(f"/postmortems/{ordinary.pk}/export.md").status_code == 200
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT).count() == before


def test_policy_guide_and_waiver_events(admin: Any, facilitator: Any, author: Any) -> None:
    page = _client(admin)
    form = {
        "facilitator_after_days": 1, "sponsor_after_days": 3, "repeat_every_hours": 12,
        "digest_weekday": 0, "recurrence_window_days": 60, "sponsor": facilitator.username,
        "teams": "", **{f"SEV{n}-level": "full" for n in range(1, 6)},
        **{f"SEV{n}-due_days": 5 for n in range(1, 6)}, "SEV4-waivable": "on",
    }  # fmt: skip
    assert page.post("/reviews/policy/", form).status_code == 302
    assert "sponsor" in _is(AuditAction.POLICY_CHANGE, "ada", ("policy", "1")).detail["changed"]
    values = "- **Curiosity**: We ask how it made sense at the time.\n"
    assert (
        page.post("/guide/", {"values": values, "principles": "", "config": ""}).status_code == 302
    )
    assert _last(AuditAction.GUIDE_CHANGE).actor_name == "ada"
    make_sponsor(facilitator)
    sev4 = make_incident(author, severity="SEV4")
    waive = _client(facilitator).post(
        f"/reviews/incidents/{sev4.key}/waive/", {"reason": "A drill, with nothing learned."}
    )
    assert waive.status_code == 302
    _is(AuditAction.WAIVE, facilitator.username, ("incident", str(sev4.pk)))
    _client(facilitator).post(f"/reviews/incidents/{sev4.key}/withdraw/")
    _is(AuditAction.WAIVER_WITHDRAW, facilitator.username, ("incident", str(sev4.pk)))


def test_restore_and_publish_events(author: Any, reviewer: Any) -> None:
    incident = make_incident(author)
    api = _api(author)
    source = SOURCE.format(key=incident.key, title="T")
    pm = api.post("/api/postmortems/", {"incident": incident.key, "source": source}, format="json")
    pk = pm.json()["id"]
    api.put(f"/api/postmortems/{pk}/", {"source": source + "\nMore.\n", "base_revision": 1},
            format="json")  # fmt: skip
    assert _client(author).post(f"/postmortems/{pk}/revisions/1/restore/").status_code == 302
    assert _is(AuditAction.RESTORE, "alex", ("postmortem", str(pk))).detail == {"revision": 1}
    api.post(f"/api/postmortems/{pk}/submit/", {"reviewers": ["sam"]}, format="json")
    assert _api(reviewer).post(f"/api/postmortems/{pk}/approve/").status_code == 200
    assert api.post(f"/api/postmortems/{pk}/publish/", {}, format="json").status_code == 200
    _is(AuditAction.PUBLISH, "alex", ("postmortem", str(pk)))


@pytest.fixture
def unapplied(db: Any) -> WebhookDelivery:
    return WebhookDelivery.objects.create(
        source="squadcast", delivery_id="d1", body=b"{}", status=DeliveryStatus.UNAPPLIED,
        http_status=202, reason="wrong_shape",
    )  # fmt: skip


def test_replays_from_the_page_and_the_shell(admin: Any, unapplied: WebhookDelivery) -> None:
    page = _client(admin)
    page.post("/integrations/deliveries/unapplied/replay/", {"delivery": str(unapplied.pk)})
    _is(AuditAction.REPLAY, "ada", ("delivery", str(unapplied.pk)))
    WebhookDelivery.objects.filter(pk=unapplied.pk).update(status=DeliveryStatus.UNAPPLIED)
    CliRunner().invoke(cli, ["deliveries", "replay", "--id", str(unapplied.pk)])
    shell = _is(AuditAction.REPLAY, "nofault-cli", ("delivery", str(unapplied.pk)), address="")
    assert shell.detail == {"deliveries": [unapplied.pk]}


def test_a_lockout_under_a_name_with_a_nul_character_is_recorded_not_a_500(
    author: Any, settings: Any
) -> None:
    settings.NOFAULT_LOGIN_ATTEMPTS = 1
    client = Client()
    client.post("/accounts/login/", {"username": "alex", "password": "wrong-one-here"})
    answer = client.post("/accounts/login/", {"username": "alex\x00", "password": PASSWORD})
    assert answer.status_code == 200 and "Too many failed logins" in answer.content.decode()
    assert _last(AuditAction.LOCKOUT).target_id == "alex"
