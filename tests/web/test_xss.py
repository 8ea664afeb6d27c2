"""Known XSS payloads in postmortems, comments and incident fields come out inert."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client

from nofault.web.postmortems import exports
from nofault.web.rendering import markdown_to_html
from nofault.web.reviews import services as review_services
from tests.web.factories import make_incident, make_postmortem

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>alert('xss1')</script>",
    "<img src=x onerror=alert('xss2')>",
    "<svg onload=alert('xss3')>",
    "[click](javascript:alert('xss4'))",
    "<a href=\"javascript:alert('xss5')\">x</a>",
    '<iframe src="https://evil.example"></iframe>',
    "<body onload=alert('xss6')>",
    "<div style=\"background:url(javascript:alert('xss7'))\">x</div>",
    "![x](javascript:alert('xss8'))",
    "<math><mi xlink:href=\"javascript:alert('xss9')\">x</mi></math>",
    "\"><script>alert('xss10')</script>",
    "<details open ontoggle=alert('xss11')>",
    "[x](JaVaScRiPt:alert('xss12'))",
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "<object data=\"javascript:alert('xss13')\"></object>",
]


class _Audit(HTMLParser):
    """Collect anything executable: scripts (other than our static files), handlers, bad URLs."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script" and not dict(attrs).get("src", "").startswith("/static/"):
            self.problems.append(f"<script> {attrs}")
        if tag in ("iframe", "object", "embed", "svg", "math", "frame", "base"):
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"{tag} {name}")
            if name in ("href", "src", "data", "xlink:href", "action", "formaction"):
                lowered = (value or "").strip().lower().replace("\t", "").replace("\n", "")
                if lowered.startswith(("javascript:", "data:text/html", "vbscript:")):
                    self.problems.append(f"{tag} {name}={value}")
            if name == "style" and "javascript" in (value or "").lower():
                self.problems.append(f"{tag} style")


def _audit(html: str) -> list[str]:
    audit = _Audit()
    audit.feed(html)
    return audit.problems


def _source(key: str) -> str:
    body = "\n\n".join(PAYLOADS)
    return f"---\nincidents:\n  - {key}\n---\n\n# Title <script>alert('t')</script>\n\n## Summary\n\n{body}\n"


@pytest.mark.parametrize("payload", PAYLOADS)
def test_renderer_makes_each_payload_inert(payload: str) -> None:
    assert _audit(markdown_to_html(payload)) == []


def test_pages_exports_and_api_keep_payloads_inert(author: Any, reviewer: Any) -> None:
    incident = make_incident(
        author, title="<script>alert('title')</script>", services=["<img src=x onerror=alert(1)>"]
    )
    pm = make_postmortem(author, incident, _source(incident.key))
    for payload in PAYLOADS:
        review_services.postmortem_comment_add(postmortem=pm, actor=reviewer, body=payload)
    client = Client()
    client.force_login(author)
    pages = [
        "/incidents/",
        f"/incidents/{incident.key}/",
        f"/postmortems/{pm.pk}/",
        f"/postmortems/{pm.pk}/edit/",
        f"/postmortems/{pm.pk}/revisions/1/",
        "/postmortems/",
        "/actions/",
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert _audit(html) == [], url
    live = client.post("/postmortems/lint/", {"source": _source(incident.key)}).content.decode()
    assert _audit(live) == []
    assert _audit(exports.export_html(pm)) == []
    api = client.get(f"/api/postmortems/{pm.pk}/")
    assert api["Content-Type"].startswith("application/json")
