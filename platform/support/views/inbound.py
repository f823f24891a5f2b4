"""The inbound-mail webhook: a mail provider (SES, Mailgun, Postmark, ...)
POSTs each email sent to support+<token>@<reply domain> here.

Request: header `X-Support-Inbound-Secret: <SUPPORT_INBOUND_SECRET>`; body
either JSON `{"from": ..., "to": ..., "subject": ..., "text": ..., "message_id": ...}`
or form fields of the same names (`message_id` optional; `to` may list several
addresses, Cc included). Answers JSON: 201 threaded, 200 a redelivery already
threaded, 400 malformed, 403 wrong secret or a reply address that is forged,
expired or not the sender's, 404 unknown ticket, 409 refused by the reopening
rule (the sender gets the text back by email), 413 too long, 422 empty reply,
503 when no secret is configured."""

import hmac
import json
from typing import Any

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from support.services.inbound import InboundMail, InboundRefused, inbound_reply_receive

SECRET_HEADER = "X-Support-Inbound-Secret"  # noqa: S105 - the header's name, not a secret
MAX_BODY_BYTES = 2 * 1024 * 1024


def _payload(request: HttpRequest) -> dict[str, Any] | None:
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except (ValueError, UnicodeDecodeError):
            return None
        return data if isinstance(data, dict) else None
    return request.POST.dict()


@method_decorator(csrf_exempt, name="dispatch")
class InboundMailView(View):
    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> JsonResponse:
        secret = settings.SUPPORT_INBOUND_SECRET
        if not secret:
            return JsonResponse({"error": "Inbound mail is not configured."}, status=503)
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), secret.encode()):
            return JsonResponse({"error": "Wrong or missing secret."}, status=403)
        if len(request.body) > MAX_BODY_BYTES:
            return JsonResponse({"error": "The message is too long."}, status=413)
        data = _payload(request)
        fields = ("from", "to", "subject", "text", "message_id")
        if data is None or not all(isinstance(data.get(f, ""), str) for f in fields):
            return JsonResponse({"error": "Send JSON or form fields: from, to, text."}, status=400)
        if not data.get("from") or not data.get("to") or not data.get("text"):
            return JsonResponse({"error": "from, to and text are required."}, status=400)
        mail = InboundMail(
            sender=data["from"],
            recipients=data["to"],
            subject=data.get("subject", ""),
            text=data["text"],
            message_id=data.get("message_id", ""),
        )
        started = timezone.now()
        try:
            message = inbound_reply_receive(mail)
        except InboundRefused as exc:
            return JsonResponse({"error": exc.reason}, status=exc.status)
        status = 201 if message.created_at >= started else 200
        return JsonResponse({"ticket": message.ticket_id, "message": message.pk}, status=status)
