"""Sign-in with the company's OpenID Connect provider, through mozilla-django-oidc.

The flow is the authorization code flow with PKCE and a nonce. The library runs it; this module
gives it nofault's settings (`NOFAULT_OIDC`, with the endpoints read from the provider's
discovery document when first needed), checks more of the ID token than the library does
(signature, issuer, audience, expiry, issue time), and keeps the account in step with the
provider at each login: created on first login, linked by the provider's subject, role and
teams set from the person's groups. A refused sign-in is a 4xx page that says why.

`PasswordLoginGuard` turns password login off in SSO-only mode, except for break-glass admins;
API tokens are not passwords and keep working.
"""

from __future__ import annotations

import re
import time
from typing import Any
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import lazy
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from nofault.web.accounts.models import ExternalIdentity, Team, User
from nofault.web.accounts.services import login_key
from nofault.web.audit.services import record
from nofault.web.choices import AuditAction, Role
from nofault.web.config import OidcConfig

DISCOVERY_SECONDS = 3600
# Clocks differ a little between the provider and this server.
LEEWAY_SECONDS = 30
SIGN_ALGORITHM = "RS256"  # every OpenID provider must offer it
_discovered: dict[str, tuple[float, dict[str, Any]]] = {}
_USERNAME_CHARACTERS = re.compile(r"[^\w.@+-]")
_TOKEN_PROBLEMS = {
    jwt.ExpiredSignatureError: "The ID token from the identity provider has expired.",
    jwt.InvalidAudienceError: "The ID token was issued to another application (wrong audience).",
    jwt.InvalidIssuerError: "The ID token was issued by another provider.",
    jwt.InvalidSignatureError: "The ID token's signature does not verify.",
}


class SignInRefused(Exception):
    """A sign-in through the provider that nofault refuses; the reason is shown to the person."""

    def __init__(self, reason: str, status: int = 403) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status


def config() -> OidcConfig | None:
    """The provider's settings, or None when single sign-on is not configured."""
    return getattr(settings, "NOFAULT_OIDC", None)


def _required_config() -> OidcConfig:
    oidc = config()
    if oidc is None:
        raise Http404("single sign-on is not configured")
    return oidc


def provider_metadata(oidc: OidcConfig) -> dict[str, Any]:
    """The provider's discovery document, read once an hour; its issuer must be ours."""
    now = time.monotonic()
    kept = _discovered.get(oidc.discovery)
    if kept and now - kept[0] < DISCOVERY_SECONDS:
        return kept[1]
    try:
        response = requests.get(oidc.discovery, timeout=10, allow_redirects=False)
        response.raise_for_status()
        metadata = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise SignInRefused(
            f"{oidc.name} could not be reached ({exc}); try again later.", 502
        ) from exc
    if not isinstance(metadata, dict) or metadata.get("issuer") != oidc.issuer:
        issuer = metadata.get("issuer") if isinstance(metadata, dict) else None
        raise SignInRefused(
            f"{oidc.name} describes itself as issuer {issuer!r}, not {oidc.issuer!r}: "
            "check NOFAULT_OIDC_ISSUER.",
            502,
        )
    _discovered[oidc.discovery] = (now, metadata)
    return metadata


def _endpoint(name: str) -> str:
    oidc = _required_config()
    value = provider_metadata(oidc).get(name)
    if not isinstance(value, str) or not value:
        raise SignInRefused(f"{oidc.name}'s metadata has no {name}.", 502)
    return value


# The library reads its endpoints when its views and backend are made, which is on every
# password login too: a lazy value reads the discovery document only when a URL is used.
_lazy_endpoint = lazy(_endpoint, str)
_ENDPOINTS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
}


