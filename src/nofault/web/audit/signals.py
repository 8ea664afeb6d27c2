"""Logins and failed logins, recorded from Django's auth signals."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from nofault.web.audit.services import record
from nofault.web.choices import AuditAction


@receiver(user_logged_in, dispatch_uid="audit-login")
def login_recorded(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """Record a login (the page, an invitation or reset link, or single sign-on)."""
    record(user, AuditAction.LOGIN, user, request=request)


@receiver(user_login_failed, dispatch_uid="audit-login-failed")
def login_failure_recorded(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    """Record a failed login under the name that was tried."""
    name = str(credentials.get("username", ""))[:150]
    record(None, AuditAction.LOGIN_FAILED, ("user", name, name), request=request)
