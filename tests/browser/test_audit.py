"""An admin invites a colleague by mail, the colleague sets a password and signs in, the admin
changes their role, and the audit log shows all of it."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.web.conftest import smtp  # noqa: F401  (the real SMTP server fixture)
from tests.web.factories import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHOSEN = "harbour-lantern-quiet-47"


def _log_in(page: Any, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def test_an_invitation_a_first_sign_in_and_a_role_change_are_in_the_audit_log(
    live_server: Any,
    browser: Any,
    page: Any,
    smtp: Any,  # noqa: F811  (the fixture imported above)
) -> None:
    base = live_server.url
    make_user("admin", "ada")
    _log_in(page, base, "ada", PASSWORD)
    page.goto(f"{base}/accounts/people/")
    page.fill("#id_email", "kim@example.org")
    page.select_option("#id_role", "viewer")
    page.click("text=Send the invitation")
    expect(page.locator("#people")).to_contain_text("kim")

    invitee = browser.new_context().new_page()
    invitee.goto(base + smtp.link("kim@example.org"))
    invitee.fill("#id_new_password1", CHOSEN)
    invitee.fill("#id_new_password2", CHOSEN)
    invitee.click("text=Set my password")
    invitee.wait_for_url(lambda url: "/accounts/invite/" not in url)
    invitee.context.clear_cookies()
    _log_in(invitee, base, "kim", CHOSEN)
    invitee.context.close()

    page.goto(f"{base}/accounts/people/")
    row = page.locator("#people tr", has_text="kim@example.org")
    row.locator("select[name=role]").select_option("author")
    row.locator("button", has_text="Change").click()
    expect(page.locator("body")).to_contain_text("kim is now author")

    page.click("text=Audit log")
    page.wait_for_url(re.compile(r".*/audit/$"))
    events = page.locator("#audit-events tbody tr")
    expect(events.filter(has_text="Invited")).to_contain_text("kim")
    expect(events.filter(has_text="(user.role)")).to_contain_text("ada")
    kim_logins = events.filter(has_text="(login)").filter(has_text="kim")
    expect(kim_logins).to_have_count(2)  # the invitation's page signs in, then the login page
    page.select_option("#id_action", "user.role")
    page.click("#audit-filter button[type=submit]")
    expect(events).to_have_count(1)
    expect(events).to_contain_text("from: viewer")  # PostgreSQL keeps the details' keys in
    expect(events).to_contain_text("to: author")  # an order of its own
