"""Account API: exchange a username and password for a token (throttled like the login page)."""

from __future__ import annotations

from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from nofault.web.accounts import services
from nofault.web.accounts.forms import client_ip
from nofault.web.api_errors import ServiceError


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
        ip = client_ip(request)
        if services.login_is_throttled(username=username, ip=ip):
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
