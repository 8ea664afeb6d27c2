"""The app's URLs plus /bench/constant: the cheapest page Django can serve through the same
middleware (session, login, CSRF, security headers), the yardstick for the other pages."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from nofault.web.urls import handler403, handler404, handler500  # noqa: F401
from nofault.web.urls import urlpatterns as app_urlpatterns


def constant(request: HttpRequest) -> HttpResponse:
    """Return a constant."""
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/constant", constant, name="bench-constant"), *app_urlpatterns]
