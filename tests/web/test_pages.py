"""Pages: every page answers for each role; the editor's live findings; settings checks."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from nofault.web.config import ConfigError, load_config, parse_database_url
from tests.web.factories import make_incident

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _pages(pm: Any) -> list[str]:
    key = pm.incident.key
    return [
        "/incidents/",
        "/incidents/?severity=SEV2&status=triggered&service=api&has_postmortem=yes&overdue=yes&q=x",
        f"/incidents/{key}/",
        "/incidents/new/",
        f"/incidents/{key}/edit/",
        "/postmortems/",
        f"/postmortems/{pm.pk}/",
        f"/postmortems/{pm.pk}/edit/",
        f"/postmortems/{pm.pk}/rows/",
        f"/postmortems/{pm.pk}/revisions/",
        f"/postmortems/{pm.pk}/revisions/1/",
        f"/postmortems/{pm.pk}/export.md",
        f"/postmortems/{pm.pk}/export.html",
        "/postmortems/import/",
        "/actions/",
        "/actions/list/?overdue=yes",
        "/guide/",
        "/accounts/profile/",
        "/api/docs",
    ]


@pytest.mark.usefixtures("drafts_open")
@pytest.mark.parametrize("role", ["viewer", "author", "facilitator", "admin"])
def test_every_page_answers_for_every_role(role: str, postmortem: Any, request: Any) -> None:
    from tests.web.factories import make_user

    client = _client(make_user(role))
    for url in _pages(postmortem):
        response = client.get(url)
        assert response.status_code == 200, url


def test_pages_need_a_login(postmortem: Any) -> None:
    response = Client().get("/incidents/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_incident_filters(author: Any) -> None:
    make_incident(author, title="Alpha outage", severity="SEV1", services=["checkout"])
    make_incident(author, title="Beta blip", severity="SEV4", services=["search"])
    client = _client(author)
    body = client.get("/incidents/?severity=SEV1").content.decode()
    assert "Alpha outage" in body and "Beta blip" not in body
    body = client.get("/incidents/?service=search").content.decode()
    assert "Beta blip" in body and "Alpha outage" not in body
    body = client.get("/incidents/?has_postmortem=no").content.decode()
    assert "Alpha outage" in body


def test_create_incident_and_postmortem_through_pages(author: Any) -> None:
    client = _client(author)
    response = client.post(
        "/incidents/new/",
        {
            "title": "Queue backlog",
            "severity": "SEV3",
            "status": "resolved",
            "services": "queue, api",
        },
    )
    assert response.status_code == 302
    key = response["Location"].rstrip("/").split("/")[-1]
    response = client.post(f"/postmortems/new/{key}/")
    assert response.status_code == 302 and response["Location"].endswith("/edit/")
    editor = client.get(response["Location"]).content.decode()
    assert 'hx-post="/postmortems/lint/"' in editor and "Queue backlog" in editor


def test_live_lint_shows_findings_with_highlight(author: Any) -> None:
    client = _client(author)
    text = "# T\n\n## Summary\n\nBob should have checked the dashboard.\n"
    body = client.post(
        "/postmortems/lint/", {"source": text}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert 'id="findings"' in body and 'id="preview"' in body
    marked = re.findall(r"<mark>([^<]+)</mark>", body)  # the core's excerpt of each finding
    assert any(m in "Bob should have checked the dashboard." for m in marked), marked
    from nofault.core.lint.registry import all_rules

    if any(r.category.value == "blame" for r in all_rules()):
        assert "cat-blame" in body


def test_rule_doc_opens(author: Any) -> None:
    client = _client(author)
    body = client.get("/postmortems/rules/STR001/", HTTP_HX_REQUEST="true").content.decode()
    assert "What it flags" in body
    assert client.get("/postmortems/rules/NOPE999/").status_code == 404


@pytest.mark.usefixtures("drafts_open")
def test_save_through_the_editor_and_conflict_view(
    postmortem: Any, author: Any, reviewer: Any
) -> None:
    first, second = _client(author), _client(reviewer)
    url = f"/postmortems/{postmortem.pk}/edit/"
    mine = postmortem.source.replace("40 minutes", "41 minutes")
    theirs = postmortem.source.replace("40 minutes", "42 minutes")
    assert first.post(url, {"source": mine, "base_revision": 1}).status_code == 302
    response = second.post(url, {"source": theirs, "base_revision": 1})
    assert response.status_code == 409
    body = response.content.decode()
    assert "Someone saved this postmortem" in body and "+For 42 minutes" in body
    postmortem.refresh_from_db()
    assert "41 minutes" in postmortem.source and postmortem.revision == 2
    # Saving on top of the current revision from the conflict view works.
    assert second.post(url, {"source": theirs, "base_revision": 2}).status_code == 302


def test_rows_page_saves_back_into_markdown(postmortem: Any, author: Any) -> None:
    client = _client(author)
    url = f"/postmortems/{postmortem.pk}/rows/"
    page = client.get(url)
    forms = page.context
    data = {"base_revision": postmortem.revision}
    for prefix in ("timeline", "factors", "actions"):
        formset = forms[prefix]
        data.update({f"{prefix}-{k}": v for k, v in formset.management_form.initial.items()})
        for index, form in enumerate(formset.forms):
            for name in form.fields:
                value = form.initial.get(name, "")
                data[f"{prefix}-{index}-{name}"] = "" if value is None else value
    last = forms["actions"].total_form_count() - 1
    data.update(
        {
            f"actions-{last}-id": "A9",
            f"actions-{last}-text": "Add a runbook",
            f"actions-{last}-status": "open",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    postmortem.refresh_from_db()
    assert "| A9 | Add a runbook |" in postmortem.source


def test_security_headers(author: Any) -> None:
    response = _client(author).get("/incidents/")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_login_is_throttled(author: Any) -> None:
    client = Client()
    for _ in range(5):
        client.post("/accounts/login/", {"username": "alex", "password": "wrong"})
    response = client.post(
        "/accounts/login/", {"username": "alex", "password": "a-long-test-password"}
    )
    assert "Too many failed logins" in response.content.decode()


def test_login_works(author: Any) -> None:
    response = Client().post(
        "/accounts/login/", {"username": "alex", "password": "a-long-test-password"}
    )
    assert response.status_code == 302


def test_passwords_are_hashed_with_argon2(author: Any) -> None:
    assert author.password.startswith("argon2")


def test_settings_checks_name_the_setting(tmp_path: Any) -> None:
    with pytest.raises(ConfigError, match="NOFAULT_DEBUG"):
        load_config({"NOFAULT_DATA_DIR": str(tmp_path), "NOFAULT_DEBUG": "maybe"})
    with pytest.raises(ConfigError, match="DATABASE_URL"):
        load_config({"NOFAULT_DATA_DIR": str(tmp_path), "DATABASE_URL": "mysql://x/y"})
    with pytest.raises(ConfigError, match="NOFAULT_TIME_ZONE"):
        load_config({"NOFAULT_DATA_DIR": str(tmp_path), "NOFAULT_TIME_ZONE": "Mars/Base"})
    config_file = tmp_path / "nofault.toml"
    config_file.write_text("[nofault]\ndebugg = true\n")
    with pytest.raises(ConfigError, match="debugg"):
        load_config({"NOFAULT_DATA_DIR": str(tmp_path), "NOFAULT_CONFIG": str(config_file)})
    config_file.write_text('[nofault]\norganisation = "Acme"\nlogin_attempts = 3\n')
    config = load_config({"NOFAULT_DATA_DIR": str(tmp_path), "NOFAULT_CONFIG": str(config_file)})
    assert config.organisation == "Acme" and config.login_attempts == 3
    assert config.database["OPTIONS"]["init_command"].startswith("PRAGMA journal_mode=WAL")
    pg = parse_database_url("postgres://u:p%40ss@db.example:5433/nofault", data_dir=tmp_path)
    ssl = parse_database_url("postgres://db.example/nofault?sslmode=require", data_dir=tmp_path)
    assert ssl["OPTIONS"] == {"sslmode": "require"}
    assert (pg["USER"], pg["PASSWORD"], pg["HOST"], pg["PORT"], pg["NAME"]) == (
        "u",
        "p@ss",
        "db.example",
        "5433",
        "nofault",
    )


def test_the_database_is_the_one_configured(db: Any) -> None:
    """SQLite runs in WAL mode by default; DATABASE_URL switches to PostgreSQL."""
    import os

    from django.db import connection

    if os.environ.get("DATABASE_URL"):
        assert connection.vendor == "postgresql"
        return
    assert connection.vendor == "sqlite"
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        mode = cursor.fetchone()[0]
    assert mode in ("wal", "memory")  # the test database lives in memory


def test_demo_loads_every_state(db: Any) -> None:
    from nofault.web.actions.models import ActionItem
    from nofault.web.demo import demo_load
    from nofault.web.incidents.models import Incident
    from nofault.web.postmortems.models import Postmortem

    assert demo_load() == 20
    assert demo_load() == 0
    assert Incident.objects.filter(key__startswith="INC-10").count() == 20  # + insights history
    assert set(Postmortem.objects.values_list("status", flat=True)) == {
        "draft",
        "in_review",
        "published",
    }
    assert set(ActionItem.objects.values_list("status", flat=True)) == {
        "open",
        "in_progress",
        "done",
        "wont_do",
    }
    assert Incident.objects.filter(restricted=True).exists()
