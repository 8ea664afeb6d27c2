"""Account services: create people, count failed logins, issue API tokens."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from rest_framework.authtoken.models import Token

from nofault.web.accounts.models import LoginAttempt, User
from nofault.web.choices import Role


def user_create(
    *, username: str, password: str, role: str = Role.VIEWER, email: str = "", full_name: str = ""
) -> User:
    """Create a local account with an Argon2-hashed password."""
    if role not in Role.values():
        raise ValueError(f"unknown role {role!r}")
    first, _, last = full_name.partition(" ")
    user: User = User.objects.create_user(
        username=username, password=password, email=email, first_name=first, last_name=last
    )
    user.role = role
    user.save(update_fields=["role"])
    return user


def login_is_throttled(*, username: str, ip: str) -> bool:
    """Tell whether too many logins failed lately for this username or from this address."""
    since = timezone.now() - timedelta(minutes=settings.NOFAULT_LOGIN_WINDOW_MINUTES)
    failures = LoginAttempt.objects.filter(
        Q(username=username.lower()) | Q(ip=ip), at__gte=since, succeeded=False
    ).count()
    return failures >= settings.NOFAULT_LOGIN_ATTEMPTS


def login_attempt_record(*, username: str, ip: str, succeeded: bool) -> None:
    """Record an attempt; a success clears that username's failures."""
    if succeeded:
        LoginAttempt.objects.filter(username=username.lower(), succeeded=False).delete()
    LoginAttempt.objects.create(username=username.lower(), ip=ip, succeeded=succeeded)


def token_issue(*, user: User) -> str:
    """Return the person's API token, creating it on first use."""
    token, _ = Token.objects.get_or_create(user=user)
    return str(token.key)
