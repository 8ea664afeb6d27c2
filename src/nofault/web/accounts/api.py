"""Account API: exchange a username and password for a token (throttled like the login page)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from nofault.web.accounts import oidc, services
from nofault.web.accounts.forms import client_ip
from nofault.web.accounts.models import Team, User
from nofault.web.api_errors import ServiceError
from nofault.web.audit.services import record
from nofault.web.choices import AuditAction, Role


class TokenRequestSerializer(serializers.Serializer):
    """Credentials."""

    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=500, trim_whitespace=False)


class TokenResponseSerializer(serializers.Serializer):
    """The token to send as `Authorization: Token <token>`."""

    token = serializers.CharField()
    role = serializers.CharField()


@extend_schema(tags=["accounts"])
class TokenView(APIView):
    """Get an API token."""

    authentication_classes: list[type] = []
    permission_classes = [AllowAny]

    @extend_schema(request=TokenRequestSerializer, responses=TokenResponseSerializer, auth=[])
    def post(self, request: Request) -> Response:
        """Exchange credentials for a token."""
        body = TokenRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        username = body.validated_data["username"]
        if not oidc.password_login_allowed(username):
            raise ServiceError(
                "password login is off: sign in through single sign-on (API tokens still work)",
                reason="sso_only",
                status_code=403,
            )
        ip = client_ip(request)
        if services.login_is_throttled(username=username, ip=ip):
            record(None, AuditAction.LOCKOUT, ("user", username, username), request=request)
            raise ServiceError(
                "too many failed logins; wait and retry", reason="throttled", status_code=429
            )
        user = authenticate(request, username=username, password=body.validated_data["password"])
        services.login_attempt_record(username=username, ip=ip, succeeded=user is not None)
        if user is None:
            raise ServiceError(
                "wrong username or password", reason="unauthenticated", status_code=401
            )
        return Response({"token": services.token_issue(user=user), "role": user.role})


class PersonSerializer(serializers.ModelSerializer):
    """A person as admins see them."""

    full_name = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "email", "full_name", "role", "status", "last_login"]
        read_only_fields = fields

    def get_full_name(self, obj: User) -> str:
        """The person's full name, or empty."""
        return obj.get_full_name()

    def get_status(self, obj: User) -> str:
        """Active, invited (no password set and never signed in: single sign-on needs no
        password) or deactivated."""
        if not obj.is_active:
            return "deactivated"
        return "active" if obj.has_usable_password() or obj.last_login else "invited"


class InviteSerializer(serializers.Serializer):
    """Whom to invite: a mail with a single-use link goes to `email`."""

    email = serializers.EmailField()
    role = serializers.ChoiceField(choices=Role.values(), default=Role.AUTHOR)
    username = serializers.CharField(max_length=150, required=False, default="")
    full_name = serializers.CharField(max_length=150, required=False, default="")


class RoleSerializer(serializers.Serializer):
    """A new role."""

    role = serializers.ChoiceField(choices=Role.values())


class _IsAdmin(BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(request.user and getattr(request.user, "is_org_admin", False))


@extend_schema(tags=["accounts"])
class PersonViewSet(viewsets.GenericViewSet):
    """People, for admins: list, invite, change a role, deactivate, send a password reset."""

    permission_classes = [IsAuthenticated, _IsAdmin]
    serializer_class = PersonSerializer
    queryset = User.objects.order_by("username")

    @extend_schema(responses=PersonSerializer(many=True))
    def list(self, request: Request) -> Response:
        """Everyone, with role, status and last login."""
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(PersonSerializer(page, many=True).data)

    @extend_schema(responses=PersonSerializer)
    def retrieve(self, request: Request, pk: Any = None) -> Response:
        """One person."""
        return Response(PersonSerializer(self.get_object()).data)

    @extend_schema(request=InviteSerializer, responses={201: PersonSerializer})
    def create(self, request: Request) -> Response:
        """Invite someone by email."""
        body = InviteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        user, _ = services.user_invite(actor=request.user, **body.validated_data)
        return Response(PersonSerializer(user).data, status=201)

    @extend_schema(request=RoleSerializer, responses=PersonSerializer)
    def partial_update(self, request: Request, pk: Any = None) -> Response:
        """Change a person's role."""
        body = RoleSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        user = services.user_set_role(
            actor=request.user, user=self.get_object(), role=body.validated_data["role"]
        )
        return Response(PersonSerializer(user).data)

    @extend_schema(request=None, responses=PersonSerializer)
    @action(detail=True, methods=["post"])
    def deactivate(self, request: Request, pk: Any = None) -> Response:
        """Turn an account off: its sessions end and its API token is revoked."""
        user = services.user_deactivate(actor=request.user, user=self.get_object())
        return Response(PersonSerializer(user).data)

    @extend_schema(request=None, responses={202: None})
    @action(detail=True, methods=["post"])
    def reset(self, request: Request, pk: Any = None) -> Response:
        """Mail the person a link to set a new password."""
        sent = services.password_reset_send(user=self.get_object(), actor=request.user)
        if not sent:
            raise ServiceError("the person has no address, or is deactivated")
        return Response(status=202)


class TeamSerializer(serializers.Serializer):
    """A team and the usernames of its members."""

    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(max_length=200)
    members = serializers.ListField(
        child=serializers.CharField(max_length=150), max_length=1000, required=False, default=list
    )

    def to_representation(self, instance: Any) -> dict[str, Any]:
        """The team with its members' usernames, in order."""
        names = sorted(m.username for m in instance.members.all())
        return {"id": instance.pk, "name": instance.name, "members": names}


@extend_schema(tags=["accounts"])
class TeamViewSet(viewsets.GenericViewSet):
    """Teams, for admins: list, create, change the name or members, delete."""

    permission_classes = [IsAuthenticated, _IsAdmin]
    serializer_class = TeamSerializer
    queryset = Team.objects.prefetch_related("members").order_by("name")

    def _members(self, names: list[str]) -> list[User]:
        people = list(User.objects.filter(username__in=names))
        unknown = sorted(set(names) - {p.username for p in people})
        if unknown:
            raise ServiceError(f"no such person: {unknown[0]}", reason="unknown_user")
        return people

    @extend_schema(responses=TeamSerializer(many=True))
    def list(self, request: Request) -> Response:
        """Every team with its members."""
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(TeamSerializer(page, many=True).data)

    @extend_schema(responses=TeamSerializer)
    def retrieve(self, request: Request, pk: Any = None) -> Response:
        """One team."""
        return Response(TeamSerializer(self.get_object()).data)

    @extend_schema(request=TeamSerializer, responses={201: TeamSerializer})
    def create(self, request: Request) -> Response:
        """Create a team."""
        body = TeamSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        team = services.team_save(
            actor=request.user,
            name=body.validated_data["name"],
            members=self._members(body.validated_data["members"]),
        )
        return Response(TeamSerializer(team).data, status=201)

    @extend_schema(request=TeamSerializer, responses=TeamSerializer)
    def update(self, request: Request, pk: Any = None) -> Response:
        """Rename a team and set its members."""
        body = TeamSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        team = services.team_save(
            actor=request.user,
            team=self.get_object(),
            name=body.validated_data["name"],
            members=self._members(body.validated_data["members"]),
        )
        return Response(TeamSerializer(team).data)

    def destroy(self, request: Request, pk: Any = None) -> Response:
        """Delete a team."""
        services.team_delete(actor=request.user, team=self.get_object())
        return Response(status=204)
