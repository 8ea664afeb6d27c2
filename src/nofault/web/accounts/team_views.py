"""The teams page for admins: teams with their people and services; create, rename and delete
a team, add and remove its people, map services to it (the service → team map).

Kept apart from views.py (sign-in and people) so the two pages change independently."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from nofault.web.accounts import selectors, services
from nofault.web.accounts.models import Team, User
from nofault.web.api_errors import ServiceError


def _require_admin(request: HttpRequest) -> None:
    if not request.user.is_authenticated or not request.user.is_org_admin:
        raise Http404("no such page")


def _page(request: HttpRequest, status: int = 200) -> HttpResponse:
    people = User.objects.filter(is_active=True).order_by("username")
    return render(
        request,
        "accounts/teams.html",
        {"teams": selectors.team_list_with_services(), "people": people},
        status=status,
    )


@login_required
def teams(request: HttpRequest) -> HttpResponse:
    """Admins: every team with its people and services; POST creates a team."""
    _require_admin(request)
    if request.method == "POST":
        try:
            team = services.team_save(
                actor=request.user, name=request.POST.get("name", ""), members=[]
            )
        except ServiceError as exc:
            messages.error(request, exc.message)
            return _page(request, status=exc.status_code)
        messages.success(request, f"Created the team {team.name}.")
        return redirect("accounts:teams")
    return _page(request)


def _person(request: HttpRequest) -> User:
    pk = request.POST.get("person", "")
    if not pk.isascii() or not pk.isdigit() or len(pk) > 18:
        raise ServiceError("choose a person")
    person = User.objects.filter(pk=int(pk)).first()
    if person is None:
        raise ServiceError("choose a person")
    return person


@login_required
@require_POST
def team_change(request: HttpRequest, pk: int) -> HttpResponse:
    """Admins: rename or delete a team, add or remove a person, map or unmap a service."""
    _require_admin(request)
    team = get_object_or_404(Team, pk=pk)
    action, actor = request.POST.get("action", ""), request.user
    try:
        if action == "rename":
            old = team.name
            members = list(team.members.all())
            services.team_save(
                actor=actor, name=request.POST.get("name", ""), members=members, team=team
            )
            done = f"Renamed {old} to {team.name}."
        elif action == "delete":
            services.team_delete(actor=actor, team=team)
            done = f"Deleted the team {team.name}; its people stay."
        elif action in ("add_person", "remove_person"):
            person = _person(request)
            services.team_member_set(
                actor=actor, team=team, user=person, member=action == "add_person"
            )
            done = (
                f"{person.username} {'joined' if action == 'add_person' else 'left'} {team.name}."
            )
        elif action in ("add_service", "remove_service"):
            owned = action == "add_service"
            service = services.team_service_set(
                actor=actor, team=team, service=request.POST.get("service", ""), owned=owned
            )
            done = f"{team.name} {'owns' if owned else 'no longer owns'} {service}."
        else:
            raise ServiceError("unknown action")
    except ServiceError as exc:
        messages.error(request, f"{team.name}: {exc.message}")
        return _page(request, status=exc.status_code)
    messages.success(request, done)
    return redirect("accounts:teams")
