"""Webhook endpoints (/webhooks/<source>, /webhooks/trackers/<tracker>) and the tracker page.

Every webhook request is stored before it is answered.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from nofault.web.actions.selectors import action_item_get_visible
from nofault.web.api_errors import ServiceError
from nofault.web.integrations import flows
from nofault.web.integrations.config import configured_trackers
from nofault.web.integrations.models import DeliveryStatus, TrackerLink, WebhookDelivery
from nofault.web.integrations.services import (
    delivery_accept,
    delivery_process,
    tracker_delivery_receive,
)
from nofault.web.integrations.trackers import all_trackers


def _answer(delivery: WebhookDelivery) -> HttpResponse:
    if delivery.status == DeliveryStatus.REJECTED:
        reason, _, detail = delivery.reason.partition(": ")
        return JsonResponse(
            {"reason": reason, "detail": detail, "delivery": delivery.pk},
            status=delivery.http_status,
        )
    # Stored and committed: from here a crash loses nothing.
    return JsonResponse(
        {"status": delivery.status, "delivery": delivery.pk, "incidents": delivery.incident_keys},
        status=202,
    )


@csrf_exempt
@require_POST
def webhook(request: HttpRequest, source: str) -> HttpResponse:
    """Receive one delivery: 4xx with a reason if refused, 202 once it is applied and stored."""
    return _answer(delivery_accept(source_name=source, headers=request.headers, body=request.body))


@csrf_exempt
@require_POST
def tracker_webhook(request: HttpRequest, tracker: str) -> HttpResponse:
    """Receive a tracker's issue webhook: a closed issue closes its action item, reopen reopens."""
    delivery = tracker_delivery_receive(
        tracker_name=tracker, headers=request.headers, body=request.body
    )
    # Stored and committed: apply now for freshness; a failure is recorded on the delivery
    # and retried by `delivery_process_pending`.
    return _answer(delivery_process(delivery=delivery))


def action_item_tracker(request: HttpRequest, pk: int) -> HttpResponse:
    """The action item with its tracker issue, and a button to send it to a tracker."""
    item = action_item_get_visible(user=request.user, pk=pk)
    link = TrackerLink.objects.filter(action_item=item).first()
    trackers = [(name, all_trackers()[name].label) for name in configured_trackers()]
    return render(
        request,
        "integrations/action_item_tracker.html",
        {
            "item": item,
            "link": link,
            "trackers": trackers,
            "recurrences": item.recurrences.select_related("postmortem__incident"),
        },
    )


@require_POST
def action_item_tracker_send(request: HttpRequest, pk: int) -> HttpResponse:
    """Send the action item to the chosen tracker (once, however often pressed)."""
    item = action_item_get_visible(user=request.user, pk=pk)
    try:
        link = flows.action_item_send_to_tracker(
            item=item, actor=request.user, tracker=str(request.POST.get("tracker") or "") or None
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        if link.status == "linked":
            messages.success(request, f"{item.key} is tracked as {link.ref}.")
        else:
            messages.warning(
                request, f"The tracker was not reached; nofault tries again. {link.last_error}"
            )
    return redirect("integrations-pages:action-item-tracker", pk=item.pk)
