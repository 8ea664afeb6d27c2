"""Guide pages."""

from django.urls import path

from nofault.web.guides import views

app_name = "guides"
urlpatterns = [
    path("", views.guide_page, name="page"),
    path("guide.<str:fmt>", views.guide_download, name="download"),
]
