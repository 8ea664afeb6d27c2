"""Sign-in through a real OpenID provider (oidc-provider-mock, on a local port).

The browser's part of the flow is driven by hand: the app's redirect to the provider, the
provider's login form posted with the person's subject, and the redirect back. The app talks to
the provider itself over HTTP (discovery, token, keys, userinfo). A relay in front of the
provider, as a reverse proxy would be, records the token requests and can alter the provider's
token answer on its way back, as an attacker in between would.
"""

from __future__ import annotations

import base64
import hashlib
import json
import threading
from collections.abc import Callable, Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

import httpx
import oidc_provider_mock
import pytest
from django.test import Client
from rest_framework.test import APIClient

from nofault.web.accounts import services
from nofault.web.accounts.models import Team, User
from nofault.web.audit.models import AuditEvent
from nofault.web.config import ConfigError, OidcConfig, load_config
from tests.web.factories import PASSWORD

Rewrite = Callable[[dict[str, Any]], dict[str, Any]]
# One client for the whole module: each new client costs a TLS context (about 0.2 s). No
# connection is kept open, so the servers stop at once when the module ends.
http = httpx.Client(timeout=10, headers={"Connection": "close"})
_HOP_HEADERS = {"connection", "transfer-encoding", "content-length", "keep-alive"}


class Relay(ThreadingHTTPServer):
    """A reverse proxy in front of the provider that keeps the Host header (so the provider
    names the relay as its address and issuer), records token requests and can rewrite the
    token answer."""

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream
        self.rewrite: Rewrite | None = None
        self.token_requests: list[dict[str, list[str]]] = []
        super().__init__(("127.0.0.1", 0), _RelayHandler)

    @property
    def url(self) -> str:
        return f"http://localhost:{self.server_address[1]}"


class _RelayHandler(BaseHTTPRequestHandler):
    server: Relay

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _forward(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_HEADERS}
        answer = http.request(
            self.command, self.server.upstream + self.path, headers=headers, content=body
        )
        content = answer.content
        if self.path.startswith("/oauth2/token"):
            self.server.token_requests.append(parse_qs(body.decode()))
            if self.server.rewrite and answer.status_code == 200:
                content = json.dumps(self.server.rewrite(answer.json())).encode()
        self.send_response(answer.status_code)
        for key, value in answer.headers.items():
            if key.lower() not in _HOP_HEADERS:
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        self.wfile.write(content)

    do_GET = do_POST = do_PUT = _forward


@pytest.fixture(scope="module")
def relay() -> Iterator[Relay]:
    """The provider, reached through the relay."""
    with oidc_provider_mock.run_server_in_thread() as server:
        relay = Relay(f"http://localhost:{server.server_port}")
        thread = threading.Thread(target=relay.serve_forever, daemon=True)
        thread.start()
        yield relay
        relay.shutdown()
        relay.server_close()


@pytest.fixture(scope="module")
def stale_provider() -> Iterator[str]:
    """A provider whose ID tokens expired ten minutes before they were issued."""
    with oidc_provider_mock.run_server_in_thread(
        access_token_max_age=timedelta(minutes=-10)
    ) as server:
        yield f"http://localhost:{server.server_port}"


def _config(issuer: str) -> OidcConfig:
    return OidcConfig(
        issuer=issuer,
        client_id="nofault",
        client_secret="client-secret",
        name="Acme SSO",
        role_map={"sre-leads": "facilitator", "eng": "author", "nofault-admins": "admin"},
        team_map={"eng-payments": "Payments", "eng-search": "Search"},
    )


@pytest.fixture
def sso(settings: Any, relay: Relay, db: Any) -> Relay:
    """The app signs in through the relayed provider."""
    settings.NOFAULT_OIDC = _config(relay.url)
    relay.rewrite = None
    relay.token_requests.clear()
    return relay


def _person(provider: str, sub: str, **claims: Any) -> None:
    response = http.put(f"{provider}/users/{sub}", json=claims)
    assert response.status_code == 204