def library_setting(attr: str, *default: Any) -> Any:
    """mozilla-django-oidc's settings, made from NOFAULT_OIDC."""
    oidc = config()
    if oidc is None:
        return import_from_settings(attr, *default) if default else ""
    if attr in _ENDPOINTS:
        return _lazy_endpoint(_ENDPOINTS[attr])
    fixed: dict[str, Any] = {
        "OIDC_RP_CLIENT_ID": oidc.client_id,
        "OIDC_RP_CLIENT_SECRET": oidc.client_secret,
        "OIDC_RP_SCOPES": oidc.scopes,
        "OIDC_RP_SIGN_ALGO": SIGN_ALGORITHM,
        "OIDC_RP_IDP_SIGN_KEY": None,
        "OIDC_USE_PKCE": True,
        "OIDC_PKCE_CODE_CHALLENGE_METHOD": "S256",
        "OIDC_USE_NONCE": True,
        "OIDC_STORE_ID_TOKEN": True,
        "OIDC_CREATE_USER": True,
        "OIDC_TIMEOUT": 10,
        "OIDC_AUTHENTICATION_CALLBACK_URL": "accounts:oidc_callback",
        "OIDC_REDIRECT_FIELD_NAME": "next",
    }
    if attr in fixed:
        return fixed[attr]
    return import_from_settings(attr, *default)


def _groups(claims: dict[str, Any], oidc: OidcConfig) -> set[str]:
    value = claims.get(oidc.groups_claim) or []
    if isinstance(value, str):
        value = value.replace(",", " ").split()
    if not isinstance(value, list):
        return set()
    return {str(group) for group in value}


def role_from_groups(groups: set[str], oidc: OidcConfig) -> str:
    """The highest role any of the groups maps to, else the default role."""
    roles = [oidc.role_map[group] for group in groups if group in oidc.role_map]
    return max(roles, key=Role.RANK.__getitem__, default=oidc.default_role)


def _break_glass(username: str) -> bool:
    return login_key(username) in {login_key(name) for name in settings.NOFAULT_SSO_BREAK_GLASS}


def _new_username(claims: dict[str, Any], oidc: OidcConfig) -> str:
    raw = str(claims.get(oidc.username_claim) or "")
    if not raw:
        raw = str(claims.get("email") or "").split("@")[0] or str(claims["sub"])
    base = _USERNAME_CHARACTERS.sub("", raw)[:140] or "person"
    name, n = base, 1
    while User.objects.filter(username__iexact=name).exists():
        n += 1
        name = f"{base}{n}"
    return name


def oidc_user_sync(*, user: User, claims: dict[str, Any], oidc: OidcConfig) -> User:
    """Bring an account in step with the provider's claims at a login: link it to the
    provider's subject, take its address and name, and, when maps are set, its role and
    the teams named in the team map from its groups."""
    if not user.is_active:
        raise SignInRefused(
            f"The nofault account {user.username} is deactivated; an admin can turn it back on."
        )
    groups = _groups(claims, oidc)
    with transaction.atomic():
        ExternalIdentity.objects.get_or_create(
            issuer=oidc.issuer, subject=str(claims["sub"]), defaults={"user": user}
        )
        user.email = str(claims.get("email") or user.email)[:254]
        user.first_name = str(claims.get("given_name") or user.first_name)[:150]
        user.last_name = str(claims.get("family_name") or user.last_name)[:150]
        before = user.role
        if oidc.role_map and not _break_glass(user.username):
            user.role = role_from_groups(groups, oidc)
        user.save(update_fields=["email", "first_name", "last_name", "role"])
        if user.role != before and user.pk:
            detail = {"from": before, "to": user.role, "via": "single sign-on groups"}
            record(None, AuditAction.ROLE_CHANGE, user, detail=detail)
        for team_name in set(oidc.team_map.values()):
            member = any(oidc.team_map.get(group) == team_name for group in groups)
            team = Team.objects.filter(name__iexact=team_name).first()
            if team is None and member:
                team = Team.objects.create(name=team_name)
            if team is not None and member:
                team.members.add(user)
            elif team is not None:
                team.members.remove(user)
    return user


