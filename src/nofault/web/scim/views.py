"""django-scim2's views, with the checks that keep a malformed request a 4xx: a body that is
not one JSON object, an id that is not a number, paging or a filter out of bounds; and the
admins' page of SCIM clients' tokens."""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django_scim import exceptions
from django_scim import views as scim_views
from django_scim.models import SCIMServiceProviderConfig

from nofault.web.api_errors import ServiceError
from nofault.web.scim import services
from nofault.web.scim.adapters import bad_request
from nofault.web.scim.models import ScimToken

_ID = re.compile(r"[0-9]{1,18}")
_PAGING = re.compile(r"[0-9]{1,9}")


class _Checked:
    """Checks before django-scim2 reads a request."""

    kwargs: dict[str, Any]

    def load_body(self, body: bytes) -> dict[str, Any]:
        """The body as one JSON object, or a 400."""
        try:
            data = super().load_body(body)  # type: ignore[misc]
        except (UnicodeDecodeError, RecursionError):
            raise bad_request("the body is not JSON in UTF-8") from None
        if not isinstance(data, dict):
            raise bad_request("the body must be one JSON object")
        return data

    def get_object(self) -> Any:
        """The resource the URL names; an id that is not one of ours is a 404."""
        uuid = str(self.kwargs.get("uuid") or "")
        if not _ID.fullmatch(uuid):
            raise exceptions.NotFoundError(uuid[:40])
        return super().get_object()  # type: ignore[misc]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """A list or one resource; paging and the filter are checked first."""
        for name in ("startIndex", "count"):
            raw = request.GET.get(name)
            if raw is not None and not _PAGING.fullmatch(raw):
                raise bad_request(f"{name} must be a whole number below 10^9")
        query = request.GET.get("filter", "")
        if len(query) > 1000 or "\x00" in query:
            raise bad_request("a filter is at most 1000 characters")
        return super().get(request, *args, **kwargs)  # type: ignore[misc]


class UsersView(_Checked, scim_views.UsersView):
    """/Users: list and filter, get, create, replace, patch, delete (deactivate)."""


class GroupsView(_Checked, scim_views.GroupsView):
    """/Groups: teams, with their members."""


class UserSearchView(_Checked, scim_views.UserSearchView):
    """/Users/.search: a filter sent in a POST body."""


class GroupSearchView(_Checked, scim_views.GroupSearchView):
    """/Groups/.search: a filter sent in a POST body."""


class ServiceProviderConfig(SCIMServiceProviderConfig):
    """What nofault's SCIM service supports: PATCH and filters; no bulk, sort, ETags or
    password changes (people sign in through the identity provider)."""

    def to_dict(self) -> dict[str, Any]:
        """The ServiceProviderConfig resource."""
        d: dict[str, Any] = super().to_dict()
        d["filter"] = {"supported": True, "maxResults": 1000}
        d["changePassword"] = {"supported": False}
        d["bulk"] = {"supported": False, "maxOperations": 0, "maxPayloadSize": 0}
        return d


def not_implemented() -> Any:
    """A route SCIM names that nofault does not offer (501, after the token check)."""
    return scim_views.SCIMView.as_view(implemented=False)


@login_required
def tokens_page(request: HttpRequest) -> HttpResponse:
    """Admins: the SCIM clients with a token; issue one (shown once) or revoke one."""
    if not request.user.is_org_admin:
        raise Http404("no such page")
    secret, status = None, 200
    if request.method == "POST":
        name = request.POST.get("name", "")
        try:
            if request.POST.get("action") == "revoke":
                if not services.scim_token_revoke(name=name, actor=request.user):
                    raise ServiceError(f"there is no SCIM client named {name[:100]!r}")
                messages.success(request, f"The SCIM token of {name} is revoked.")
                return redirect("accounts:scim_tokens")
            secret = services.scim_token_create(name=name, actor=request.user)
        except ServiceError as exc:
            messages.error(request, exc.message)
            status = exc.status_code
    context = {
        "tokens": ScimToken.objects.all(),
        "secret": secret,
        "name": request.POST.get("name"),
    }
    return render(request, "scim/tokens.html", context, status=status)