def _authorize(
    client: Client, sub: str, start_at: str = "/accounts/login/oidc/"
) -> tuple[str, str]:
    """Start at the app, log in at the provider; return the authorization URL and the
    callback path (with code and state) the provider sends the browser back to."""
    start = client.get(start_at)
    assert start.status_code == 302
    authorization = start["Location"]
    answer = http.post(authorization, data={"sub": sub})
    assert answer.status_code == 302, answer.text
    back = urlparse(answer.headers["location"])
    assert back.netloc == "testserver"
    return authorization, f"{back.path}?{back.query}"


def _sign_in(client: Client, sub: str) -> Any:
    return client.get(_authorize(client, sub)[1])


def _signed_in_as(client: Client) -> str | None:
    response = client.get("/accounts/profile/")
    return response.context["user"].username if response.status_code == 200 else None


ALICE = {
    "email": "alice@acme.example",
    "email_verified": True,
    "preferred_username": "alice",
    "given_name": "Alice",
    "family_name": "Ng",
}


def test_first_login_creates_the_account_with_pkce_role_and_team(sso: Relay) -> None:
    _person(sso.url, "sub-alice", **ALICE, groups=["eng", "eng-payments"])
    client = Client()
    login_page = client.get("/accounts/login/?next=/actions/").content.decode()
    assert 'href="/accounts/login/oidc/?next=%2Factions%2F">Sign in with Acme SSO' in login_page
    authorization, callback = _authorize(
        client, "sub-alice", "/accounts/login/oidc/?next=/actions/"
    )
    response = client.get(callback)
    assert response.status_code == 302 and response["Location"] == "/actions/"
    alice = User.objects.get(username="alice")
    assert (alice.email, alice.get_full_name(), alice.role) == (
        "alice@acme.example",
        "Alice Ng",
        "author",
    )
    assert not alice.has_usable_password()
    assert list(alice.teams.values_list("name", flat=True)) == ["Payments"]
    assert _signed_in_as(client) == "alice"
    assert AuditEvent.objects.filter(action="login", actor=alice).count() == 1
    # PKCE: the challenge sent to the provider is the S256 of the verifier sent with the code.
    query = parse_qs(urlparse(authorization).query)
    assert query["code_challenge_method"] == ["S256"] and query["nonce"][0]
    verifier = sso.token_requests[-1]["code_verifier"][0]
    digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
    assert digest.rstrip(b"=").decode() == query["code_challenge"][0]


def test_each_login_sets_role_and_teams_from_the_groups(sso: Relay) -> None:
    _person(sso.url, "sub-bo", email="bo@acme.example", preferred_username="bo", groups=["eng"])
    assert _sign_in(Client(), "sub-bo").status_code == 302
    bo = User.objects.get(username="bo")
    assert bo.role == "author" and not bo.teams.exists()
    kept = Team.objects.create(name="On-call guild")
    kept.members.add(bo)
    # The provider renames and regroups Bo: the same account follows the subject.
    _person(
        sso.url,
        "sub-bo",
        email="bo.berg@acme.example",
        preferred_username="bberg",
        groups=["sre-leads", "eng", "eng-search"],
    )
    client = Client()
    assert _sign_in(client, "sub-bo").status_code == 302
    bo.refresh_from_db()
    assert (bo.username, bo.email, bo.role) == ("bo", "bo.berg@acme.example", "facilitator")
    assert sorted(bo.teams.values_list("name", flat=True)) == ["On-call guild", "Search"]
    _person(sso.url, "sub-bo", email="bo.berg@acme.example", groups=["marketing"])
    assert _sign_in(Client(), "sub-bo").status_code == 302
    bo.refresh_from_db()
    assert bo.role == "viewer"  # no mapped group: the default role
    assert list(bo.teams.values_list("name", flat=True)) == ["On-call guild"]
    assert User.objects.filter(email__startswith="bo").count() == 1


