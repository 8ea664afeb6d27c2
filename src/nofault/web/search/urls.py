"""Search page."""

from django.urls import path

from nofault.web.search import views

app_name = "search"
urlpatterns = [path("", views.search_page, name="page")]
