"""SCIM 2.0 routes under /scim/v2/ (the names django-scim2 reverses: scim:users, …); a list
and one resource are two routes of one name."""

from django.urls import path
from django_scim import views as scim_views

from nofault.web.scim import views

app_name = "scim"
urlpatterns = [
    path("", views.not_implemented(), name="root"),
    path(".search", views.not_implemented(), name="search"),
    path("Users/.search", views.UserSearchView.as_view(), name="users-search"),
    path("Users", views.UsersView.as_view(), name="users"),
    path("Users/<str:uuid>", views.UsersView.as_view(), name="users"),
    path("Groups/.search", views.GroupSearchView.as_view(), name="groups-search"),
    path("Groups", views.GroupsView.as_view(), name="groups"),
    path("Groups/<str:uuid>", views.GroupsView.as_view(), name="groups"),
    path("Me", views.not_implemented(), name="me"),
    path(
        "ServiceProviderConfig",
        scim_views.ServiceProviderConfigView.as_view(),
        name="service-provider-config",
    ),
    path("ResourceTypes", scim_views.ResourceTypesView.as_view(), name="resource-types"),
    path("ResourceTypes/<str:uuid>", scim_views.ResourceTypesView.as_view(), name="resource-types"),
    path("Schemas", scim_views.SchemasView.as_view(), name="schemas"),
    path("Schemas/<str:uuid>", scim_views.SchemasView.as_view(), name="schemas"),
    path("Bulk", views.not_implemented(), name="bulk"),
]