def test_an_invited_person_is_linked_by_address(sso: Relay, admin: Any, smtp: Any) -> None:
    invited, _link = services.user_invite(actor=admin, email="cy@acme.example", role="viewer")
    people = APIClient()
    people.force_authenticate(admin)
    assert people.get(f"/api/users/{invited.pk}/").json()["status"] == "invited"
    _person(sso.url, "sub-cy", email="cy@acme.example", preferred_username="cy.other")
    assert _sign_in(Client(), "sub-cy").status_code == 302
    assert invited.identities.get().subject == "sub-cy"
    assert User.objects.filter(email="cy@acme.example").count() == 1
    # Signed in without a password: active, not invited, on the API and the People page.
    assert people.get(f"/api/users/{invited.pk}/").json()["status"] == "active"
    admin_page = Client()
    admin_page.force_login(admin)
    row = admin_page.get("/accounts/people/").content.decode().split("cy@acme.example")[1]
    assert "invited" not in row.split("</tr>")[0]


def test_logout_ends_the_session_here_and_at_the_provider(sso: Relay) -> None:
    _person(sso.url, "sub-dee", email="dee@acme.example", preferred_username="dee")
    client = Client()
    _sign_in(client, "sub-dee")
    assert _signed_in_as(client) == "dee"
    response = client.post("/accounts/logout/")
    # A page that goes on to the provider (a redirect after a form's POST to another site
    # is what the Content-Security-Policy's form-action stops).
    assert response.status_code == 200 and response["Refresh"].startswith("0;url=")
    provider_logout = response["Refresh"].removeprefix("0;url=")
    assert f'href="{provider_logout.replace("&", "&amp;")}"' in response.content.decode()
    query = parse_qs(urlparse(provider_logout).query)
    assert provider_logout.startswith(f"{sso.url}/oauth2/end_session?")
    assert query["post_logout_redirect_uri"] == ["http://testserver/accounts/login/"]
    assert query["id_token_hint"][0].count(".") == 2 and query["client_id"] == ["nofault"]
    assert _signed_in_as(client) is None
    # The provider's logout page takes the hint and sends the person back to nofault.
    page = http.get(provider_logout)
    assert page.status_code == 200
    confirm = http.post(
        f"{sso.url}/oauth2/end_session/confirm",
        data={"redirect_uri": query["post_logout_redirect_uri"][0]},
    )
    assert confirm.headers["location"] == "http://testserver/accounts/login/"


def test_a_replayed_state_is_refused(sso: Relay) -> None:
    _person(sso.url, "sub-eve", email="eve@acme.example", preferred_username="eve")
    client = Client()
    _, callback = _authorize(client, "sub-eve")
    assert client.get(callback).status_code == 302
    client.post("/accounts/logout/")
    replay = client.get(callback)
    assert replay.status_code == 400 and "already used" in replay.content.decode()
    elsewhere = Client().get(callback)
    assert elsewhere.status_code == 400
    assert _signed_in_as(client) is None


def _tamper_groups(token_answer: dict[str, Any]) -> dict[str, Any]:
    header, payload, signature = token_answer["id_token"].split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["groups"] = ["nofault-admins"]
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return {**token_answer, "id_token": f"{header}.{forged}.{signature}"}


def test_a_tampered_id_token_is_refused(sso: Relay) -> None:
    _person(sso.url, "sub-fay", email="fay@acme.example", preferred_username="fay")
    sso.rewrite = _tamper_groups
    response = _sign_in(Client(), "sub-fay")
    assert response.status_code == 401
    assert "signature does not verify" in response.content.decode()
    assert not User.objects.filter(username="fay").exists()
    failed = AuditEvent.objects.get(action="login.failed")
    assert "signature does not verify" in failed.detail["reason"]


def _id_token_for(provider: str, client_id: str, sub: str, nonce: str) -> str:
    """An ID token the provider issues to another application, for the same person."""
    back = "http://127.0.0.1:9/callback"
    answer = http.post(
        f"{provider}/oauth2/authorize",
        params={
            "client_id": client_id,
            "redirect_uri": back,
            "response_type": "code",
            "scope": "openid email",
            "state": "other-app",
            "nonce": nonce,
        },
        data={"sub": sub},
    )
    code = parse_qs(urlparse(answer.headers["location"]).query)["code"][0]
    token = http.post(
        f"{provider}/oauth2/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": back,
            "client_id": client_id,
            "client_secret": "other-secret",
        },
    )
    return str(token.json()["id_token"])


