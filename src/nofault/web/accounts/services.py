"""Account services: create, invite and deactivate people, set roles, reset passwords, count
failed logins, and issue API tokens."""

from __future__ import annotations

import re
import unicodedata
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from rest_framework.authtoken.models import Token

from nofault.web.accounts.models import LoginAttempt, Team, TokenExpiry, User
from nofault.web.accounts.selectors import service_team_map
from nofault.web.api_errors import NotAllowedError, ServiceError
from nofault.web.audit.services import record
from nofault.web.choices import AuditAction, Role

_USERNAME = re.compile(r"^[\w.@+-]{1,150}$")


def _password_problem(password: str, user: User) -> str | None:
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        return " ".join(exc.messages)
    return None


def _check_new_account(*, username: str, email: str, role: str) -> None:
    if role not in Role.values():
        raise ServiceError(f"unknown role {role!r} (one of {', '.join(Role.values())})")
    if not _USERNAME.match(username):
        raise ServiceError("a username is 1 to 150 letters, digits and . @ + - _")
    if User.objects.filter(username__iexact=username).exists():
        raise ServiceError(f"the username {username!r} is taken", reason="exists", status_code=409)
    if email and User.objects.filter(email__iexact=email).exists():
        raise ServiceError(
            f"someone already has the address {email}", reason="exists", status_code=409
        )


def user_create(
    *,
    username: str,
    password: str,
    role: str = Role.VIEWER,
    email: str = "",
    full_name: str = "",
    actor: Any = None,
) -> User:
    """Create a local account; the password must pass the configured password validators.

    With an `actor` (the shell's commands pass theirs) the creation goes to the audit log.
    """
    _check_new_account(username=username, email=email, role=role)
    first, _, last = full_name.partition(" ")
    candidate = User(username=username, email=email, first_name=first, last_name=last)
    problem = _password_problem(password, candidate)
    if problem:
        raise ServiceError(f"password refused: {problem}", reason="weak_password")
    with transaction.atomic():
        user: User = User.objects.create_user(
            username=username, password=password, email=email, first_name=first, last_name=last
        )
        user.role = role
        user.save(update_fields=["role"])
        if actor is not None:
            record(actor, AuditAction.CREATE, user, detail={"role": role})
    return user


def _require_admin(actor: Any) -> None:
    if not getattr(actor, "is_org_admin", False):
        raise NotAllowedError("only an admin manages people")


def _active_admins() -> int:
    return User.objects.filter(Q(role=Role.ADMIN) | Q(is_superuser=True), is_active=True).count()


def _link(name: str, user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return settings.NOFAULT_BASE_URL + reverse(name, kwargs={"uidb64": uid, "token": token})


def _username_from(email: str) -> str:
    base = re.sub(r"[^\w.+-]", "", email.split("@")[0]) or "person"
    name, n = base[:140], 1
    while User.objects.filter(username__iexact=name).exists():
        n += 1
        name = f"{base[:140]}{n}"
    return name


def user_invite(
    *, actor: Any, email: str, role: str = Role.AUTHOR, username: str = "", full_name: str = ""
) -> tuple[User, str]:
    """Create an account without a password and mail its owner a signed, single-use link that
    expires, where they set their own password; return the account and the link."""
    _require_admin(actor)
    email = email.strip()
    if "@" not in email:
        raise ServiceError("an invitation needs an email address")
    username = username.strip() or _username_from(email)
    _check_new_account(username=username, email=email, role=role)
    first, _, last = full_name.strip().partition(" ")
    with transaction.atomic():
        user: User = User.objects.create_user(
            username=username, email=email, first_name=first, last_name=last
        )
        user.set_unusable_password()
        user.role = role
        user.save(update_fields=["password", "role"])
        record(actor, AuditAction.INVITE, user, detail={"email": email, "role": role})
    link = _link("accounts:invite_accept", user)
    days = settings.PASSWORD_RESET_TIMEOUT // 86400
    send_mail(
        subject=f"You are invited to nofault at {settings.NOFAULT_ORGANISATION}",
        message=(
            f"{getattr(actor, 'display_name', 'An admin')} invited you to nofault, where "
            f"{settings.NOFAULT_ORGANISATION} writes its blameless postmortems.\n\n"
            f"Your username is {username}. Choose your password here (the link works once, "
            f"for {days} days):\n\n{link}\n"
        ),
        from_email=None,
        recipient_list=[email],
    )
    return user, link


def user_provision(
    *,
    actor: Any,
    username: str,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    role: str = Role.AUTHOR,
) -> User:
    """Create an account without a password, for someone who signs in through the
    organisation's identity provider (admins and provisioning clients only)."""
    _require_admin(actor)
    _check_new_account(username=username, email=email, role=role)
    with transaction.atomic():
        user: User = User.objects.create_user(
            username=username, email=email, first_name=first_name[:150], last_name=last_name[:150]
        )
        user.set_unusable_password()
        user.role = role
        user.save(update_fields=["password", "role"])
        record(actor, AuditAction.CREATE, user, detail={"role": role})
    return user


def password_reset_send(*, user: User, actor: Any | None = None) -> str | None:
    """Mail the person a signed, single-use link to set a new password; return the link.

    With an `actor`, only an admin (or the person themselves) may send it. A deactivated
    account or one without an address gets nothing.
    """
    if actor is not None and actor.pk != user.pk:
        _require_admin(actor)
    if not user.is_active or not user.email:
        return None
    link = _link("accounts:password_reset_confirm", user)
    send_mail(
        subject="Set a new nofault password",
        message=(
            f"Someone asked for a new password for your nofault account {user.username}.\n\n"
            f"Choose one here (the link works once):\n\n{link}\n\n"
            "If it was not you, ignore this mail: your password stays as it is.\n"
        ),
        from_email=None,
        recipient_list=[user.email],
    )
    record(actor, AuditAction.PASSWORD_RESET, user)
    return link


def user_from_link(*, uidb64: str, token: str) -> User | None:
    """The active account a still-valid invitation or reset link is for, or None."""
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError):
        return None
    user = User.objects.filter(pk=pk, is_active=True).first()
    if user is None or not default_token_generator.check_token(user, token):
        return None
    return user


