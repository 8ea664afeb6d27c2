"""Action item pages."""

from django.urls import path

from nofault.web.actions import views

app_name = "actions"
urlpatterns = [
    path("", views.action_board, name="board"),
    path("list/", views.action_list, name="list"),
    path("<int:pk>/status/", views.action_status, name="status"),
]
