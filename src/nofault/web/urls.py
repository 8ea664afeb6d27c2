"""URLs: pages per app, the REST API under /api/, its schema and interactive docs."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from nofault.web.accounts.api import PersonViewSet, TeamViewSet, TokenView
from nofault.web.actions.api import ActionItemViewSet
from nofault.web.audit.api import AuditEventList
from nofault.web.health import metrics, readyz
from nofault.web.inbox import views as inbox_views
from nofault.web.incidents.api import IncidentViewSet
from nofault.web.insights.api import api_urlpatterns as insights_api
from nofault.web.notifications import views as notification_views
from nofault.web.postmortems.api import LintView, PostmortemViewSet
from nofault.web.search.api import api_urlpatterns as search_api

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("incidents", IncidentViewSet, basename="incident")
router.register("postmortems", PostmortemViewSet, basename="postmortem")
router.register("action-items", ActionItemViewSet, basename="action-item")
router.register("users", PersonViewSet, basename="user")
router.register("teams", TeamViewSet, basename="team")


def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness for load balancers."""
    return JsonResponse({"ok": True})


def api_not_found(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    """Unknown API paths answer JSON, like every other API error."""
    return JsonResponse({"reason": "not_found", "detail": "no such API route"}, status=404)


urlpatterns = [
    path("", inbox_views.home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("metrics", metrics, name="metrics"),
    path("accounts/", include("nofault.web.accounts.urls")),
    path("notifications/", notification_views.preferences, name="notification-preferences"),
    path("incidents/", include("nofault.web.incidents.urls")),
    path("postmortems/", include("nofault.web.postmortems.urls")),
    path("actions/", include("nofault.web.actions.urls")),
    path("guide/", include("nofault.web.guides.urls")),
    path("webhooks/", include("nofault.web.integrations.urls")),
    path("insights/", include("nofault.web.insights.urls")),
    path("search/", include("nofault.web.search.urls")),
    path("integrations/", include("nofault.web.integrations.page_urls")),
    path("reviews/", include("nofault.web.reviews.urls")),
    path("scim/v2/", include("nofault.web.scim.urls")),
    path("audit/", include("nofault.web.audit.urls")),
    path("api/schema", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/token/", TokenView.as_view(), name="api-token"),
    path("api/lint/", LintView.as_view(), name="api-lint"),
    path("api/audit/", AuditEventList.as_view(), name="api-audit"),
    path("api/insights/", include(insights_api)),
    path("api/", include(search_api)),
    path("api/", include("nofault.web.integrations.api_urls")),
    path("api/", include("nofault.web.reviews.api_urls")),
    path("api/", include(router.urls)),
    path("api/<path:rest>", api_not_found),
]

handler404 = "nofault.web.errors.not_found"
handler403 = "nofault.web.errors.forbidden"
handler500 = "nofault.web.errors.server_error"
