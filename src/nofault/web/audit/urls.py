"""Audit pages."""

from django.urls import path

from nofault.web.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.audit_log, name="log"),
    path("export.csv", views.audit_csv, name="csv"),
]
