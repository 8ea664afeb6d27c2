"""Incident pages."""

from django.urls import path

from nofault.web.incidents import views

app_name = "incidents"
urlpatterns = [
    path("", views.incident_list, name="list"),
    path("new/", views.incident_create, name="create"),
    path("id/<int:pk>/", views.incident_detail_by_id, name="detail_by_id"),
    path("<str:key>/", views.incident_detail, name="detail"),
    path("<str:key>/edit/", views.incident_edit, name="edit"),
    path("<str:key>/members/", views.incident_member_add, name="member_add"),
]
