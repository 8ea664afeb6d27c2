"""Each security hole found by review has a test here that failed before its fix."""

from __future__ import annotations

import base64
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import pytest
from django.test import Client, override_settings

from tests.web.factories import PASSWORD, make_incident, make_postmortem

# A 1x1 PNG, what an internal host might serve.
_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de"
    "0000000c49444154789c6338c1c00000025c00c943c812460000000049454e44ae426082"
)


class _CountingHandler(BaseHTTPRequestHandler):
    """Serves a small image and counts every request made to it."""

    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        type(self).hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png" if self.path.endswith(".png") else "text/css")
        self.end_headers()
        self.wfile.write(_PNG if self.path.endswith(".png") else b"body { color: red }")

    def log_message(self, *args: Any) -> None:
        """Keeps the test output quiet."""


@pytest.fixture
def internal_host() -> Iterator[tuple[str, list[str]]]:
    """A real HTTP server on localhost standing for a host inside the network."""
    hits: list[str] = []
    handler = type("Handler", (_CountingHandler,), {"hits": hits})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", hits
    finally:
        server.shutdown()
        server.server_close()


def _login(user: Any) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


# --- 1. No outbound fetch while rendering a PDF ----------------------------------------------


def _references(base: str) -> str:
    return (
        f'<img src="{base}/x.png">\n\n![chart]({base}/chart.png)\n\n'
        f'<link rel="stylesheet" href="{base}/style.css">\n\n'
        f'<p style="background: url({base}/bg.png)">styled</p>\n\n'
        f'<img src="file:///etc/passwd">\n'
    )


@pytest.mark.usefixtures("drafts_open")
def test_postmortem_pdf_fetches_nothing(internal_host: Any, author: Any, viewer: Any) -> None:
    base, hits = internal_host
    incident = make_incident(author)
    source = (
        f"---\nincidents:\n  - {incident.key}\n---\n\n# Fetch test\n\n## Summary\n\n"
        f"The summary stays.\n\n{_references(base)}\n"
    )
    pm = make_postmortem(author, incident, source)
    response = _login(viewer).get(f"/postmortems/{pm.pk}/export.pdf")
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body.startswith(b"%PDF")
    assert hits == []


def test_report_pdfs_fetch_nothing(internal_host: Any) -> None:
    from nofault.core.pdf import html_to_pdf

    base, hits = internal_host
    page = f"<html><head><link rel=stylesheet href='{base}/s.css'></head><body>{_references(base)}"
    inline = base64.b64encode(_PNG).decode()
    with_image = html_to_pdf(page + f"<img src='data:image/png;base64,{inline}'></body></html>")
    without = html_to_pdf(page + "</body></html>")
    assert with_image.startswith(b"%PDF") and without.startswith(b"%PDF")
    assert hits == []
    # The inline image is still drawn: data: URLs are the one kind allowed.
    assert b"/Image" in with_image and b"/Image" not in without


def test_guide_pdf_fetches_nothing(internal_host: Any, tmp_path: Any) -> None:
    from nofault.core.guide import build_guide

    base, hits = internal_host
    values = tmp_path / "values.md"
    values.write_text(f'- We learn together <img src="{base}/v.png">\n', encoding="utf-8")
    pdf = build_guide(values=values, principles=None, fmt="pdf", organisation="Acme")
    assert isinstance(pdf, bytes) and pdf.startswith(b"%PDF")
    assert hits == []


# --- 3. Linting stays linear, and its bodies are bounded -------------------------------------


def test_api_lints_the_reported_text_quickly(api: Any) -> None:
    assert api.post("/api/lint/", {"text": "warm"}, format="json").status_code == 200
    started = time.perf_counter()  # after the first request, which loads the rule packs
    response = api.post("/api/lint/", {"text": "[a](" * 30000}, format="json")
    assert response.status_code == 200, response.content
    assert time.perf_counter() - started < 5  # it took over a minute when quadratic


