"""Integration API routes, mounted under /api/ before the router."""

from __future__ import annotations

from django.urls import path

from nofault.web.integrations.api import ActionItemTrackerView

urlpatterns = [
    path(
        "action-items/<int:pk>/tracker/",
        ActionItemTrackerView.as_view(),
        name="api-action-item-tracker",
    ),
]
