"""Stripe's webhook endpoint, on the root domain only (config.urls_public).

Order of checks, each answered with a clear message and nothing stored:
the webhook secret is configured (503 otherwise), the Stripe-Signature header
verifies with it through the SDK and is recent (STRIPE_WEBHOOK_TOLERANCE
seconds; an older one is a replay: 400), the body is JSON (400) shaped like a
Stripe event (400). Only then is the event stored and applied, once
(billing.stripe_events): a second delivery of the same event is answered 200
and does nothing."""

import json
import logging
from typing import Any

import stripe
from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from billing.stripe_events import stripe_event_record

logger = logging.getLogger(__name__)

ID_LIMIT = 100
LAST_SECOND = 253_402_300_800  # 10000-01-01: later times do not fit a timestamp column


def _refuse(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def event_parse(body: bytes) -> tuple[dict[str, Any] | None, str]:
    """(the event, "") or (None, why it is refused)."""
    try:
        event = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        return None, _("The body is not UTF-8 text.")
    except json.JSONDecodeError as error:
        return None, _("The body is not valid JSON: %(error)s.") % {"error": error.msg}
    if not isinstance(event, dict):
        return None, _("The body is not a JSON object.")
    refusal = event_shape_refusal(event)
    return (None, refusal) if refusal else (event, "")


def event_shape_refusal(event: dict[str, Any]) -> str:
    """Why `event` is not shaped like a Stripe event, or ""."""
    if event.get("object") != "event":
        return _('The body is not a Stripe event ("object" must be "event").')
    event_id, event_type, created = event.get("id"), event.get("type"), event.get("created")
    if not isinstance(event_id, str) or not event_id or len(event_id) > ID_LIMIT:
        return _('The event has no valid "id".')
    if not isinstance(event_type, str) or not event_type or len(event_type) > ID_LIMIT:
        return _('The event has no valid "type".')
    if not isinstance(created, int) or isinstance(created, bool) or not 0 < created < LAST_SECOND:
        return _('The event has no valid "created" time.')
    data = event.get("data")
    if not isinstance(data, dict) or not isinstance(data.get("object"), dict):
        return _('The event has no "data.object".')
    return ""


@method_decorator(csrf_exempt, name="dispatch")
class StripeWebhookView(View):
    """POST only; Stripe signs what it sends, so there is no session and no CSRF token."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> JsonResponse:
        secret = settings.STRIPE_WEBHOOK_SECRET
        if not secret:
            return _refuse(
                _("Stripe webhooks are not configured here (STRIPE_WEBHOOK_SECRET is unset)."),
                status=503,
            )
        body = request.body
        try:
            stripe.WebhookSignature.verify_header(
                body,
                request.headers.get("Stripe-Signature"),
                secret,
                settings.STRIPE_WEBHOOK_TOLERANCE,
            )
        except stripe.SignatureVerificationError as error:
            logger.warning("Stripe webhook refused: %s", error)
            return _refuse(_signature_message(str(error)))
        except UnicodeDecodeError:
            return _refuse(_("The body is not UTF-8 text."))
        event, refusal = event_parse(body)
        if event is None:
            logger.warning("Stripe webhook refused: %s", refusal)
            return _refuse(refusal)
        stored, first = stripe_event_record(event=event)
        return JsonResponse(
            {
                "received": True,
                "duplicate": not first,
                "event": stored.event_id,
                "outcome": stored.outcome,
            }
        )


def _signature_message(error: str) -> str:
    if "tolerance" in error:
        return _(
            "The signature is too old (more than %(seconds)s seconds): a replayed delivery "
            "is refused."
        ) % {"seconds": settings.STRIPE_WEBHOOK_TOLERANCE}
    if "No Stripe-Signature" in error:
        return _("The Stripe-Signature header is missing.")
    return _("The Stripe-Signature header does not verify with this endpoint's secret.")
