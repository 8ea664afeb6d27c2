"""Each role's daily path through the demo organisation, on a laptop and on a phone.

Every page visited is checked with axe-core (WCAG 2.2 AA rules) and must show no serious or
critical violation, and must fit the screen's width (wide tables scroll inside their card).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"laptop": 1366, "phone": 390}
# `make screenshots` keeps the editor, the guide and the board at both widths for the docs.
DOCS_IMG = Path(__file__).resolve().parents[2] / "docs" / "img"
SHOTS_TO_DOCS = os.environ.get("NOFAULT_SCREENSHOTS") == "docs"
AXE = Axe()
# axe's tags for WCAG 2.0, 2.1 and 2.2, levels A and AA.
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
    "resultTypes": ["violations"],
}


def _audit(page: Any) -> None:
    """Fail on a serious or critical axe violation, or on a page wider than the screen."""
    page.wait_for_load_state("networkidle")
    found = AXE.run(page, options=AXE_OPTIONS).response["violations"]
    bad = [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes'][:3]]}"
        for v in found
        if v["impact"] in ("serious", "critical")
    ]
    assert not bad, f"{page.url}: {bad}"
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


def _visit(page: Any, base: str, path: str, shot: str = "") -> None:
    response = page.goto(base + path)
    assert response is not None and response.status == 200, path
    _audit(page)
    if shot and SHOTS_TO_DOCS:
        width = page.viewport_size["width"]
        page.screenshot(path=str(DOCS_IMG / f"{shot}-{width}.png"))


def _as(screen: dict[str, Any], base: str, username: str) -> Any:
    """A fresh page logged in as a demo user."""
    screen["context"].clear_cookies()
    page = screen["context"].new_page()
    page.goto(f"{base}/accounts/login/")
    _audit(page)
    page.fill("#id_username", username)
    page.fill("#id_password", f"demo-{username}-pass")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"^https?://[^/]+/$"))  # the home page
    return page


def test_each_role_daily_path(live_server: Any, browser: Any, subtests: Any) -> None:
    """The walk at each width, on one load of the demo organisation: each width's author edits
    and publishes a draft of their own, and each width's admin makes a team of its own."""
    from nofault.web.demo import demo_load
    from nofault.web.postmortems.models import Postmortem

    demo_load()
    drafts = Postmortem.objects.filter(status="draft", created_by__username="alex").order_by("pk")
    for (name, width), draft in zip(WIDTHS.items(), drafts[: len(WIDTHS)], strict=True):
        with subtests.test(screen=name):
            context = browser.new_context(viewport={"width": width, "height": 860})
            context.set_default_timeout(15_000)
            try:
                _walk({"context": context, "width": width}, live_server.url, draft, name)
            finally:
                context.close()


def _walk(screen: dict[str, Any], base: str, draft: Any, name: str) -> None:
    from nofault.web.postmortems.models import Postmortem

    phone = screen["width"] < 900
    published = Postmortem.objects.filter(status="published").order_by("pk").first()
    assert published is not None

    # Viewer: reads incidents, a postmortem, the board, coverage, the guide, search, insights.
    page = _as(screen, base, "vic")
    _audit(page)
    nav = page.locator("nav[aria-label=Main]")
    if phone:
        assert not nav.is_visible()  # folded into the menu
        page.click("summary:has-text('Menu')")
        assert nav.is_visible()
        _audit(page)
    else:
        assert nav.is_visible() and not page.locator("summary:has-text('Menu')").is_visible()
    incident_key = published.incident.key
    for path in (
        "/postmortems/",
        f"/incidents/{incident_key}/",
        f"/postmortems/{published.pk}/",
        "/actions/list/",
        "/reviews/",
        "/search/",
        "/search/?q=canary",
        "/insights/",
    ):
        _visit(page, base, path)
    _visit(page, base, "/actions/", shot="actions")
    _visit(page, base, "/guide/", shot="guide")
    page.close()

    # Author: writes in the editor, adds a timeline row, requests review.
    page = _as(screen, base, "alex")
    _visit(page, base, f"/postmortems/{draft.pk}/edit/", shot="editor")
    editor = page.locator("#source")
    source = editor.input_value()
    editor.fill(source.replace("## Summary\n\n", "## Summary\n\nThe cache emptied at once. ", 1))
    page.click("#save")
    page.locator(".messages", has_text="Saved revision").wait_for()
    _audit(page)
    _visit(page, base, f"/postmortems/{draft.pk}/rows/?add=5")
    status = page.locator("select[name$='-status']").first
    assert "In progress" in status.inner_text() and "in_progress" not in status.inner_text()
    page.locator("#id_timeline-5-time").fill("14:40 UTC")
    page.locator("#id_timeline-5-text").fill("Cache warmed again")
    page.click("#save-rows")
    page.locator(".messages", has_text="Saved revision").wait_for()
    _audit(page)
    _visit(page, base, f"/postmortems/{draft.pk}/")
    page.check("input[name=reviewers][value]:near(:text('fran'))")
    page.click("#submit-review")
    page.locator(".messages", has_text="Submitted for review").wait_for()
    _audit(page)
    page.close()

    # Facilitator: reviews, approves and publishes.
    page = _as(screen, base, "fran")
    _visit(page, base, f"/postmortems/{draft.pk}/")
    page.click("#approve")
    page.locator(".messages", has_text="Approved").wait_for()
    _audit(page)
    accept = page.locator("input[name=accept_blame_findings]")
    if accept.count():
        accept.check()
    page.click("#publish")
    page.locator(".messages", has_text="Published").wait_for()
    _audit(page)
    _visit(page, base, "/reviews/policy/")
    _visit(page, base, "/reviews/")
    waive = page.locator("summary:has-text('Waive')")
    if waive.count():  # the waiver form, opened, is checked too
        waive.first.click()
        _audit(page)
    page.close()

    # Admin: people.
    page = _as(screen, base, "admin")
    _visit(page, base, "/accounts/people/")
    _visit(page, base, "/accounts/teams/")
    team = f"Payments {name}"
    page.fill("#new-team-name", team)
    page.click("#new-team button[type=submit]")
    page.locator(".messages", has_text=f"Created the team {team}").wait_for()
    _audit(page)  # a team's forms: rename, delete, people, services
    _visit(page, base, "/accounts/scim/")
    _visit(page, base, "/integrations/")
    _visit(page, base, "/integrations/deliveries/unapplied/")
    page.close()