def test_an_id_token_for_another_application_is_refused(sso: Relay) -> None:
    _person(sso.url, "sub-gil", email="gil@acme.example", preferred_username="gil")
    client = Client()
    authorization, callback = _authorize(client, "sub-gil")
    nonce = parse_qs(urlparse(authorization).query)["nonce"][0]
    foreign = _id_token_for(sso.url, "another-app", "sub-gil", nonce)
    sso.rewrite = lambda answer: {**answer, "id_token": foreign}
    response = client.get(callback)
    assert response.status_code == 401 and "wrong audience" in response.content.decode()
    assert not User.objects.filter(username="gil").exists()


def test_an_expired_id_token_is_refused(settings: Any, stale_provider: str, db: Any) -> None:
    settings.NOFAULT_OIDC = _config(stale_provider)
    _person(stale_provider, "sub-hal", email="hal@acme.example", preferred_username="hal")
    response = _sign_in(Client(), "sub-hal")
    assert response.status_code == 401 and "has expired" in response.content.decode()
    assert not User.objects.filter(username="hal").exists()


def test_a_deactivated_account_and_a_refusal_at_the_provider(sso: Relay, admin: Any) -> None:
    _person(sso.url, "sub-ivy", email="ivy@acme.example", preferred_username="ivy")
    assert _sign_in(Client(), "sub-ivy").status_code == 302
    services.user_deactivate(actor=admin, user=User.objects.get(username="ivy"))
    response = _sign_in(Client(), "sub-ivy")
    assert response.status_code == 403 and "deactivated" in response.content.decode()
    client = Client()
    start = client.get("/accounts/login/oidc/")
    denied = http.post(start["Location"], data={"action": "deny"})
    back = urlparse(denied.headers["location"])
    refused = client.get(f"{back.path}?{back.query}")
    assert refused.status_code == 403 and "access_denied" in refused.content.decode()


