"""Each person's notification preferences page."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from nofault.web.notifications import services


def preferences(request: HttpRequest) -> HttpResponse:
    """Show and set how the signed-in person hears about review events."""
    if request.method == "POST":
        services.preference_set(
            user=request.user,
            email=request.POST.get("email") == "on",
            slack=request.POST.get("slack") == "on",
            slack_id=request.POST.get("slack_id", ""),
        )
        messages.success(request, "Notification preferences saved")
        return redirect("notification-preferences")
    chosen = services.preference(request.user)
    return render(request, "notifications/preferences.html", {"chosen": chosen})