def user_set_role(*, actor: Any, user: User, role: str) -> User:
    """Change a person's role; the last active admin keeps theirs."""
    _require_admin(actor)
    if role not in Role.values():
        raise ServiceError(f"unknown role {role!r} (one of {', '.join(Role.values())})")
    if user.role == Role.ADMIN and role != Role.ADMIN and user.is_active and _active_admins() <= 1:
        raise ServiceError("this is the last admin: make someone else admin first")
    record(actor, AuditAction.ROLE_CHANGE, user, detail={"from": user.role, "to": role})
    user.role = role
    user.save(update_fields=["role"])
    return user


def _end_sessions(user: User) -> int:
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()
            ended += 1
    return ended


def user_deactivate(*, actor: Any, user: User) -> User:
    """Turn an account off: its sessions end and its API tokens are revoked at once."""
    _require_admin(actor)
    if user.is_org_admin and user.is_active and _active_admins() <= 1:
        raise ServiceError("this is the last admin: make someone else admin first")
    with transaction.atomic():
        user.is_active = False
        user.set_unusable_password()
        user.save(update_fields=["is_active", "password"])
        Token.objects.filter(user=user).delete()
        record(actor, AuditAction.DEACTIVATE, user)
    _end_sessions(user)
    return user


def user_set_password(*, user: User, password: str) -> User:
    """Set a new password (validators apply); it ends the person's other sessions."""
    problem = _password_problem(password, user)
    if problem:
        raise ServiceError(f"password refused: {problem}", reason="weak_password")
    user.set_password(password)
    user.save(update_fields=["password"])
    return user


def login_key(username: str) -> str:
    """The name the throttle counts: stripped and NFKC-normalised as Django reads it at login,
    and case-folded, so " alex" or a full-width "ａlex" count against the same account."""
    # A NUL is never in a username, and PostgreSQL refuses it in a query's text.
    return unicodedata.normalize("NFKC", username.strip()).casefold().replace("\x00", "")[:150]


def login_is_throttled(*, username: str, ip: str) -> bool:
    """Tell whether too many logins failed lately for this username or from this address."""
    since = timezone.now() - timedelta(minutes=settings.NOFAULT_LOGIN_WINDOW_MINUTES)
    failures = LoginAttempt.objects.filter(
        Q(username=login_key(username)) | Q(ip=ip), at__gte=since, succeeded=False
    ).count()
    return failures >= settings.NOFAULT_LOGIN_ATTEMPTS


def login_attempt_record(*, username: str, ip: str, succeeded: bool) -> None:
    """Record an attempt; a success clears that username's failures."""
    key = login_key(username)
    if succeeded:
        LoginAttempt.objects.filter(username=key, succeeded=False).delete()
    LoginAttempt.objects.create(username=key, ip=ip, succeeded=succeeded)


def token_issue(*, user: User) -> str:
    """Return the person's API token, creating it on first use or once the old one expired."""
    Token.objects.filter(user=user, expiry__expires_at__lte=timezone.now()).delete()
    token, created = Token.objects.get_or_create(user=user)
    if created:
        record(user, AuditAction.TOKEN_CREATE, user)
    return str(token.key)