def test_sso_only_turns_passwords_off_except_for_break_glass_admins(
    sso: Relay, settings: Any, admin: Any, author: Any
) -> None:
    settings.NOFAULT_SSO_ONLY = True
    settings.NOFAULT_SSO_BREAK_GLASS = [admin.username, author.username]
    page = Client().get("/accounts/login/").content.decode()
    assert "Sign in with Acme SSO" in page and 'name="password"' not in page
    token = services.token_issue(user=author)
    # The author is named but is no admin; a password is refused on the page and the API.
    refused = Client().post("/accounts/login/", {"username": author.username, "password": PASSWORD})
    assert refused.status_code == 403 and "Password login is off" in refused.content.decode()
    api = APIClient()
    answer = api.post(
        "/api/token/", {"username": author.username, "password": PASSWORD}, format="json"
    )
    assert answer.status_code == 403 and "single sign-on" in answer.json()["detail"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/incidents/").status_code == 200  # tokens keep working
    glass = Client()
    assert 'name="password"' in glass.get("/accounts/login/?password=1").content.decode()
    done = glass.post(
        "/accounts/login/?password=1", {"username": f" {admin.username}", "password": PASSWORD}
    )
    assert done.status_code == 302 and _signed_in_as(glass) == admin.username


def test_without_a_provider_nothing_changes(settings: Any, db: Any) -> None:
    settings.NOFAULT_OIDC = None
    page = Client().get("/accounts/login/").content.decode()
    assert "Sign in with" not in page and 'name="password"' in page
    assert Client().get("/accounts/login/oidc/").status_code == 404
    assert Client().get("/accounts/login/oidc/callback/?code=x&state=y").status_code == 404


def test_the_settings_are_checked_at_start(tmp_path: Any) -> None:
    base = {
        "NOFAULT_DATA_DIR": str(tmp_path),
        "NOFAULT_OIDC_ISSUER": "https://idp.example",
        "NOFAULT_OIDC_CLIENT_ID": "nofault",
    }
    config = load_config(
        {
            **base,
            "NOFAULT_OIDC_ROLE_MAP": "sre-leads=facilitator, eng=author",
            "NOFAULT_SSO_ONLY": "true",
            "NOFAULT_SSO_BREAK_GLASS": "root",
        }
    )
    assert config.oidc is not None and config.sso_only and config.sso_break_glass == ["root"]
    assert config.oidc.role_map == {"sre-leads": "facilitator", "eng": "author"}
    assert config.oidc.discovery == "https://idp.example/.well-known/openid-configuration"
    toml = tmp_path / "nofault.toml"
    toml.write_text('[nofault]\noidc_team_map = { "eng-payments" = "Payments" }\n')
    from_file = load_config({**base, "NOFAULT_CONFIG": str(toml)})
    assert from_file.oidc is not None and from_file.oidc.team_map == {"eng-payments": "Payments"}
    for wrong, named in [
        ({"NOFAULT_OIDC_ROLE_MAP": "eng=boss"}, "NOFAULT_OIDC_ROLE_MAP"),
        ({"NOFAULT_OIDC_CLIENT_ID": ""}, "NOFAULT_OIDC_CLIENT_ID"),
        ({"NOFAULT_OIDC_TEAM_MAP": "eng-payments"}, "NOFAULT_OIDC_TEAM_MAP"),
        ({"NOFAULT_OIDC_SCOPES": "email"}, "NOFAULT_OIDC_SCOPES"),
        ({"NOFAULT_OIDC_ISSUER": "", "NOFAULT_SSO_ONLY": "true"}, "NOFAULT_SSO_ONLY"),
    ]:
        with pytest.raises(ConfigError, match=named):
            load_config({**base, **wrong})
    assert load_config({"NOFAULT_DATA_DIR": str(tmp_path)}).oidc is None


# A team's groups at the provider, and the role and teams each must give in nofault.
GROUPS_GIVE = [
    (["sre-leads", "eng-payments"], "facilitator", ["Payments"]),
    (["eng", "eng-search"], "author", ["Search"]),
    (["eng", "eng-payments", "eng-search"], "author", ["Payments", "Search"]),
    ([], "viewer", []),
    (["nofault-admins", "eng"], "admin", []),
]


def test_a_team_of_thirty_signs_in_for_the_first_time(sso: Relay, admin: Any) -> None:
    for n in range(30):
        groups = GROUPS_GIVE[n % len(GROUPS_GIVE)][0]
        _person(sso.url, f"sub-{n}", email=f"p{n:02d}@acme.example",
                preferred_username=f"p{n:02d}", groups=groups)  # fmt: skip
        assert _sign_in(Client(), f"sub-{n}").status_code == 302
    page = Client()
    page.force_login(admin)
    rows = page.get("/accounts/people/").content.decode().split("<tr>")
    for n in range(30):
        _, role, teams = GROUPS_GIVE[n % len(GROUPS_GIVE)]
        row = next(r for r in rows if r.strip().startswith(f"<td>p{n:02d}"))
        assert f'<option value="{role}" selected>' in row, (n, role)
        listed = ", ".join(teams) if teams else '<span class="muted">none</span>'
        assert f"<td>{listed}</td>" in row, (n, row)
        assert "<td>active</td>" in row and "never" not in row
    people = User.objects.filter(username__regex=r"^p[0-9]{2}$")
    created = AuditEvent.objects.filter(action="user.create", target_type="user")
    assert {e.detail["via"] for e in created} == {"single sign-on"}
    assert set(created.values_list("actor_id", flat=True)) == set(
        people.values_list("pk", flat=True)
    )
    logins = AuditEvent.objects.filter(action="login", actor__in=people)
    assert sorted(logins.values_list("actor_name", flat=True)) == [f"p{n:02d}" for n in range(30)]
