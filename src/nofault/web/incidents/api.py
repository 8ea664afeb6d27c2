"""Incident API: list (filtered), create, read, change. Restricted ones stay invisible."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from nofault.web.choices import IncidentStatusChoices, Severity
from nofault.web.incidents import selectors, services
from nofault.web.incidents.models import Incident


class ResponderSerializer(serializers.Serializer):
    """A responder and the role they held."""

    name = serializers.CharField(max_length=200)
    role = serializers.CharField(max_length=50, default="responder")


class IncidentSerializer(serializers.ModelSerializer):
    """An incident, with the core's field names (`id` is the incident key)."""

    id = serializers.CharField(source="key", required=False)  # checked by keys.py
    severity = serializers.ChoiceField(choices=Severity.values(), default="SEV3")
    status = serializers.ChoiceField(choices=IncidentStatusChoices.values(), default="triggered")
    services = serializers.ListField(
        child=serializers.CharField(max_length=100), required=False, max_length=50
    )
    responders = ResponderSerializer(many=True, required=False)
    has_postmortem = serializers.SerializerMethodField()
    postmortem_id = serializers.SerializerMethodField()

    class Meta:
        model = Incident
        fields = [
            "id",
            "title",
            "severity",
            "status",
            "services",
            "started_at",
            "detected_at",
            "mitigated_at",
            "resolved_at",
            "source",
            "external_id",
            "responders",
            "restricted",
            "postmortem_due",
            "has_postmortem",
            "postmortem_id",
            "created_at",
        ]
        read_only_fields = ["postmortem_due", "created_at", "source"]

    def get_has_postmortem(self, obj: Incident) -> bool:
        """Whether the incident has a postmortem."""
        return hasattr(obj, "postmortem")

    def get_postmortem_id(self, obj: Incident) -> int | None:
        """The postmortem's id, if any."""
        pm = getattr(obj, "postmortem", None)
        return pm.pk if pm else None


_FILTERS = ["severity", "status", "service", "team", "has_postmortem", "overdue", "q"]


@extend_schema(tags=["incidents"])
class IncidentViewSet(viewsets.GenericViewSet):
    """Incidents the caller may see."""

    serializer_class = IncidentSerializer
    lookup_field = "key"
    lookup_value_regex = "[^/]+"

    def get_queryset(self) -> Any:
        """Visible incidents, filtered by the query string."""
        filters = {k: str(self.request.query_params.get(k, "")) for k in _FILTERS}
        return selectors.incident_list_visible(user=self.request.user, filters=filters)

    @extend_schema(
        parameters=[OpenApiParameter(name, str, required=False) for name in _FILTERS],
        responses=IncidentSerializer(many=True),
    )
    def list(self, request: Request) -> Response:
        """List visible incidents."""
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(IncidentSerializer(page, many=True).data)

    @extend_schema(request=IncidentSerializer, responses={201: IncidentSerializer})
    def create(self, request: Request) -> Response:
        """Record an incident."""
        serializer = IncidentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        key = data.pop("key", None)
        incident = services.incident_create(actor=request.user, key=key, **data)
        return Response(IncidentSerializer(incident).data, status=201)

    def retrieve(self, request: Request, key: str) -> Response:
        """One incident."""
        incident = selectors.incident_get_visible(user=request.user, key=key)
        return Response(IncidentSerializer(incident).data)

    @extend_schema(request=IncidentSerializer, responses=IncidentSerializer)
    def partial_update(self, request: Request, key: str) -> Response:
        """Change some fields of an incident."""
        incident = selectors.incident_get_visible(user=request.user, key=key)
        serializer = IncidentSerializer(incident, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("key", None)
        incident = services.incident_update(incident=incident, actor=request.user, **data)
        return Response(IncidentSerializer(incident).data)
