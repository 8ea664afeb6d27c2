"""The integrations page: admins switch integrations on; secrets are encrypted and never shown."""

from __future__ import annotations

from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.db import connection
from django.test import Client

from nofault.web.actions.models import ActionItem
from nofault.web.audit.models import AuditEvent
from nofault.web.integrations.config import (
    configured_trackers,
    integrations_config,
    notifier_settings,
)
from nofault.web.integrations.models import IntegrationSetting
from nofault.web.integrations.saved import integration_settings_reencrypt
from tests.web.factories import make_postmortem

from . import burst

SLACK_HOOK = "https://hooks.slack.example/services/T0/B0/slack-hook-s3cr3t"
GITHUB_TOKEN = "github_pat_s3cr3t_0123456789"
HOOK_SECRET = "hub-signing-s3cr3t"
SECRETS = (SLACK_HOOK, GITHUB_TOKEN, HOOK_SECRET, burst.TOKEN)


@pytest.fixture
def page(client: Client, admin: Any) -> Client:
    """The integrations page's admin."""
    client.force_login(admin)
    return client


def save(client: Client, kind: str, name: str, **values: str) -> Any:
    return client.post(f"/integrations/{kind}/{name}/", values)


def github(client: Client, **values: str) -> Any:
    fields = {"repository": "acme/ops", "labels": "nofault, postmortem"} | values
    return save(client, "tracker", "github", **fields)


def raw_rows() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT data FROM integrations_integrationsetting")
        return " ".join(str(row[0]) for row in cursor.fetchall())


@pytest.mark.django_db
def test_saved_secrets_are_encrypted_used_and_never_shown(page: Client, author: Any) -> None:
    assert save(page, "notifier", "slack", webhook_url=SLACK_HOOK).status_code == 302
    answer = github(page, token=GITHUB_TOKEN, webhook_secret=HOOK_SECRET, timeout_seconds="7.5")
    assert answer.status_code == 302
    config = integrations_config()
    assert config["trackers"]["github"]["token"] == GITHUB_TOKEN
    assert config["trackers"]["github"]["labels"] == ["nofault", "postmortem"]
    chosen = notifier_settings("slack")
    assert chosen is not None and chosen.webhook_url.get_secret_value() == SLACK_HOOK
    assert configured_trackers() == ["github"]
    stored = raw_rows()
    assert stored and not any(secret in stored for secret in SECRETS)
    item = ActionItem.objects.get(postmortem=make_postmortem(author), key="A1")
    shown = [
        page.get("/integrations/"),
        page.get(f"/integrations/action-items/{item.pk}/tracker/"),
        page.get("/audit/"),
    ]
    for response in shown:
        assert response.status_code == 200
        html = response.content.decode()
        assert not any(secret in html for secret in SECRETS)
    assert "Send to GitHub" in shown[1].content.decode()
    assert "acme/ops" in shown[0].content.decode()
    events = AuditEvent.objects.filter(action="integration.change")
    assert {e.target_label for e in events} == {"notifier.slack", "tracker.github"}
    assert not any(secret in str(e.detail) for e in events for secret in SECRETS)


@pytest.mark.django_db
def test_a_blank_secret_keeps_the_old_and_a_bad_value_keeps_the_last_good(page: Client) -> None:
    github(page, token=GITHUB_TOKEN)
    stored = raw_rows()
    assert github(page, token="").status_code == 302  # the same settings again
    assert (
        raw_rows() == stored and AuditEvent.objects.filter(action="integration.change").count() == 1
    )
    assert github(page, token="", repository="acme/platform").status_code == 302
    kept = integrations_config()["trackers"]["github"]
    assert kept["token"] == GITHUB_TOKEN and kept["repository"] == "acme/platform"
    refused = github(page, token="", repository="not a repository", attempts="many")
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "Not saved" in html and "repository" in html and GITHUB_TOKEN not in html
    assert integrations_config()["trackers"]["github"]["repository"] == "acme/platform"
    # A notifier without any way to send is refused by the model's own check.
    assert save(page, "notifier", "slack", default_channel="#ops").status_code == 400
    assert "slack" not in integrations_config().get("notifiers", {})


