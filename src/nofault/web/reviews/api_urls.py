"""Review API routes, mounted under /api/ before the router."""

from __future__ import annotations

from django.urls import path

from nofault.web.reviews.api import CoverageView

urlpatterns = [path("coverage", CoverageView.as_view(), name="api-coverage")]
