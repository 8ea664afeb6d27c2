"""People without a shell: invitations, roles, deactivation, resets, one's own password and
token; mail goes through a real SMTP server."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from nofault.web.accounts import services
from nofault.web.accounts.models import User
from nofault.web.api_errors import ServiceError
from tests.web.factories import PASSWORD

NEW_PASSWORD = "harbour-lantern-quiet-47"


def _client(user: Any, password: str = PASSWORD) -> Client:
    client = Client()
    assert client.login(username=user.username, password=password)
    return client


def test_an_admin_invites_a_colleague_who_sets_a_password_once(admin: Any, smtp: Any) -> None:
    page = _client(admin)
    response = page.post(
        "/accounts/people/",
        {"email": "Kim.Lee@example.org", "role": "author", "username": "", "full_name": "Kim Lee"},
    )
    assert response.status_code == 302
    kim = User.objects.get(email="Kim.Lee@example.org")
    assert kim.username == "Kim.Lee" and kim.role == "author" and not kim.has_usable_password()
    link = smtp.link("Kim.Lee@example.org")
    assert "/accounts/invite/" in link
    invitee = Client()
    assert "Welcome, Kim Lee" in invitee.get(link).content.decode()
    weak = invitee.post(link, {"new_password1": "12345678", "new_password2": "12345678"})
    assert weak.status_code == 400 and "entirely numeric" in weak.content.decode()
    done = invitee.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert invitee.get("/incidents/").status_code == 200  # signed in
    again = Client().get(link)
    assert again.status_code == 400 and "no longer works" in again.content.decode()
    assert Client().login(username="Kim.Lee", password=NEW_PASSWORD)
    listing = page.get("/accounts/people/").content.decode()
    assert "Kim.Lee" in listing and "never" not in listing.split("Kim.Lee")[1].split("</tr>")[0]


def test_a_tampered_invitation_link_opens_nothing(admin: Any, smtp: Any) -> None:
    _, link = services.user_invite(actor=admin, email="pat@example.org", role="viewer")
    tampered = link.rstrip("/")[:-3] + "abc/"
    path = "/" + tampered.split("/", 3)[3]
    assert Client().get(path).status_code == 400


def test_only_admins_manage_people(author: Any, facilitator: Any, viewer: Any) -> None:
    for person in (author, facilitator, viewer):
        client = _client(person)
        assert client.get("/accounts/people/").status_code == 404
        assert (
            client.post(f"/accounts/people/{viewer.pk}/role/", {"role": "admin"}).status_code == 404
        )
        assert client.post(f"/accounts/people/{author.pk}/deactivate/").status_code == 404
    viewer.refresh_from_db()
    author.refresh_from_db()
    assert viewer.role == "viewer" and author.is_active
    with pytest.raises(ServiceError):
        services.user_invite(actor=facilitator, email="x@example.org")


def test_changing_a_role_and_keeping_the_last_admin(admin: Any, viewer: Any) -> None:
    client = _client(admin)
    assert (
        client.post(f"/accounts/people/{viewer.pk}/role/", {"role": "facilitator"}).status_code
        == 302
    )
    viewer.refresh_from_db()
    assert viewer.role == "facilitator"
    client.post(f"/accounts/people/{admin.pk}/role/", {"role": "viewer"})
    admin.refresh_from_db()
    assert admin.role == "admin"
    with pytest.raises(ServiceError, match="last admin"):
        services.user_deactivate(actor=admin, user=admin)


def test_deactivating_ends_sessions_and_revokes_tokens_at_once(admin: Any, author: Any) -> None:
    session = _client(author)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {services.token_issue(user=author)}")
    assert session.get("/incidents/").status_code == 200
    assert api.get("/api/incidents/").status_code == 200
    assert _client(admin).post(f"/accounts/people/{author.pk}/deactivate/").status_code == 302
    assert session.get("/incidents/").status_code == 302  # back to the login page
    assert api.get("/api/incidents/").status_code == 401
    assert not Client().login(username=author.username, password=PASSWORD)


def test_an_admin_sends_a_reset_link(admin: Any, author: Any, smtp: Any) -> None:
    author.email = "alex@example.org"
    author.save()
    assert _client(admin).post(f"/accounts/people/{author.pk}/reset/").status_code == 302
    link = smtp.link("alex@example.org")
    client = Client()
    assert (
        client.post(
            link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
        ).status_code
        == 302
    )
    assert Client().login(username=author.username, password=NEW_PASSWORD)
    assert not Client().login(username=author.username, password=PASSWORD)
    assert Client().get(link).status_code == 400


def test_forgot_password_never_tells_whether_an_address_exists(author: Any, smtp: Any) -> None:
    author.email = "alex@example.org"
    author.save()
    unknown = Client().post("/accounts/reset/", {"email": "nobody@example.org"}, follow=True)
    known = Client().post("/accounts/reset/", {"email": "ALEX@example.org"}, follow=True)
    message = "If an account has that address"
    assert message in unknown.content.decode() and message in known.content.decode()
    assert len(smtp.messages) == 1 and smtp.to("alex@example.org")


def test_passwords_go_through_the_validators_everywhere(admin: Any) -> None:
    with pytest.raises(ServiceError, match="password refused"):
        services.user_create(username="weak", password="1", role="author")
    assert not User.objects.filter(username="weak").exists()
    client = _client(admin)
    weak = client.post(
        "/accounts/profile/password/",
        {"old_password": PASSWORD, "new_password1": "password", "new_password2": "password"},
    )
    assert weak.status_code == 400 and "too common" in weak.content.decode()
    ok = client.post(
        "/accounts/profile/password/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert ok.status_code == 302
    assert client.get("/incidents/").status_code == 200  # this session stays


def test_no_password_change_for_those_who_sign_in_through_the_provider(
    admin: Any, author: Any, settings: Any
) -> None:
    sso_only = services.user_provision(actor=admin, username="lee", email="lee@example.org")
    client = Client()
    client.force_login(sso_only)
    page = client.get("/accounts/profile/").content.decode()
    assert 'id="password-form"' not in page and "nofault keeps no password for you" in page
    post = {"old_password": "", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    refused = client.post("/accounts/profile/password/", post)
    assert refused.status_code == 403 and "none to change here" in refused.content.decode()
    sso_only.refresh_from_db()
    assert not sso_only.has_usable_password()
    # In SSO-only mode a password is of no use to anyone but a break-glass admin.
    settings.NOFAULT_SSO_ONLY, settings.NOFAULT_SSO_BREAK_GLASS = True, [admin.username]
    with_password = Client()
    with_password.force_login(author)
    assert "Password login is off" in with_password.get("/accounts/profile/").content.decode()
    post["old_password"] = PASSWORD
    assert with_password.post("/accounts/profile/password/", post).status_code == 403
    glass = Client()
    glass.force_login(admin)
    assert 'id="password-form"' in glass.get("/accounts/profile/").content.decode()


def test_rotating_and_revoking_ones_api_token(author: Any) -> None:
    old = services.token_issue(user=author)
    client = _client(author)
    page = client.post("/accounts/profile/token/", {"action": "rotate"}).content.decode()
    new = services.token_issue(user=author)
    assert new != old and new in page
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {old}")
    assert api.get("/api/incidents/").status_code == 401
    client.post("/accounts/profile/token/", {"action": "revoke"})
    api.credentials(HTTP_AUTHORIZATION=f"Token {new}")
    assert api.get("/api/incidents/").status_code == 401


@pytest.mark.parametrize("variant", [" alex", "alex ", "ＡＬＥＸ", "Alex"])
def test_the_login_throttle_counts_the_name_as_django_reads_it(author: Any, variant: str) -> None:
    client = Client()
    for _ in range(4):
        client.post("/accounts/login/", {"username": "alex", "password": "wrong"})
    client.post(
        "/accounts/login/", {"username": variant, "password": "wrong"}, REMOTE_ADDR="10.9.9.9"
    )
    response = Client().post(
        "/accounts/login/", {"username": "alex", "password": PASSWORD}, REMOTE_ADDR="10.1.1.1"
    )
    assert "Too many failed logins" in response.content.decode()


def test_behind_a_trusted_proxy_each_client_is_counted_apart(author: Any, settings: Any) -> None:
    settings.NOFAULT_TRUSTED_PROXIES = ["10.0.0.0/8"]
    for n in range(6):
        Client().post(
            "/accounts/login/",
            {"username": f"someone{n}", "password": "wrong"},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR="203.0.113.7",
        )
    other = Client().post(
        "/accounts/login/",
        {"username": "alex", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="198.51.100.4, 10.0.0.3",
    )
    assert other.status_code == 302  # another client behind the same proxy is not locked out
    blocked = Client().post(
        "/accounts/login/",
        {"username": "alex", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="203.0.113.7",
    )
    assert "Too many failed logins" in blocked.content.decode()


def test_the_people_api_is_for_admins(admin: Any, author: Any, smtp: Any) -> None:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {services.token_issue(user=admin)}")
    made = api.post("/api/users/", {"email": "lee@example.org", "role": "viewer"}, format="json")
    assert made.status_code == 201 and made.json()["status"] == "invited"
    assert smtp.link("lee@example.org").startswith("/accounts/invite/")
    lee = made.json()["id"]
    changed = api.patch(f"/api/users/{lee}/", {"role": "facilitator"}, format="json")
    assert changed.status_code == 200 and changed.json()["role"] == "facilitator"
    assert api.patch(f"/api/users/{lee}/", {"role": "owner"}, format="json").status_code == 400
    assert api.post(f"/api/users/{lee}/deactivate/").json()["status"] == "deactivated"
    names = {p["username"] for p in api.get("/api/users/").json()["results"]}
    assert {"ada", "alex", "lee"} <= names
    duplicate = api.post("/api/users/", {"email": "LEE@example.org"}, format="json")
    assert duplicate.status_code == 409
    member = APIClient()
    member.credentials(HTTP_AUTHORIZATION=f"Token {services.token_issue(user=author)}")
    assert member.get("/api/users/").status_code == 403
    assert member.post("/api/users/", {"email": "x@example.org"}, format="json").status_code == 403
    assert member.post(f"/api/users/{admin.pk}/deactivate/").status_code == 403
    schema = api.get("/api/schema").content.decode()
    assert "/api/users/{id}/deactivate/" in schema


def test_profile_names_the_role_in_words(author: Any) -> None:
    client = Client()
    client.force_login(author)
    page = client.get("/accounts/profile/").content.decode()
    assert "<dt>Role</dt><dd>Author</dd>" in page


def test_an_api_token_with_an_expiry_stops_working_after_it(author: Any) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from nofault.web.accounts.models import TokenExpiry

    client = _client(author)
    refused = client.post("/accounts/profile/token/", {"action": "rotate", "expires_in_days": "0"})
    assert refused.status_code == 400 and "1 to 3650" in refused.content.decode()
    page = client.post("/accounts/profile/token/", {"action": "rotate", "expires_in_days": "30"})
    key = services.token_issue(user=author)
    assert key in page.content.decode() and 'id="token-expiry"' in page.content.decode()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/incidents/").status_code == 200
    TokenExpiry.objects.filter(token_id=key).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    expired = api.get("/api/incidents/")
    assert expired.status_code == 401 and "expired" in expired.content.decode()
    # A token rotated without an expiry lasts.
    client.post("/accounts/profile/token/", {"action": "rotate", "expires_in_days": ""})
    api.credentials(HTTP_AUTHORIZATION=f"Token {services.token_issue(user=author)}")
    assert api.get("/api/incidents/").status_code == 200


def test_an_expired_token_is_replaced_when_the_person_asks_for_theirs(author: Any) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from nofault.web.accounts.models import TokenExpiry

    old = services.token_rotate(user=author, expires_in_days=1)
    assert services.token_issue(user=author) == old
    TokenExpiry.objects.filter(token_id=old).update(expires_at=timezone.now() - timedelta(1))
    new = services.token_issue(user=author)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {new}")
    assert new != old and api.get("/api/incidents/").status_code == 200
