"""Action item API: list across visible postmortems, read one, change its status."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from nofault.web.actions import selectors, services
from nofault.web.actions.models import ActionItem
from nofault.web.choices import ActionStatusChoices
from nofault.web.paging import whole_number


class ActionItemSerializer(serializers.ModelSerializer):
    """An action item, with its postmortem and incident and who closed it."""

    incident = serializers.CharField(source="postmortem.incident.key", read_only=True)
    closed_by = serializers.CharField(source="closed_by.username", read_only=True, default=None)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = ActionItem
        fields = [
            "id",
            "key",
            "postmortem",
            "incident",
            "text",
            "type",
            "owner",
            "person",
            "due",
            "status",
            "reason",
            "tracker",
            "factors",
            "closed_by",
            "closed_at",
            "overdue",
        ]
        read_only_fields = fields

    def get_overdue(self, obj: ActionItem) -> bool:
        """Open and past its due date."""
        return obj.is_overdue()


class StatusSerializer(serializers.Serializer):
    """A new status; `wont_do` needs a reason."""

    status = serializers.ChoiceField(choices=ActionStatusChoices.values())
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500)


_FILTERS = ["status", "owner", "team", "overdue", "postmortem"]


@extend_schema(tags=["action items"])
class ActionItemViewSet(viewsets.GenericViewSet):
    """Action items of incidents the caller may see."""

    serializer_class = ActionItemSerializer

    def get_queryset(self) -> Any:
        """Visible items, filtered."""
        filters = {k: str(self.request.query_params.get(k, "")) for k in _FILTERS}
        if filters["postmortem"]:
            number = whole_number(filters["postmortem"], maximum=2**62)
            filters["postmortem"] = "-1" if number in (None, 2**62) else str(number)
        return selectors.action_item_list_visible(user=self.request.user, filters=filters)

    def _get(self, request: Request, pk: Any) -> ActionItem:
        try:
            number = int(pk)
        except (TypeError, ValueError):
            number = -1
        return selectors.action_item_get_visible(user=request.user, pk=number)

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=ActionStatusChoices.values(), required=False),
            OpenApiParameter("owner", str, required=False),
            OpenApiParameter("overdue", str, enum=["yes"], required=False),
            OpenApiParameter("postmortem", int, required=False),
        ],
        responses=ActionItemSerializer(many=True),
    )
    def list(self, request: Request) -> Response:
        """List visible action items."""
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(ActionItemSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: Any = None) -> Response:
        """One action item."""
        return Response(ActionItemSerializer(self._get(request, pk)).data)

    @extend_schema(request=StatusSerializer, responses=ActionItemSerializer)
    @action(detail=True, methods=["post"])
    def status(self, request: Request, pk: Any = None) -> Response:
        """Change the status in the postmortem's table; closing records who and when."""
        item = self._get(request, pk)
        body = StatusSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        item = services.action_item_set_status(
            item=item,
            actor=request.user,
            status=body.validated_data["status"],
            reason=body.validated_data.get("reason") or None,
        )
        return Response(ActionItemSerializer(item).data)
