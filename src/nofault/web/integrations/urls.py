"""Webhook URLs: /webhooks/<name> for each source plugin, /webhooks/trackers/<name> for trackers."""

from __future__ import annotations

from django.urls import path

from nofault.web.integrations import views
from nofault.web.integrations.sources import all_sources
from nofault.web.integrations.trackers import all_trackers

app_name = "integrations"
urlpatterns = [
    path(name, views.webhook, {"source": name}, name=f"webhook-{name}") for name in all_sources()
] + [
    path(f"trackers/{name}", views.tracker_webhook, {"tracker": name}, name=f"tracker-{name}")
    for name in all_trackers()
]