def test_lint_bodies_over_the_limit_are_413_with_a_reason(api: Any, author: Any) -> None:
    from nofault.web.postmortems.linting import MAX_LINT_BODY_BYTES, MAX_SOURCE_CHARS

    text = "a" * (MAX_SOURCE_CHARS + 1)
    response = api.post("/api/lint/", {"text": text}, format="json")
    assert response.status_code == 413
    assert response.json()["reason"] == "too_large"
    big = "a" * (MAX_LINT_BODY_BYTES + 1)
    response = api.post("/api/lint/", big, content_type="text/markdown")
    assert response.status_code == 413
    assert "MB" in response.json()["detail"]
    editor = _login(author)
    response = editor.post("/postmortems/lint/", {"source": text})
    assert response.status_code == 413
    assert b"million characters" in response.content
    response = editor.post("/postmortems/lint/", {"source": big})
    assert response.status_code == 413


# --- 4. Incident keys: one rule at every door, pages robust to bad stored rows ---------------


@pytest.mark.parametrize("key", ["x/y", "../admin", "a b", "-a", "a?b", "a#b", "é" * 3, "a" * 65])
def test_api_refuses_a_key_that_cannot_be_a_path_segment(api: Any, key: str) -> None:
    response = api.post("/api/incidents/", {"id": key, "title": "Bad key"}, format="json")
    assert response.status_code == 400, response.content
    assert response.json()["reason"] == "invalid_key"


@pytest.mark.parametrize("key", ["INC-1234", "PD-Q1X2Y3", "2026-05-01.db", "ops_42", "JIRA:77"])
def test_api_accepts_usual_keys(api: Any, key: str) -> None:
    response = api.post("/api/incidents/", {"id": key, "title": "Good key"}, format="json")
    assert response.status_code == 201, response.content
    assert api.get(f"/api/incidents/{key}/").json()["id"] == key


def test_import_refuses_a_key_with_a_slash(author: Any) -> None:
    from nofault.web.api_errors import ServiceError
    from nofault.web.incidents.models import Incident
    from nofault.web.postmortems import imports

    text = "---\nincidents: [a/b]\n---\n\n# Imported\n\n## Summary\n\nIt broke.\n"
    with pytest.raises(ServiceError) as refused:
        imports.postmortem_import(actor=author, filename="one.md", data=text.encode())
    assert refused.value.status_code < 500 and "a/b" in refused.value.message
    assert not Incident.objects.filter(key="a/b").exists()


def test_a_key_an_alerting_source_gives_is_normalised(author: Any) -> None:
    from nofault.web.incidents.services import incident_create

    incident = incident_create(actor=author, title="From a webhook", key="team/db 7", source="x")
    assert "/" not in incident.key and " " not in incident.key and incident.key


def test_pages_render_a_bad_key_already_stored(admin: Any) -> None:
    from nofault.web.incidents.models import Incident

    incident = make_incident(admin)
    make_postmortem(admin, incident)
    Incident.objects.filter(pk=incident.pk).update(key="x/y")  # stored before keys were checked
    client = _login(admin)
    for url in ("/postmortems/", "/reviews/", "/incidents/", "/actions/", "/search/?q=Incident"):
        response = client.get(url)
        assert response.status_code == 200, url
    page = client.get("/postmortems/").content.decode()
    link = f"/incidents/id/{incident.pk}/"
    assert link in page
    detail = client.get(link)
    assert detail.status_code == 200 and b"x/y" in detail.content
    pm = Incident.objects.get(pk=incident.pk).postmortem
    assert client.get(f"/postmortems/{pm.pk}/").status_code == 200


# --- 8. Single requests that answered 500 ----------------------------------------------------


def test_odd_numbers_in_query_strings_are_not_500(admin: Any, postmortem: Any) -> None:
    client = _login(admin)
    for url in (
        "/search/?q=deploy&offset=²",
        "/search/?q=deploy&offset=99999999999999999999999999",
        "/incidents/?page=9999999999999999999999999",
        "/actions/list/?page=9999999999999999999999999",
        "/incidents/?page=²",
        "/actions/list/?page=٣",
        f"/postmortems/{postmortem.pk}/rows/?add=²",
        "/api/incidents/?offset=99999999999999999999999999",
        "/api/action-items/?postmortem=²",
        "/api/search?q=deploy&offset=²",
        "/api/coverage?offset=99999999999999999999999999",
    ):
        response = client.get(url)
        assert response.status_code < 500, url
        assert response.status_code in (200, 400), (url, response.status_code)


def test_rows_with_a_bad_base_revision_are_refused(author: Any, postmortem: Any) -> None:
    response = _login(author).post(f"/postmortems/{postmortem.pk}/rows/", {"base_revision": "abc"})
    assert 400 <= response.status_code < 500


