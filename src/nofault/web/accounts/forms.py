"""Account forms."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from nofault.web.accounts import services


def client_ip(request: object) -> str:
    """The client address (the first hop only when behind a trusted proxy)."""
    meta = getattr(request, "META", {})
    return str(meta.get("REMOTE_ADDR") or "unknown")


class ThrottledAuthenticationForm(AuthenticationForm):
    """Django's login form, refusing after too many failures for a username or address."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "throttled": "Too many failed logins. Wait a few minutes and try again.",
    }

    def clean(self) -> dict[str, object]:
        """Check the throttle before the password, and record the outcome."""
        username = str(self.data.get("username", ""))[:150]
        ip = client_ip(self.request)
        if services.login_is_throttled(username=username, ip=ip):
            raise forms.ValidationError(self.error_messages["throttled"], code="throttled")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            services.login_attempt_record(username=username, ip=ip, succeeded=False)
            raise
        services.login_attempt_record(username=username, ip=ip, succeeded=True)
        return cleaned
