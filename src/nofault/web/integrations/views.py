"""Webhook endpoints: /webhooks/<source>. Every request is stored before it is answered."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from nofault.web.integrations.models import DeliveryStatus
from nofault.web.integrations.services import delivery_process, delivery_receive


@csrf_exempt
@require_POST
def webhook(request: HttpRequest, source: str) -> HttpResponse:
    """Receive one delivery: 4xx with a reason if refused, 202 once it is safely stored."""
    delivery = delivery_receive(source_name=source, headers=request.headers, body=request.body)
    if delivery.status == DeliveryStatus.REJECTED:
        reason, _, detail = delivery.reason.partition(": ")
        return JsonResponse(
            {"reason": reason, "detail": detail, "delivery": delivery.pk},
            status=delivery.http_status,
        )
    # Stored and committed: from here a crash loses nothing. Apply now for freshness; a
    # failure here is recorded on the delivery and retried by `delivery_process_pending`.
    delivery = delivery_process(delivery=delivery)
    return JsonResponse(
        {"status": delivery.status, "delivery": delivery.pk, "incidents": delivery.incident_keys},
        status=202,
    )
