"""Webhook URLs: /webhooks/<name> for each source plugin the registry finds."""

from __future__ import annotations

from django.urls import path

from nofault.web.integrations import views
from nofault.web.integrations.sources import all_sources

app_name = "integrations"
urlpatterns = [
    path(name, views.webhook, {"source": name}, name=f"webhook-{name}") for name in all_sources()
]
