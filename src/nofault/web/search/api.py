"""Search API: `/api/search?q=…` with the page's filters, highlighted snippets as HTML."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from nofault.web.paging import whole_number
from nofault.web.search import selectors


class SearchView(APIView):
    """Full-text search over incidents, postmortems and action items the caller may see."""

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, required=False, description="Words to find."),
            *(OpenApiParameter(name, str, required=False) for name in selectors.FILTERS),
            OpenApiParameter("offset", int, required=False),
            OpenApiParameter("limit", int, required=False),
        ],
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT)},
    )
    def get(self, request: Request) -> Response:
        """Get matches best first; `snippet` and `title_html` mark matches with <mark>."""
        params = request.query_params

        def number(name: str, default: int) -> int:
            raw = params.get(name, "")
            found = whole_number(raw, maximum=999_999)
            return default if found is None else found

        result = selectors.search(
            user=request.user,
            query=params.get("q", ""),
            filters={k: params.get(k, "") for k in selectors.FILTERS},
            offset=number("offset", 0),
            limit=number("limit", selectors.PAGE_SIZE),
        )
        return Response(
            {
                "query": result.query,
                "filters": result.filters,
                "count": result.total,
                "count_capped": result.capped,
                "offset": result.offset,
                "results": [
                    {
                        "kind": h.kind, "id": h.object_id, "url": h.url,
                        "incident": h.incident_key, "title_html": str(h.title),
                        "snippet": str(h.snippet), "severity": h.severity, "status": h.status,
                        "team": h.team, "occurred": h.occurred.isoformat() if h.occurred else None,
                    }
                    for h in result.hits
                ],
            }
        )  # fmt: skip


api_urlpatterns = [path("search", SearchView.as_view(), name="api-search")]
