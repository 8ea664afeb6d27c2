"""Coverage API: every visible incident's review state, and the rates by severity, team, month."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from nofault.web.paging import whole_number
from nofault.web.reviews import selectors
from nofault.web.reviews.forms import CoverageChoices

API_VERSION = 1
MAX_LIMIT = 1000


class LedgerRowSerializer(serializers.Serializer):
    """One incident on the ledger."""

    key = serializers.CharField()
    title = serializers.CharField()
    severity = serializers.CharField()
    state = serializers.CharField(source="coverage")
    level = serializers.SerializerMethodField()
    due = serializers.DateField(source="postmortem_due", allow_null=True)
    created_at = serializers.DateTimeField()
    services = serializers.ListField(child=serializers.CharField())
    waiver = serializers.SerializerMethodField()

    def get_level(self, obj: Any) -> str:
        """The review the policy asks of this severity."""
        return str(self.context["policy"].rule(obj.severity).level.value)

    def get_waiver(self, obj: Any) -> dict[str, str] | None:
        """Who waived the review, in which role, and why (never silent)."""
        waiver = getattr(obj, "review_waiver", None) if obj.coverage == "waived" else None
        if waiver is None:
            return None
        return {"by": waiver.decided_by_name, "role": waiver.role, "reason": waiver.reason,
                "at": waiver.created_at.isoformat()}  # fmt: skip


class CoverageView(APIView):
    """GET /api/coverage: the ledger the caller may see (restricted incidents as elsewhere)."""

    @extend_schema(
        tags=["reviews"],
        parameters=[
            OpenApiParameter("state", str, enum=CoverageChoices.values(), required=False),
            OpenApiParameter("severity", str, required=False),
            OpenApiParameter("team", str, required=False),
            OpenApiParameter("limit", int, required=False),
            OpenApiParameter("offset", int, required=False),
        ],
        responses={200: dict},
    )
    def get(self, request: Request) -> Response:
        """Coverage rates and one page of incidents with their review states."""
        filters = {k: str(request.query_params.get(k, "")) for k in ("state", "severity", "team")}
        limit = whole_number(request.query_params.get("limit", "100"), maximum=MAX_LIMIT)
        offset = whole_number(request.query_params.get("offset", "0"))
        if limit is None or offset is None:
            return Response({"reason": "invalid", "detail": "limit and offset are numbers"}, 400)
        if filters["state"] and filters["state"] not in CoverageChoices.values():
            return Response({"reason": "invalid", "detail": "unknown state"}, status=400)
        qs = selectors.coverage_list(user=request.user, filters=filters).select_related(
            "review_waiver"
        )
        rows = list(qs[offset : offset + limit])
        context = {"policy": selectors.review_policy()}
        return Response(
            {
                "version": API_VERSION,
                "as_of": timezone.now().isoformat(),
                **selectors.coverage_summary(user=request.user).as_dict(),
                "count": qs.count(),
                "offset": offset,
                "incidents": LedgerRowSerializer(rows, many=True, context=context).data,
            }
        )
