"""Log in, log out, and see one's API token."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from nofault.web.accounts import services
from nofault.web.accounts.forms import ThrottledAuthenticationForm


class LoginView(auth_views.LoginView):
    """The login page, throttled."""

    template_name = "accounts/login.html"
    authentication_form = ThrottledAuthenticationForm
    redirect_authenticated_user = True


logout_view = auth_views.LogoutView.as_view()


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """Show the person's role and, on request, their API token."""
    return render(request, "accounts/profile.html", {"token": None})


@login_required
@require_POST
def token(request: HttpRequest) -> HttpResponse:
    """Issue (or show) the person's API token."""
    key = services.token_issue(user=request.user)
    return render(request, "accounts/profile.html", {"token": key})