class OidcBackend(OIDCAuthenticationBackend):
    """The library's backend with nofault's settings, full ID token checks, and accounts
    found by the provider's subject (then by address) and kept in step at each login."""

    get_settings = staticmethod(library_setting)

    def authenticate(self, request: Any, **kwargs: Any) -> User | None:
        """Only the callback's call (with a nonce and a PKCE verifier) signs anyone in here."""
        if config() is None or "code_verifier" not in kwargs or "password" in kwargs:
            return None
        try:
            return super().authenticate(request, **kwargs)
        except requests.HTTPError as exc:
            answer = exc.response.text[:200] if exc.response is not None else ""
            raise SignInRefused(
                f"The identity provider refused the sign-in: {answer}", 400
            ) from exc
        except requests.RequestException as exc:
            raise SignInRefused(
                f"The identity provider could not be reached ({exc}).", 502
            ) from exc

    def verify_token(self, token: Any, **kwargs: Any) -> Any:
        """Refuse an answer without an ID token before checking one."""
        if not isinstance(token, str) or token.count(".") != 2:
            raise SignInRefused("The identity provider's answer has no ID token.", 401)
        return super().verify_token(token, **kwargs)

    def retrieve_matching_jwk(self, token: Any) -> Any:
        """The provider's key for the token: by its `kid`, or the only signing key published
        when the token names none (as providers with one key may do)."""
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise SignInRefused(f"The ID token is not valid: {exc}.", 401) from exc
        if "kid" in header:
            return super().retrieve_matching_jwk(token)
        answer = requests.get(self.OIDC_OP_JWKS_ENDPOINT, timeout=10)
        answer.raise_for_status()
        keys = [
            key
            for key in answer.json().get("keys", [])
            if key.get("alg", SIGN_ALGORITHM) == SIGN_ALGORITHM and key.get("use", "sig") == "sig"
        ]
        if len(keys) != 1:
            raise SignInRefused("The ID token names no key, and the provider has several.", 401)
        return jwt.PyJWK(keys[0])

    def get_payload_data(self, token: Any, key: Any) -> dict[str, Any]:
        """Check the ID token's signature, issuer, audience, expiry and issue time."""
        oidc = _required_config()
        try:
            payload: dict[str, Any] = jwt.decode(
                token,
                key,
                algorithms=[SIGN_ALGORITHM],
                audience=oidc.client_id,
                issuer=oidc.issuer,
                leeway=LEEWAY_SECONDS,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            )
        except jwt.PyJWTError as exc:
            reason = next(
                (text for kind, text in _TOKEN_PROBLEMS.items() if isinstance(exc, kind)),
                f"The ID token is not valid: {exc}.",
            )
            raise SignInRefused(reason, 401) from exc
        return payload

    def get_userinfo(self, access_token: str, id_token: str, payload: dict[str, Any]) -> Any:
        """The ID token's claims, with the provider's userinfo answer for the same subject."""
        claims = dict(payload)
        if "userinfo_endpoint" in provider_metadata(_required_config()):
            info = super().get_userinfo(access_token, id_token, payload)
            if isinstance(info, dict) and info.get("sub") == payload["sub"]:
                claims.update(info)
        return claims

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        """The provider must name the person (the `sub` claim)."""
        return bool(claims.get("sub"))

    def filter_users_by_claims(self, claims: dict[str, Any]) -> Any:
        """The account linked to this subject; else one with the same address that no other
        subject has claimed (an invited or provisioned person); never a break-glass admin."""
        oidc = _required_config()
        linked = User.objects.filter(
            identities__issuer=oidc.issuer, identities__subject=str(claims["sub"])
        )
        if linked.exists() or not claims.get("email") or claims.get("email_verified") is False:
            return linked
        candidates = User.objects.filter(email__iexact=str(claims["email"]), identities=None)
        return [user for user in candidates if not _break_glass(user.username)]

    def create_user(self, claims: dict[str, Any]) -> User:
        """A new account without a password, on the first login."""
        oidc = _required_config()
        user: User = User.objects.create_user(
            username=_new_username(claims, oidc), email=str(claims.get("email") or "")[:254]
        )
        user.set_unusable_password()
        user.role = oidc.default_role
        user.save(update_fields=["password", "role"])
        user = oidc_user_sync(user=user, claims=claims, oidc=oidc)
        detail = {"via": "single sign-on", "role": user.role}
        record(user, AuditAction.CREATE, user, detail=detail)
        return user

    def update_user(self, user: User, claims: dict[str, Any]) -> User:
        """An existing account, brought in step with the claims."""
        return oidc_user_sync(user=user, claims=claims, oidc=_required_config())

    def get_user(self, user_id: Any) -> User | None:
        """A session's person, while their account is active."""
        user = super().get_user(user_id)
        return user if user is not None and user.is_active else None


def _refused(request: HttpRequest, reason: str, status: int) -> HttpResponse:
    oidc = config()
    name = oidc.name if oidc else "single sign-on"
    record(
        None,
        AuditAction.LOGIN_FAILED,
        ("user", "", f"({name})"),
        request=request,
        detail={"via": "single sign-on", "reason": reason},
    )
    return render(
        request,
        "accounts/oidc_refused.html",
        {"reason": reason, "provider": name},
        status=status,
    )


