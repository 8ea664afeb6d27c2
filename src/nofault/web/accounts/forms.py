"""Account forms."""

from __future__ import annotations

import ipaddress
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm

from nofault.web.accounts import services
from nofault.web.accounts.selectors import team_names
from nofault.web.audit.services import record
from nofault.web.choices import AuditAction, Role


def _trusted(address: str, networks: list[str]) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(n, strict=False) for n in networks)


def client_ip(request: object) -> str:
    """The client's address: the peer's, or behind trusted proxies (NOFAULT_TRUSTED_PROXIES)
    the nearest address in X-Forwarded-For that is not one of them."""
    meta = getattr(request, "META", {})
    peer = str(meta.get("REMOTE_ADDR") or "unknown")
    proxies = settings.NOFAULT_TRUSTED_PROXIES
    if not proxies or not _trusted(peer, proxies):
        return peer
    hops = [h.strip() for h in str(meta.get("HTTP_X_FORWARDED_FOR", "")).split(",") if h.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, proxies):
            return hop[:64]
    return peer


class ThrottledAuthenticationForm(AuthenticationForm):
    """Django's login form, refusing after too many failures for a username or address."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "throttled": "Too many failed logins. Wait a few minutes and try again.",
    }

    def clean(self) -> dict[str, object]:
        """Check the throttle before the password, and record the outcome."""
        username = str(self.data.get("username", ""))[:300]
        ip = client_ip(self.request)
        if services.login_is_throttled(username=username, ip=ip):
            record(None, AuditAction.LOCKOUT, ("user", username, username), request=self.request)
            raise forms.ValidationError(self.error_messages["throttled"], code="throttled")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            services.login_attempt_record(username=username, ip=ip, succeeded=False)
            raise
        services.login_attempt_record(username=username, ip=ip, succeeded=True)
        return cleaned


class InviteForm(forms.Form):
    """Whom to invite, and with which role."""

    email = forms.EmailField(label="Email address")
    role = forms.ChoiceField(choices=Role.choices(), initial=Role.AUTHOR)
    username = forms.CharField(
        max_length=150, required=False, help_text="Taken from the address when left empty."
    )
    full_name = forms.CharField(max_length=150, required=False, label="Full name")


class ResetRequestForm(forms.Form):
    """The address to send a reset link to."""

    email = forms.EmailField(label="Email address")


class TeamSelect(forms.Select):
    """A select of the teams' names, read each time it is drawn; a name not among them (from
    a link) stays selected, so the list still says what it is filtered by."""

    def get_context(self, name: str, value: Any, attrs: Any) -> dict[str, Any]:
        """The widget's context with the current teams as its options."""
        names = team_names()
        self.choices = [("", "Any team"), *((n, n) for n in names)]
        if value and value not in names:
            self.choices.append((value, value))
        return super().get_context(name, value, attrs)


def team_filter_field() -> forms.CharField:
    """The team filter of the lists, the board and insights (the `?team=` the API takes).

    Drawn as `{{ form.team }}`, not through the `widget` filter, whose cache would keep the
    teams there were when it was first drawn."""
    select = TeamSelect(attrs={"aria-label": "Team"})
    return forms.CharField(required=False, max_length=200, label="Team", widget=select)


class TeamFilterForm(forms.Form):
    """A page's team filter alone (postmortems, insights)."""

    team = team_filter_field()
