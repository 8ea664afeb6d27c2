"""Audit API: the log for admins, read-only, with the page's filters."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request

from nofault.web.audit.forms import AuditFilterForm
from nofault.web.audit.models import TARGET_TYPES, AuditEvent
from nofault.web.audit.selectors import audit_events
from nofault.web.choices import AuditAction


class AuditEventSerializer(serializers.ModelSerializer):
    """One event: when, who, what, which target, from where, and details."""

    actor = serializers.CharField(source="actor_name")

    class Meta:
        model = AuditEvent
        fields = [
            "id", "at", "actor", "action", "target_type", "target_id", "target_label",
            "address", "detail",
        ]  # fmt: skip
        read_only_fields = fields


class _IsAdmin(BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(getattr(request.user, "is_org_admin", False))


_FILTERS = [
    OpenApiParameter("actor", str, description="Only this person's events (username)."),
    OpenApiParameter("action", str, enum=AuditAction.values(), description="Only this action."),
    OpenApiParameter(
        "target_type", str, enum=TARGET_TYPES, description="Only this kind of target."
    ),
    OpenApiParameter("since", OpenApiTypes.DATE, description="From this day (inclusive)."),
    OpenApiParameter("until", OpenApiTypes.DATE, description="Until this day (inclusive)."),
]


@extend_schema(tags=["audit"], parameters=_FILTERS)
class AuditEventList(generics.ListAPIView):
    """The audit log, newest first (admins only)."""

    permission_classes = [IsAuthenticated, _IsAdmin]
    serializer_class = AuditEventSerializer

    def get_queryset(self) -> Any:
        """The events the query's filters choose; a bad filter is a 400 naming it."""
        form = AuditFilterForm(self.request.query_params)
        if not form.is_valid():
            raise ValidationError(form.errors)
        return audit_events(chosen=form.chosen())
