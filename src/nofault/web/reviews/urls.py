"""Review pages."""

from django.urls import path

from nofault.web.reviews import views

app_name = "reviews"
urlpatterns = [
    path("", views.ledger, name="ledger"),
    path("policy/", views.policy_page, name="policy"),
    path("incidents/<str:key>/waive/", views.waive, name="waive"),
    path("incidents/<str:key>/withdraw/", views.withdraw, name="withdraw"),
]