def test_pulse_score_in_odd_digits_is_not_500(author: Any, postmortem: Any) -> None:
    from nofault.web.insights.pulse import STATEMENTS

    form = {s.key: "²" for s in STATEMENTS}
    response = _login(author).post(f"/insights/pulse/{postmortem.pk}/", form)
    assert response.status_code < 500


def test_report_since_the_year_one_is_not_500(admin: Any, postmortem: Any) -> None:
    client = _login(admin)
    for url in (
        "/insights/report.md?since=0001-01-01",
        "/api/insights/report?fmt=md&since=0001-01-01",
    ):
        response = client.get(url)
        assert response.status_code in (200, 400), (url, response.status_code)


def test_an_unexpected_error_in_the_api_is_a_500_with_the_request_id(admin: Any) -> None:
    from django.test import RequestFactory

    from nofault.web import api_errors, errors

    # A bug is not a client's error: the handler leaves it to Django's 500.
    assert api_errors.exception_handler(ZeroDivisionError("a bug"), {}) is None
    request = RequestFactory().get("/api/incidents/")
    request.request_id = "req-123"
    answer = errors.server_error(request)
    assert answer.status_code == 500
    assert json.loads(answer.content) == {
        "reason": "server_error",
        "detail": "Something went wrong on our side",
        "request_id": "req-123",
    }


def test_every_response_carries_a_request_id(api: Any) -> None:
    given = api.get("/api/incidents/", HTTP_X_REQUEST_ID="abc-123")
    assert given["X-Request-ID"] == "abc-123"
    made = api.get("/api/incidents/", HTTP_X_REQUEST_ID="bad id\nwith newline")
    assert made["X-Request-ID"] != "bad id\nwith newline" and len(made["X-Request-ID"]) == 32


# --- 5. The guide's size is bounded, and its PDF is built once per version -------------------


def _values(count: int) -> str:
    return "".join(f"- **Value {n}**: We learn from incident {n} together.\n" for n in range(count))


def test_a_guide_too_large_is_refused_at_save_and_in_the_cli(
    facilitator: Any, tmp_path: Any
) -> None:
    from typer.testing import CliRunner

    from nofault.cli.main import app
    from nofault.core.guide.inputs import MAX_STATEMENTS

    client = _login(facilitator)
    huge = client.post("/guide/", {"values": _values(20_000), "principles": "", "config": ""})
    assert huge.status_code == 400  # refused at save, never built
    response = client.post(
        "/guide/", {"values": _values(MAX_STATEMENTS + 1), "principles": "", "config": ""}
    )
    assert response.status_code == 400
    assert f"at most {MAX_STATEMENTS}" in response.content.decode()
    path = tmp_path / "values.md"
    path.write_text(_values(MAX_STATEMENTS + 1), encoding="utf-8")
    result = CliRunner().invoke(
        app, ["guide", "build", "--values", str(path), "--organisation", "Acme"]
    )
    assert result.exit_code != 0
    assert f"values.md:{MAX_STATEMENTS + 1}" in result.output and "at most" in result.output
    long = tmp_path / "long.md"
    long.write_text("- **Care**: " + "word " * 1_000 + "\n", encoding="utf-8")
    result = CliRunner().invoke(
        app, ["guide", "build", "--values", str(long), "--organisation", "Acme"]
    )
    assert result.exit_code != 0 and "longer than" in result.output


@override_settings(NOFAULT_ORGANISATION="Harbour Lines")
def test_the_guide_pdf_is_built_once_per_version(facilitator: Any) -> None:
    from django.core.cache import cache

    from nofault.web.guides import services

    client = _login(facilitator)
    assert (
        client.post("/guide/", {"values": _values(3), "principles": "", "config": ""}).status_code
        == 302
    )
    inputs = services.guide_inputs_get()
    key = services.guide_pdf_cache_key(inputs)
    cache.delete(key)
    first = client.get("/guide/guide.pdf")
    assert first.status_code == 200 and first.content.startswith(b"%PDF")
    assert cache.get(key) == first.content  # kept under the inputs' version
    assert client.get("/guide/guide.pdf").content == first.content
    client.post("/guide/", {"values": _values(4), "principles": "", "config": ""})
    assert services.guide_pdf_cache_key(services.guide_inputs_get()) != key  # a new version
