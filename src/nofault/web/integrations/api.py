"""Integration API: send an action item to a tracker, and read the link it got."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from nofault.web.actions.selectors import action_item_get_visible
from nofault.web.integrations import flows
from nofault.web.integrations.models import TrackerLink


class TrackerLinkSerializer(serializers.ModelSerializer):
    """The tracker issue an action item was sent to."""

    action_item = serializers.IntegerField(source="action_item_id", read_only=True)

    class Meta:
        model = TrackerLink
        fields = ["action_item", "tracker", "status", "ref", "url", "issue_state", "attempts",
                  "last_error", "created_at", "updated_at"]  # fmt: skip
        read_only_fields = fields


class SendSerializer(serializers.Serializer):
    """Which tracker to send to (the first configured one when left out)."""

    tracker = serializers.CharField(required=False, allow_blank=True, max_length=50)


@extend_schema(tags=["action items"])
class ActionItemTrackerView(APIView):
    """GET: the item's tracker link. POST: send it to a tracker (idempotent)."""

    def _item(self, request: Request, pk: Any) -> Any:
        return action_item_get_visible(user=request.user, pk=int(pk))

    @extend_schema(responses=TrackerLinkSerializer)
    def get(self, request: Request, pk: int) -> Response:
        """The item's tracker link (404 when it was never sent)."""
        link = TrackerLink.objects.filter(action_item=self._item(request, pk)).first()
        if link is None:
            return Response({"reason": "not_found", "detail": "not sent to a tracker"}, status=404)
        return Response(TrackerLinkSerializer(link).data)

    @extend_schema(request=SendSerializer, responses=TrackerLinkSerializer)
    def post(self, request: Request, pk: int) -> Response:
        """Open the item's issue (or return its issue); 202 while the tracker is unreachable."""
        item = self._item(request, pk)
        body = SendSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        link = flows.action_item_send_to_tracker(
            item=item, actor=request.user, tracker=body.validated_data.get("tracker") or None
        )
        status = {"linked": 200, "pending": 202}.get(link.status, 502)
        return Response(TrackerLinkSerializer(link).data, status=status)
