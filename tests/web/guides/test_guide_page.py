"""The guide page: bad inputs refused at save, the last good guide kept, downloads never a page."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, override_settings

from nofault.web.guides.models import GuideInputs

pytestmark = pytest.mark.django_db

GOOD_VALUES = (
    "values:\n"
    "  - name: Ownership\n"
    "    description: We own our services end to end, from the first commit to the pager.\n"
    "  - name: Keep the lights on\n"
    "    description: We leave every runbook clearer than we found it for the next person.\n"
)


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _save(client: Client, values: str, config: str = "") -> Any:
    return client.post("/guide/", {"values": values, "principles": "", "config": config})


@override_settings(NOFAULT_ORGANISATION="Harbour Lines")
def test_good_inputs_build_a_guide_with_the_organisations_name(
    facilitator: Any, viewer: Any
) -> None:
    saved = _save(_client(facilitator), GOOD_VALUES)
    assert saved.status_code == 302
    page = _client(viewer).get("/guide/").content.decode()
    assert "Harbour Lines" in page and "Your organisation" not in page
    assert page.count("Blameless Postmortem Guide</h1>") == 1
    assert "<title>" not in page.split("</head>", 1)[1]  # the guide's own head is not pasted in
    assert "nofault-guide-" not in page and "/tmp/" not in page
    assert "3.1 " not in page  # stage headings carry no second number
    md = _client(viewer).get("/guide/guide.md")
    assert md.status_code == 200 and b"# Harbour Lines Blameless Postmortem Guide" in md.content


def test_values_that_are_not_a_list_are_refused_with_the_line(
    facilitator: Any, viewer: Any
) -> None:
    client = _client(facilitator)
    assert _save(client, GOOD_VALUES).status_code == 302
    client.get("/guide/")  # shows, and so clears, the message of that save
    before = GuideInputs.objects.get()
    refused = _save(client, "values:\n  name: Ownership\n  description: not a list\n")
    assert refused.status_code == 400
    body = refused.content.decode()
    assert "your core values, line 2" in body and "expected a list" in body
    assert "Guide inputs saved" not in body
    after = GuideInputs.objects.get()
    assert (after.values, after.updated_at) == (before.values, before.updated_at)
    # Readers keep the last good guide, and its downloads.
    page = _client(viewer).get("/guide/").content.decode()
    assert "Core value: Ownership" in page and "expected a list" not in page
    md = _client(viewer).get("/guide/guide.md")
    assert md.status_code == 200 and b"Ownership" in md.content


def test_a_bad_setting_is_refused_on_the_settings_field(facilitator: Any) -> None:
    refused = _save(_client(facilitator), GOOD_VALUES, config="[process]\nworking_days = 3\n")
    assert refused.status_code == 400
    body = refused.content.decode()
    assert "the guide settings, line 2" in body and 'id="id_config-error"' in body
    assert not GuideInputs.objects.filter(values=GOOD_VALUES).exists()


def test_viewers_cannot_change_the_inputs(viewer: Any) -> None:
    response = _save(_client(viewer), GOOD_VALUES)
    assert response.status_code == 302
    assert not GuideInputs.objects.filter(values=GOOD_VALUES).exists()


def test_a_download_that_cannot_be_built_is_an_error_not_a_page(viewer: Any) -> None:
    # No inputs yet: nothing to build, so the answer says so instead of showing a page.
    response = _client(viewer).get("/guide/guide.pdf")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/plain")
    assert b"add the values or the principles" in response.content


def test_the_pdf_is_a_pdf(facilitator: Any, viewer: Any) -> None:
    pytest.importorskip("weasyprint")
    _save(_client(facilitator), GOOD_VALUES)
    response = _client(viewer).get("/guide/guide.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
