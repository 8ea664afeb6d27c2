"""Log in and out; people for admins (invite, role, deactivate, reset); one's own password and
API token; the pages an invitation or a reset link opens."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from nofault.web.accounts import oidc, selectors, services
from nofault.web.accounts.forms import InviteForm, ResetRequestForm, ThrottledAuthenticationForm
from nofault.web.accounts.models import User
from nofault.web.api_errors import ServiceError
from nofault.web.choices import Role


class LoginView(auth_views.LoginView):
    """The login page, throttled; with single sign-on, its button (and in SSO-only mode the
    password form only for break-glass admins, at ?password=1)."""

    template_name = "accounts/login.html"
    authentication_form = ThrottledAuthenticationForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: object) -> dict[str, object]:
        """Add the sign-in button and whether the password form shows."""
        context = super().get_context_data(**kwargs)
        context["sso"] = oidc.sign_in_button(self.request)
        context["sso_only"] = settings.NOFAULT_SSO_ONLY
        context["password_form"] = not settings.NOFAULT_SSO_ONLY or "password" in self.request.GET
        return context

    def post(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        """In SSO-only mode, refuse a password unless it is a break-glass admin's."""
        if not oidc.password_login_allowed(str(request.POST.get("username", ""))[:300]):
            form = self.get_form_class()(request)
            context = self.get_context_data(form=form, refused=True)
            return self.render_to_response(context, status=403)
        return super().post(request, *args, **kwargs)


