"""Insights API: the learning report (what `nofault report --server` fetches), metrics, similar."""

from __future__ import annotations

from datetime import date

from django.http import HttpResponse
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from nofault.core.insights import report as core_report
from nofault.core.pdf import PdfUnavailable
from nofault.web.api_errors import ServiceError
from nofault.web.insights import selectors
from nofault.web.postmortems.selectors import postmortem_get_visible

_FORMATS = {"md": "text/markdown; charset=utf-8", "html": "text/html; charset=utf-8",
            "pdf": "application/pdf"}  # fmt: skip


def _since(raw: str | None) -> date | None:
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ServiceError("since must be a date, YYYY-MM-DD", reason="invalid_since") from None


class ReportView(APIView):
    """The quarterly learning report over what the token's owner may see."""

    @extend_schema(
        parameters=[
            OpenApiParameter("fmt", str, enum=list(_FORMATS), required=False,
                             description="md (default), html or pdf"),
            OpenApiParameter("since", OpenApiTypes.DATE, required=False),
            OpenApiParameter("title", str, required=False),
        ],
        responses={(200, "text/markdown"): OpenApiResponse(OpenApiTypes.STR),
                   (200, "text/html"): OpenApiResponse(OpenApiTypes.STR),
                   (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY)},
    )  # fmt: skip
    def get(self, request: Request) -> HttpResponse:
        """Get the report: themes, metrics with charts, slipped actions, missing reviews."""
        # Not `format`: DRF reads that one to pick a renderer.
        fmt = request.query_params.get("fmt", "md")
        if fmt not in _FORMATS:
            raise ServiceError("fmt must be md, html or pdf", reason="invalid_format")
        title = (request.query_params.get("title") or "").replace("\x00", "")[:200] or None
        built = selectors.learning_report(
            user=request.user, since=_since(request.query_params.get("since")), title=title
        )
        if fmt == "pdf":
            try:
                body: bytes | str = core_report.to_pdf(built)
            except PdfUnavailable as exc:
                raise ServiceError(str(exc), reason="pdf_unavailable", status_code=503) from exc
        elif fmt == "html":
            body = core_report.to_html(built)
        else:
            body = core_report.to_markdown(built)
        response = HttpResponse(body, content_type=_FORMATS[fmt])
        response["Content-Disposition"] = f'inline; filename="learning-report.{fmt}"'
        return response


class MetricsView(APIView):
    """The metrics by severity, service, team and month for a period (cached, see docs)."""

    @extend_schema(
        parameters=[
            OpenApiParameter("period", str, enum=list(selectors.PERIODS), required=False),
            OpenApiParameter("team", str, required=False, description="one team's incidents"),
        ],
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT)},
    )
    def get(self, request: Request) -> Response:
        """Get the overall metrics and the tables by dimension."""
        period = request.query_params.get("period", selectors.DEFAULT_PERIOD)
        if period not in selectors.PERIODS:
            raise ServiceError("unknown period", reason="invalid_period")
        team = str(request.query_params.get("team", ""))
        if len(team) > 200 or "\x00" in team:
            raise ServiceError("a team name is at most 200 characters", reason="invalid_team")
        figures = selectors.insight_figures(user=request.user, period=period, team=team)
        return Response(
            {
                "period": period,
                "since": figures["since"],
                "until": figures["until"],
                "computed_at": figures.get("_built_at"),
                "overall": figures["overall"],
                "by": {dim: dict(rows) for dim, rows in figures["tables"].items()},
            }
        )


class SimilarView(APIView):
    """The earlier postmortems most like one postmortem, among those the caller may see."""

    @extend_schema(responses={200: OpenApiResponse(OpenApiTypes.OBJECT)})
    def get(self, request: Request, pk: int) -> Response:
        """Get up to five similar postmortems with their factors and action items."""
        pm = postmortem_get_visible(user=request.user, pk=pk)
        matches = selectors.similar_for_postmortem(user=request.user, postmortem=pm)
        return Response({"postmortem": pm.pk, "similar": [m.as_dict() for m in matches]})


api_urlpatterns = [
    path("report", ReportView.as_view(), name="api-insights-report"),
    path("metrics", MetricsView.as_view(), name="api-insights-metrics"),
    path("similar/<int:pk>", SimilarView.as_view(), name="api-insights-similar"),
]
