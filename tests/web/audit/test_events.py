"""Each family of events leaves a row: who, what, which target, and from which address."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient
from typer.testing import CliRunner

from nofault.cli.main import app as cli
from nofault.web.accounts.models import Team, User
from nofault.web.accounts.services import token_issue
from nofault.web.audit.models import TARGET_TYPES, AuditEvent
from nofault.web.choices import AuditAction
from nofault.web.integrations.models import DeliveryStatus, WebhookDelivery
from nofault.web.scim.services import scim_token_create
from tests.web.factories import PASSWORD, SOURCE, make_incident, make_sponsor
from tests.web.scim.conftest import ScimClient

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
    assert shell.detail["deliveries"] == [unapplied.pk] and "os_user" in shell.detail


def test_a_lockout_under_a_name_with_a_nul_character_is_recorded_not_a_500(
    author: Any, settings: Any
) -> None:
    settings.NOFAULT_LOGIN_ATTEMPTS = 1
    client = Client()
    client.post("/accounts/login/", {"username": "alex", "password": "wrong-one-here"})
    answer = client.post("/accounts/login/", {"username": "alex\x00", "password": PASSWORD})
    assert answer.status_code == 200 and "Too many failed logins" in answer.content.decode()
    assert _last(AuditAction.LOCKOUT).target_id == "alex"


def test_people_commands_from_the_shell_name_the_shell_and_who_ran_them(
    tmp_path: Any, db: Any, smtp: Any, monkeypatch: Any
) -> None:
    monkeypatch.setenv("LOGNAME", "oncall-ops")  # the operating system's user, as login sets it
    secret = tmp_path / "password"
    secret.write_text("harbour-lantern-quiet-47\n")
    commands = [
        ["createadmin", "--username", "root", "--password-file", str(secret)],
        ["user", "add", "kim", "--email", "kim@example.org", "--password-file", str(secret)],
        ["user", "set-role", "kim", "facilitator"],
        ["user", "reset", "kim"],
        ["user", "deactivate", "kim"],
    ]
    for command in commands:
        result = CliRunner().invoke(cli, command)
        assert result.exit_code == 0, (command, result.output)
    root, kim = User.objects.get(username="root"), User.objects.get(username="kim")
    events = AuditEvent.objects.filter(actor_name="nofault-cli").order_by("id")
    assert [(e.action, e.target_id) for e in events] == [
        (AuditAction.CREATE, str(root.pk)),
        (AuditAction.CREATE, str(kim.pk)),
        (AuditAction.ROLE_CHANGE, str(kim.pk)),
        (AuditAction.PASSWORD_RESET, str(kim.pk)),
        (AuditAction.DEACTIVATE, str(kim.pk)),
    ]
    assert {(e.detail["os_user"], e.address, e.actor_id) for e in events} == {
        ("oncall-ops", "", None)
    }
    assert events[0].detail["role"] == "admin" and events[1].detail["role"] == "author"
    # A refused command leaves no event.
    CliRunner().invoke(cli, ["user", "set-role", "root", "viewer"])  # the last admin
    assert AuditEvent.objects.filter(actor_name="nofault-cli").count() == 5


def test_setting_and_lifting_a_restriction(author: Any, facilitator: Any) -> None:
    incident = make_incident(author)
    key, target = incident.key, ("incident", str(incident.pk))
    api = _api(author)
    assert (
        api.patch(f"/api/incidents/{key}/", {"restricted": True}, format="json").status_code == 200
    )
    _is(AuditAction.RESTRICT, "alex", target)
    _client(author).post(f"/incidents/{key}/members/", {"username": facilitator.username})
    refused = api.patch(f"/api/incidents/{key}/", {"restricted": False}, format="json")
    assert refused.status_code == 403
    assert not AuditEvent.objects.filter(action=AuditAction.UNRESTRICT).exists()
    lifted = _api(facilitator).patch(f"/api/incidents/{key}/", {"restricted": False}, format="json")
    assert lifted.status_code == 200
    _is(AuditAction.UNRESTRICT, facilitator.username, target)
    # Other changes, and saying again what is already so, record nothing.
    api.patch(f"/api/incidents/{key}/", {"title": "Renamed", "restricted": False}, format="json")
    assert (
        AuditEvent.objects.filter(target_type="incident", target_id=str(incident.pk))
        .filter(action__in=[AuditAction.RESTRICT, AuditAction.UNRESTRICT])
        .count()
        == 2
    )


def test_team_changes_on_the_teams_page(admin: Any, author: Any) -> None:
    page = _client(admin)
    page.post("/accounts/teams/", {"name": "Payments"})
    team = Team.objects.get(name="Payments")
    target = ("team", str(team.pk))
    assert _is(AuditAction.TEAM_CHANGE, "ada", target).detail == {
        "added": [], "removed": [], "created": True
    }  # fmt: skip
    change = f"/accounts/teams/{team.pk}/"
    page.post(change, {"action": "add_person", "person": str(author.pk)})
    assert _is(AuditAction.TEAM_CHANGE, "ada", target).detail == {"added": ["alex"]}
    page.post(change, {"action": "add_person", "person": str(author.pk)})  # already in: nothing
    page.post(change, {"action": "rename", "name": "Billing"})
    assert _is(AuditAction.TEAM_CHANGE, "ada", target).detail == {
        "added": [], "removed": [], "renamed_from": "Payments"
    }  # fmt: skip
    page.post(change, {"action": "remove_person", "person": str(author.pk)})
    assert _is(AuditAction.TEAM_CHANGE, "ada", target).detail == {"removed": ["alex"]}
    page.post(change, {"action": "delete"})
    assert _is(AuditAction.TEAM_DELETE, "ada", target).target_label == "Billing"
    assert AuditEvent.objects.filter(target_type="team").count() == 5


def test_provisioning_by_scim_names_the_client(db: Any, settings: Any) -> None:
    settings.NOFAULT_SCIM_ROLE_MAP = {"sre-leads": "facilitator"}
    scim = ScimClient(scim_token_create(name="okta"))
    body = {"userName": "lee@example.org", "emails": [{"value": "lee@example.org"}]}
    made = scim.call("post", "Users", body)
    assert made.status_code == 201
    pk = made.data["id"]
    target = ("user", pk)
    assert _is(AuditAction.CREATE, "scim:okta", target, address="127.0.0.1").detail == {
        "role": settings.NOFAULT_SCIM_DEFAULT_ROLE
    }
    group = scim.call("post", "Groups", {"displayName": "sre-leads", "members": [{"value": pk}]})
    assert group.status_code == 201
    team_target = ("team", group.data["id"])
    assert _is(AuditAction.TEAM_CHANGE, "scim:okta", team_target, "127.0.0.1").detail["added"] == [
        "lee@example.org"
    ]
    role = _is(AuditAction.ROLE_CHANGE, "scim:okta", target, address="127.0.0.1")
    assert role.detail["to"] == "facilitator"
    off = {"op": "replace", "value": {"active": False}}
    assert scim.patch(f"Users/{pk}", off).status_code == 200
    _is(AuditAction.DEACTIVATE, "scim:okta", target, address="127.0.0.1")
    on = {"op": "replace", "path": "active", "value": "True"}  # as Entra ID sends it
    assert scim.patch(f"Users/{pk}", on).status_code == 200
    _is(AuditAction.REACTIVATE, "scim:okta", target, address="127.0.0.1")