class OidcLoginView(OIDCAuthenticationRequestView):
    """Send the person to the provider, with a state, a nonce and a PKCE challenge."""

    get_settings = staticmethod(library_setting)

    def get(self, request: HttpRequest) -> HttpResponse:
        """Redirect to the provider's authorization endpoint."""
        _required_config()
        try:
            return super().get(request)
        except SignInRefused as exc:
            return _refused(request, exc.reason, exc.status)


class OidcCallbackView(OIDCAuthenticationCallbackView):
    """Where the provider sends the person back: the code is exchanged, the ID token
    checked and the person logged in; anything refused is a 4xx page with the reason."""

    get_settings = staticmethod(library_setting)

    def get(self, request: HttpRequest) -> HttpResponse:
        """Finish the sign-in, or say why not."""
        _required_config()
        state = request.GET.get("state")
        if "code" in request.GET and state not in request.session.get("oidc_states", {}):
            return _refused(
                request,
                "This sign-in answer was already used, or the sign-in was not started in this "
                "browser. Start again.",
                400,
            )
        try:
            return super().get(request)
        except SignInRefused as exc:
            return _refused(request, exc.reason, exc.status)
        except SuspiciousOperation as exc:
            return _refused(request, f"The identity provider's answer was refused: {exc}", 400)

    def login_failure(self) -> HttpResponse:
        """The provider said no, or the answer did not name an account."""
        error = self.request.GET.get("error")
        if error:
            detail = self.request.GET.get("error_description", "")[:200]
            return _refused(self.request, f"The identity provider said: {error} {detail}", 403)
        return _refused(self.request, "The identity provider's answer was incomplete.", 400)


def end_session_url(request: HttpRequest) -> str | None:
    """The provider's logout page for a session signed in through it, when it has one."""
    oidc = config()
    id_token = request.session.get("oidc_id_token")
    if oidc is None or not id_token:
        return None
    try:
        endpoint = provider_metadata(oidc).get("end_session_endpoint")
    except SignInRefused:
        return None
    if not endpoint:
        return None
    query = urlencode(
        {
            "id_token_hint": id_token,
            "client_id": oidc.client_id,
            "post_logout_redirect_uri": request.build_absolute_uri(reverse("accounts:login")),
        }
    )
    return f"{endpoint}?{query}"


def provider_logout_page(request: HttpRequest, url: str) -> HttpResponse:
    """The page after logging out here, which goes on to the provider's logout.

    Not a redirect: the logout is a form's POST, and the Content-Security-Policy's
    `form-action 'self'` stops a browser from following that redirect to another site. A
    Refresh header is a new navigation, and the page's link does the same by hand.
    """
    oidc = _required_config()
    response = render(request, "accounts/logged_out.html", {"provider": oidc.name, "url": url})
    response["Refresh"] = f"0;url={url}"
    return response


def password_login_allowed(username: str) -> bool:
    """Outside SSO-only mode, always; in it, only for a break-glass admin."""
    if not settings.NOFAULT_SSO_ONLY:
        return True
    if not _break_glass(username):
        return False
    user = User.objects.filter(username__iexact=username.strip(), is_active=True).first()
    return user is not None and user.is_org_admin


class PasswordLoginGuard:
    """Listed before Django's password backend: refuses a password in SSO-only mode unless
    it is a break-glass admin's, wherever a password is checked (the page or the API).

    It has no `get_user`, so Django never keeps it as a session's backend (`force_login`
    and `login` take the first backend that has one)."""

    def authenticate(
        self, request: Any, username: str | None = None, password: str | None = None, **kw: Any
    ) -> None:
        """Stop the password check in SSO-only mode; otherwise let the next backend decide."""
        if password is not None and not password_login_allowed(username or ""):
            raise PermissionDenied("password login is off: sign in through single sign-on")
        return None


def sign_in_button(request: HttpRequest) -> dict[str, str] | None:
    """The login page's button: the provider's name and where it starts, with `next` kept."""
    oidc = config()
    if oidc is None:
        return None
    url = reverse("accounts:oidc_login")
    next_url = request.GET.get("next") or request.POST.get("next")
    if next_url:
        url += "?" + urlencode({"next": next_url})
    return {"name": oidc.name, "url": url}
