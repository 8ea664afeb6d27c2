"""Integration pages (behind the login): the integrations, an action item's tracker issue,
unapplied deliveries."""

from __future__ import annotations

from django.urls import path, re_path

from nofault.web.integrations import views

app_name = "integrations-pages"
urlpatterns = [
    path("", views.integrations_page, name="integrations"),
    path("action-items/<int:pk>/tracker/", views.action_item_tracker, name="action-item-tracker"),
    path(
        "action-items/<int:pk>/tracker/send/",
        views.action_item_tracker_send,
        name="action-item-tracker-send",
    ),
    path("deliveries/unapplied/", views.unapplied_deliveries, name="unapplied-deliveries"),
    path(
        "deliveries/unapplied/replay/",
        views.unapplied_deliveries_replay,
        name="unapplied-deliveries-replay",
    ),
    re_path(
        r"^(?P<kind>source|tracker|notifier)/(?P<name>[\w-]{1,50})/$",
        views.integration_save,
        name="integration-save",
    ),
    re_path(
        r"^(?P<kind>source|tracker|notifier)/(?P<name>[\w-]{1,50})/off/$",
        views.integration_off,
        name="integration-off",
    ),
]