TOKEN_MAX_DAYS = 3650


def token_rotate(*, user: User, expires_in_days: int | None = None) -> str:
    """Replace the person's API token with a new one; the old one stops working at once.

    With `expires_in_days` (1 to TOKEN_MAX_DAYS) the new token stops working after that many days.
    """
    if expires_in_days is not None and not 1 <= expires_in_days <= TOKEN_MAX_DAYS:
        raise ServiceError(f"a token's expiry is 1 to {TOKEN_MAX_DAYS} days")
    with transaction.atomic():
        Token.objects.filter(user=user).delete()
        token = Token.objects.create(user=user)
        detail: dict[str, Any] = {"replaces_the_old": True}
        if expires_in_days is not None:
            expires_at = timezone.now() + timedelta(days=expires_in_days)
            TokenExpiry.objects.create(token=token, expires_at=expires_at)
            detail["expires_at"] = expires_at.isoformat()
        record(user, AuditAction.TOKEN_CREATE, user, detail=detail)
        return str(token.key)


def token_revoke(*, user: User) -> bool:
    """Revoke the person's API token; tell whether there was one."""
    deleted, _ = Token.objects.filter(user=user).delete()
    if deleted:
        record(user, AuditAction.TOKEN_REVOKE, user)
    return bool(deleted)


def team_save(*, actor: Any, name: str, members: list[User], team: Team | None = None) -> Team:
    """Create a team or rename it, and set its members (admins only)."""
    _require_admin(actor)
    name = name.strip()
    if not name or len(name) > 200:
        raise ServiceError("a team needs a name of at most 200 characters", reason="invalid_name")
    clash = Team.objects.filter(name__iexact=name).exclude(pk=team.pk if team else None)
    if clash.exists():
        raise ServiceError(f"a team {name} already exists", reason="duplicate", status_code=409)
    old_name = team.name if team else None
    before = set(team.members.values_list("username", flat=True)) if team else set()
    with transaction.atomic():
        team = team or Team()
        team.name = name
        team.save()
        team.members.set(members)
        if old_name is not None and old_name != name:
            _team_services_rename(actor, old_name, name)
        after = {member.username for member in members}
        detail: dict[str, Any] = {
            "added": sorted(after - before),
            "removed": sorted(before - after),
        }
        if old_name is None:
            detail["created"] = True
        elif old_name != name:
            detail["renamed_from"] = old_name
        if detail["added"] or detail["removed"] or old_name != name:
            record(actor, AuditAction.TEAM_CHANGE, team, detail=detail)
    return team


def _team_services_rename(actor: Any, old: str, new: str | None) -> None:
    """Carry the services a team owns over to its new name (None: they own no team now)."""
    from nofault.web.reviews.services import service_teams_set

    mapping = service_team_map()
    if old in mapping.values():
        kept = {s: (new if t == old else t) for s, t in mapping.items()}
        service_teams_set(actor=actor, mapping={s: t for s, t in kept.items() if t})


def team_delete(*, actor: Any, team: Team) -> None:
    """Delete a team (admins only); its people and incidents stay, its services own no team."""
    _require_admin(actor)
    with transaction.atomic():
        _team_services_rename(actor, team.name, None)
        record(actor, AuditAction.TEAM_DELETE, ("team", team.pk, team.name))
        team.delete()


def team_member_set(*, actor: Any, team: Team, user: User, member: bool) -> Team:
    """Add a person to a team or take them off it (admins only)."""
    _require_admin(actor)
    already = team.members.filter(pk=user.pk).exists()
    if member == already:
        return team
    with transaction.atomic():
        if member:
            team.members.add(user)
        else:
            team.members.remove(user)
        change = "added" if member else "removed"
        record(actor, AuditAction.TEAM_CHANGE, team, detail={change: [user.username]})
    return team


def team_service_set(*, actor: Any, team: Team, service: str, owned: bool) -> str:
    """Map a service to a team (it leaves the team that owned it) or unmap it; return the
    service's name as the map keeps it (lower case)."""
    from nofault.web.reviews.services import service_teams_set

    _require_admin(actor)
    key = service.strip().lower()
    if not key or len(key) > 200 or "," in key:
        raise ServiceError("a service is 1 to 200 characters, without commas")
    mapping = service_team_map()
    if owned:
        mapping[key] = team.name
    elif mapping.get(key) == team.name:
        del mapping[key]
    service_teams_set(actor=actor, mapping=mapping)
    return key
