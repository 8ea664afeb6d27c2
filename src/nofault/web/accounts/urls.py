"""Account pages."""

from django.urls import path

from nofault.web.accounts import oidc, team_views, views
from nofault.web.scim import views as scim_views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    # Under login/, which is public: the provider sends people back here before they log in.
    path("login/oidc/", oidc.OidcLoginView.as_view(), name="oidc_login"),
    path("login/oidc/callback/", oidc.OidcCallbackView.as_view(), name="oidc_callback"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("profile/", views.profile, name="profile"),
    path("profile/token/", views.token, name="token"),
    path("profile/password/", views.password_change, name="password_change"),
    path("people/", views.people, name="people"),
    path("people/<int:pk>/role/", views.person_role, name="person_role"),
    path("people/<int:pk>/deactivate/", views.person_deactivate, name="person_deactivate"),
    path("people/<int:pk>/reset/", views.person_reset, name="person_reset"),
    path("teams/", team_views.teams, name="teams"),
    path("teams/<int:pk>/", team_views.team_change, name="team_change"),
    path("scim/", scim_views.tokens_page, name="scim_tokens"),
    path("reset/", views.password_reset_request, name="password_reset"),
    path(
        "reset/<str:uidb64>/<str:token>/",
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("invite/<str:uidb64>/<str:token>/", views.invite_accept, name="invite_accept"),
]