class LogoutView(auth_views.LogoutView):
    """Log out; a session signed in through the provider goes on to the provider's logout."""

    def post(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        """End the session here, then at the provider when it offers that."""
        provider_logout = oidc.end_session_url(request)  # read before the session ends
        response = super().post(request, *args, **kwargs)
        return oidc.provider_logout_page(request, provider_logout) if provider_logout else response


def _password_unchangeable(user: User) -> str | None:
    """Why the person cannot change a password here, or None when they can."""
    provider = oidc.config()
    name = provider.name if provider else "single sign-on"
    if not user.has_usable_password():
        return (
            f"You sign in through {name}: nofault keeps no password for you, so there is "
            f"none to change here. Change your password at {name}."
        )
    if not oidc.password_login_allowed(user.username):
        return (
            f"Password login is off: everyone signs in through {name}, so a password "
            "set here would never be used."
        )
    return None


def _profile(
    request: HttpRequest,
    *,
    token: str | None = None,
    form: PasswordChangeForm | None = None,
    status: int = 200,
) -> HttpResponse:
    refusal = _password_unchangeable(request.user)
    if refusal is None and form is None:
        form = PasswordChangeForm(request.user)
    context = {
        "token": token,
        "token_expires_at": selectors.token_expiry(user=request.user),
        "password_form": form,
        "password_refusal": refusal,
    }
    return render(request, "accounts/profile.html", context, status=status)


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """The person's role, a form to change their password (unless they sign in through the
    identity provider), and their API token."""
    return _profile(request)


@login_required
@require_POST
def token(request: HttpRequest) -> HttpResponse:
    """Show (issuing on first use), rotate or revoke the person's API token."""
    action = request.POST.get("action", "show")
    key = None
    if action == "rotate":
        raw_days = request.POST.get("expires_in_days", "").strip()
        try:
            days = int(raw_days) if raw_days else None
            key = services.token_rotate(user=request.user, expires_in_days=days)
        except (ValueError, ServiceError):
            limit = services.TOKEN_MAX_DAYS
            messages.error(request, f"An expiry is a whole number of days, 1 to {limit}.")
            return _profile(request, status=400)
        messages.success(request, "A new API token replaces the old one, which no longer works.")
    elif action == "revoke":
        revoked = services.token_revoke(user=request.user)
        messages.success(request, "Your API token is revoked." if revoked else "You had no token.")
    else:
        key = services.token_issue(user=request.user)
    return _profile(request, token=key)


@login_required
@require_POST
def password_change(request: HttpRequest) -> HttpResponse:
    """Change one's own password (the configured validators apply); this session stays.

    Refused, with the reason, for someone who signs in only through the identity provider.
    """
    if _password_unchangeable(request.user) is not None:
        return _profile(request, status=403)
    form = PasswordChangeForm(request.user, request.POST)
    if not form.is_valid():
        return _profile(request, form=form, status=400)
    form.save()
    update_session_auth_hash(request, form.user)
    messages.success(request, "Your password is changed; your other sessions have ended.")
    return redirect("accounts:profile")


def _require_admin(request: HttpRequest) -> None:
    if not request.user.is_authenticated or not request.user.is_org_admin:
        raise Http404("no such page")


@login_required
def people(request: HttpRequest) -> HttpResponse:
    """Admins: everyone with their role, last login and status, and a form to invite someone."""
    _require_admin(request)
    form = InviteForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                user, _link = services.user_invite(actor=request.user, **form.cleaned_data)
            except ServiceError as exc:
                form.add_error(None, exc.message)
                status = exc.status_code
            else:
                messages.success(request, f"Invited {user.email} as {user.username}.")
                return redirect("accounts:people")
        else:
            status = 400
    query = User.objects.prefetch_related("teams").order_by("-is_active", "username")
    role = request.GET.get("role", "")
    if role in Role.values():
        query = query.filter(role=role)
    page = Paginator(query, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/people.html",
        {"page": page, "form": form, "roles": Role.CHOICES, "role": role},
        status=status,
    )


def _person_action(request: HttpRequest, pk: int) -> User:
    _require_admin(request)
    return get_object_or_404(User, pk=pk)


@login_required
@require_POST
def person_role(request: HttpRequest, pk: int) -> HttpResponse:
    """Admins: change a person's role."""
    person = _person_action(request, pk)
    try:
        services.user_set_role(actor=request.user, user=person, role=request.POST.get("role", ""))
    except ServiceError as exc:
        messages.error(request, f"{person.username}: {exc.message}")
    else:
        messages.success(request, f"{person.username} is now {person.role}.")
    return redirect("accounts:people")


@login_required
@require_POST
def person_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    """Admins: turn an account off, ending its sessions and revoking its API token."""
    person = _person_action(request, pk)
    try:
        services.user_deactivate(actor=request.user, user=person)
    except ServiceError as exc:
        messages.error(request, f"{person.username}: {exc.message}")
    else:
        messages.success(request, f"{person.username} is deactivated; their sessions ended.")
    return redirect("accounts:people")


@login_required
@require_POST
def person_reset(request: HttpRequest, pk: int) -> HttpResponse:
    """Admins: mail a person a link to set a new password."""
    person = _person_action(request, pk)
    if services.password_reset_send(user=person, actor=request.user):
        messages.success(request, f"Sent {person.username} a link to set a new password.")
    else:
        messages.error(request, f"{person.username} has no address, or is deactivated.")
    return redirect("accounts:people")


def password_reset_request(request: HttpRequest) -> HttpResponse:
    """Anyone: ask for a reset link by address; the answer never tells whether it exists."""
    form = ResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        for person in User.objects.filter(email__iexact=form.cleaned_data["email"], is_active=True)[
            :5
        ]:
            services.password_reset_send(user=person)
        messages.info(request, "If an account has that address, a link is on its way.")
        return redirect("accounts:login")
    return render(request, "accounts/reset_request.html", {"form": form})


def _set_password(request: HttpRequest, uidb64: str, token: str, invitation: bool) -> HttpResponse:
    person = services.user_from_link(uidb64=uidb64, token=token)
    if person is not None and not oidc.password_login_allowed(person.username):
        messages.info(request, "Passwords are off here: sign in through single sign-on.")
        return redirect("accounts:login")
    if person is None:
        return render(
            request,
            "accounts/set_password.html",
            {"invalid": True, "invitation": invitation},
            status=400,
        )
    form = SetPasswordForm(person, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()  # the link stops working: it was signed over the old password
        login(request, person, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome, {person.display_name}. Your password is set.")
        return redirect("home")
    return render(
        request,
        "accounts/set_password.html",
        {"form": form, "person": person, "invitation": invitation},
        status=400 if request.method == "POST" else 200,
    )


def invite_accept(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """The page an invitation opens: the invitee chooses a password, once."""
    return _set_password(request, uidb64, token, invitation=True)


def password_reset_confirm(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """The page a reset link opens: a new password, once."""
    return _set_password(request, uidb64, token, invitation=False)
