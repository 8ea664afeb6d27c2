"""A user's whole path through the app in a real browser, with screenshots for the docs."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.web.factories import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOCS_IMG = Path(__file__).resolve().parents[2] / "docs" / "img"
# The screenshots go into the docs only when asked (`make screenshots`), so a test run leaves
# the checkout as it found it.
SHOTS_TO_DOCS = os.environ.get("NOFAULT_SCREENSHOTS") == "docs"
BLAME = "Bob should have checked the dashboard."
REWORDED = "The dashboard showed the error rate within normal bounds, so the rollout went ahead."
ACTIONS = """| ID | Action | Type | Owner | Person | Due | Status | Factors | Tracker |
| --- | --- | --- | --- | --- | --- | --- | --- | --- |
| A1 | Send configuration changes through the canary stage | prevent | team-checkout | fran | 2020-01-01 | open | F1 |  |
| A2 | Alert on the rate of change of checkout errors | detect | team-checkout | sam | 2099-01-01 | in_progress | F1 |  |"""


def _blame_category() -> str:
    from nofault.core.lint.registry import all_rules

    categories = {r.category.value for r in all_rules()}
    return "blame" if "blame" in categories else sorted(categories)[0]


def _log_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"^https?://[^/]+/$"))  # the home page


def _log_out(page: Any) -> None:
    page.click("text=Log out")
    page.wait_for_url(re.compile(r".*/accounts/login/.*"))


def test_write_review_publish_and_follow_through(
    live_server: Any, page: Any, tmp_path: Path
) -> None:
    shots = DOCS_IMG if SHOTS_TO_DOCS else tmp_path
    make_user("facilitator", "fran")
    make_user("author", "sam")
    base = live_server.url
    category = _blame_category()

    _log_in(page, base, "fran")
    page.click("text=New incident")
    page.fill("#id_title", "Checkout errors after a config push")
    page.select_option("#id_severity", "SEV2")
    page.fill("#id_services", "checkout, api-gateway")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/incidents/INC-\d+/$"))
    page.click("text=Start the postmortem")
    page.wait_for_url(re.compile(r".*/postmortems/\d+/edit/$"))

    editor = page.locator("#source")
    source = editor.input_value()
    source = source.replace(
        "## Summary\n\n", f"## Summary\n\nCheckout failed for 40 minutes. {BLAME}\n\n", 1
    )
    source = source.replace(
        "## Contributing factors\n\n",
        "## Contributing factors\n\n- **F1** [process] Configuration changes skip the canary stage.\n\n",
        1,
    )
    source = source.replace("## Action items\n\n", f"## Action items\n\n{ACTIONS}\n\n", 1)
    editor.fill(source)
    flagged = page.locator(f"#findings .finding.cat-{category}")
    flagged.first.wait_for()
    if category == "blame":
        assert "Bob should have" in page.locator("#findings .cat-blame mark").first.inner_text()
    page.locator("#preview h2", has_text="Summary").wait_for()
    editor.press("Control+Home")
    flagged.first.scroll_into_view_if_needed()
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / "editor.png"))
    flagged.first.locator(".code").click()
    page.locator("#rule-doc .rule-doc").wait_for()

    if category == "blame":
        editor.fill(source.replace(BLAME, REWORDED))
        expect(page.locator("#findings .cat-blame")).to_have_count(0)
    page.click("#save")
    page.locator(".messages", has_text="Saved revision").wait_for()

    page.click("text=Review")
    page.check("input[name=reviewers][value]:near(:text('sam'))")
    page.click("#submit-review")
    page.locator(".messages", has_text="Submitted for review").wait_for()
    review_url = page.url
    _log_out(page)

    _log_in(page, base, "sam")
    page.goto(review_url)
    page.fill("textarea[name=body]", "Clear timeline; thanks for the canary action.")
    page.click("text=Comment")
    page.click("#approve")
    page.locator(".messages", has_text="Approved").wait_for()
    _log_out(page)

    _log_in(page, base, "fran")
    page.goto(review_url)
    accept = page.locator("input[name=accept_blame_findings]")
    if accept.count():
        accept.check()  # only when other blame findings remain
    page.click("#publish")
    page.locator(".messages", has_text="Published").wait_for()

    page.click("text=Action items")
    page.locator(".cardlet.overdue", has_text="A1").wait_for()
    page.screenshot(path=str(shots / "actions.png"), full_page=True)
    page.locator(".cardlet", has_text="Send configuration changes").locator(
        "button.close-item"
    ).click()
    done = page.locator(".column[data-status=done] .cardlet", has_text="Send configuration changes")
    done.wait_for()
    assert "closed by fran" in done.inner_text()
