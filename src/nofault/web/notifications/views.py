"""Each person's notification preferences page."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from nofault.web.notifications import services
from nofault.web.notifications.forms import PreferenceForm


def preferences(request: HttpRequest) -> HttpResponse:
    """Show and set how the signed-in person hears about review events."""
    chosen = services.preference(request.user)
    form = PreferenceForm(
        request.POST if request.method == "POST" else None,
        initial={
            "email": chosen.email,
            "slack": chosen.slack,
            "slack_id": chosen.slack_id,
            "overdue_as_facilitator": chosen.overdue_as_facilitator,
        },
    )
    if form.is_bound:
        if form.is_valid():
            services.preference_set(user=request.user, **form.cleaned_data)
            messages.success(request, "Notification preferences saved")
            return redirect("notification-preferences")
        # Refused: the form says which value and why; the saved preferences stay as they were.
        messages.error(request, "Nothing was saved: see the marked value.")
    context = {"chosen": chosen, "form": form}
    status = 400 if form.is_bound else 200
    return render(request, "notifications/preferences.html", context, status=status)