@pytest.mark.django_db
def test_switching_off_deletes_and_only_admins_reach_the_page(
    page: Client, viewer: Any, author: Any
) -> None:
    github(page, token=GITHUB_TOKEN)
    for user in (viewer, author):
        other = Client()
        other.force_login(user)
        assert other.get("/integrations/").status_code == 404
        assert github(other, token="stolen").status_code == 404
        assert other.post("/integrations/tracker/github/off/").status_code == 404
        assert "/integrations/" not in other.get("/").content.decode()
    assert Client().get("/integrations/").status_code in (302, 404)
    assert integrations_config()["trackers"]["github"]["token"] == GITHUB_TOKEN
    assert page.post("/integrations/tracker/github/off/").status_code == 302
    assert not IntegrationSetting.objects.exists() and configured_trackers() == []
    assert page.post("/integrations/tracker/nosuch/").status_code == 404


@pytest.mark.django_db
def test_the_server_configuration_is_read_only_here(page: Client, settings: Any) -> None:
    settings.NOFAULT_INTEGRATIONS = {
        "trackers": {"github": {"repository": "acme/config", "token": "from-config"}}
    }
    html = page.get("/integrations/").content.decode()
    assert "set by the server's configuration" in html and "acme/config" in html
    assert "/integrations/tracker/github/" not in html and "from-config" not in html
    assert github(page, token=GITHUB_TOKEN, repository="acme/page").status_code == 400
    assert page.post("/integrations/tracker/github/off/").status_code == 400
    assert not IntegrationSetting.objects.exists()
    assert integrations_config()["trackers"]["github"]["repository"] == "acme/config"


@pytest.mark.django_db
def test_a_source_switched_on_here_accepts_a_signed_delivery(page: Client) -> None:
    hook = Client()

    def deliver(token: str) -> int:
        return hook.post(
            "/webhooks/alertmanager",
            data=burst.delivery(1, resolved=False),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        ).status_code

    assert deliver(burst.TOKEN) == 403
    assert save(page, "source", "alertmanager", token=burst.TOKEN).status_code == 302
    assert deliver("wrong-token") == 401
    assert deliver(burst.TOKEN) == 202
    page.post("/integrations/source/alertmanager/off/")
    assert deliver(burst.TOKEN) == 403


@pytest.mark.django_db
def test_a_new_key_reads_old_entries_and_reencrypting_moves_them(
    page: Client, settings: Any
) -> None:
    first, second = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    github(page, token=GITHUB_TOKEN)  # under the key derived from SECRET_KEY
    settings.NOFAULT_ENCRYPTION_KEY = first
    assert integrations_config()["trackers"]["github"]["token"] == GITHUB_TOKEN
    assert integration_settings_reencrypt() == 1
    settings.SECRET_KEY = "another secret key for this test only"
    assert integrations_config()["trackers"]["github"]["token"] == GITHUB_TOKEN
    settings.NOFAULT_ENCRYPTION_KEY = second
    with pytest.raises(ValueError, match="NOFAULT_ENCRYPTION_KEY"):
        integrations_config()


@pytest.mark.django_db
def test_the_tracker_page_sends_admins_to_the_integrations_page(page: Client, author: Any) -> None:
    item = ActionItem.objects.get(postmortem=make_postmortem(author), key="A1")
    url = f"/integrations/action-items/{item.pk}/tracker/"
    assert 'href="/integrations/"' in page.get(url).content.decode()
    authors = Client()
    authors.force_login(author)
    html = authors.get(url).content.decode()
    assert "No tracker is configured" in html and 'href="/integrations/"' not in html
