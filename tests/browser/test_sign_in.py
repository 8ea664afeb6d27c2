"""Single sign-on in chromium: the login page's button, the provider's own form on another
site (127.0.0.1 against the app's localhost, so the session cookie must survive a cross-site
redirect), the account made from the groups, and logout at the provider."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import oidc_provider_mock
import pytest
from playwright.sync_api import expect

from nofault.web.accounts.models import User
from nofault.web.config import OidcConfig

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def provider(settings: Any) -> Iterator[str]:
    """A real OpenID provider on a local port, configured as the app's."""
    with oidc_provider_mock.run_server_in_thread() as server:
        issuer = f"http://127.0.0.1:{server.server_port}"
        settings.NOFAULT_OIDC = OidcConfig(
            issuer=issuer,
            client_id="nofault",
            client_secret="client-secret",
            name="Acme SSO",
            role_map={"sre-leads": "facilitator"},
            team_map={"eng-payments": "Payments"},
        )
        yield issuer


def test_sign_in_and_out_through_the_provider(live_server: Any, page: Any, provider: str) -> None:
    claims = {
        "email": "rio@acme.example",
        "preferred_username": "rio",
        "groups": ["sre-leads", "eng-payments"],
    }
    answer = httpx.put(f"{provider}/users/sub-rio", json=claims, headers={"Connection": "close"})
    assert answer.status_code == 204
    # The provider's pages ask a CDN for their style sheet; nothing leaves this machine.
    page.route(re.compile(r"^https?://(?!127\.0\.0\.1|localhost)"), lambda route: route.abort())
    page.goto(f"{live_server.url}/accounts/login/")
    page.click("text=Sign in with Acme SSO")
    page.wait_for_url(re.compile(rf"^{re.escape(provider)}/oauth2/authorize"))
    page.fill("input[name=sub]", "sub-rio")
    page.click("button:has-text('Authorize')")
    page.wait_for_url(lambda url: url.startswith(live_server.url) and "/accounts/" not in url)
    expect(page.locator("body")).to_contain_text("Log out")
    rio = User.objects.get(username="rio")
    assert rio.role == "facilitator" and list(rio.teams.values_list("name", flat=True)) == [
        "Payments"
    ]
    page.click("button:has-text('Log out')")
    # nofault's "logged out" page goes on to the provider's logout by itself.
    page.wait_for_url(re.compile(rf"^{re.escape(provider)}/oauth2/end_session"))
    page.click("button:has-text('End session')")
    page.wait_for_url(f"{live_server.url}/accounts/login/")
    page.goto(f"{live_server.url}/accounts/profile/")
    assert "/accounts/login/" in page.url  # the session here has ended
