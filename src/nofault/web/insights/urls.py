"""Insight pages."""

from django.urls import path

from nofault.web.insights import views

app_name = "insights"
urlpatterns = [
    path("", views.insights_page, name="page"),
    path("themes/", views.themes_page, name="themes"),
    path("similar/<int:pk>/", views.similar_partial, name="similar"),
    path("report.<str:fmt>", views.report_download, name="report"),
    path("pulse/", views.pulse_index, name="pulse"),
    path("pulse/<int:pk>/", views.pulse_review, name="pulse_review"),
]
