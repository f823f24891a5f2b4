"""Applying Stripe's webhook events: each stored once, and any order of arrival
converging to the same state.

Stripe delivers at least once and in no particular order. So:

- an event is stored under its id, with what it did, in the transaction that
  did it; a second delivery of the same id finds it and does nothing;
- what an invoice event means is read from the Stripe invoice object it
  carries (its `status`), not from the event's name alone;
- the payment state kept on StripeInvoiceSync is the greatest of every state
  seen, by (tier, event time, rank, event id): paid beats everything, void
  beats what is not paid, a failed payment (or uncollectible) beats an open
  invoice whatever their times, and within a tier the later event wins. A
  maximum does not depend on the order it is taken in, so every permutation
  of the same events ends in the same state;
- money is recorded once per Stripe invoice (the payment's idempotency key is
  the Stripe invoice id), through the invoice services, which settle the
  invoice and lift a dunning suspension."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from billing.invoicing.services import payment_record
from billing.models import Invoice, Payment, StripeEvent, StripeInvoiceSync
from billing.money import rupiah
from tenants.audit import platform_audit
from tenants.lifecycle import Actor

S = StripeInvoiceSync.State
STRIPE = Actor(email="", name="Stripe")

TIER = {
    S.PENDING: 0, S.DRAFT: 0, S.OPEN: 0,
    S.PAYMENT_FAILED: 1, S.UNCOLLECTIBLE: 1,
    S.VOID: 2,
    S.PAID: 3,
}  # fmt: skip
RANK = {state: position for position, state in enumerate(S)}
# Stripe invoice status -> state; "open" after a failed attempt is PAYMENT_FAILED.
FROM_STRIPE_STATUS = {
    "draft": S.DRAFT,
    "open": S.OPEN,
    "paid": S.PAID,
    "uncollectible": S.UNCOLLECTIBLE,
    "void": S.VOID,
}
FAILED_EVENTS = frozenset({"invoice.payment_failed"})


def state_key(
    state: str, since: datetime.datetime | None, event_id: str
) -> tuple[int, float, int, str]:
    tier = TIER[S(state)]
    # Paid and void are final: their time does not matter, only that they happened.
    when = 0.0 if tier >= TIER[S.VOID] else (since.timestamp() if since else -1.0)
    return (tier, when, RANK[S(state)], event_id)


def stripe_state_merge(
    *,
    sync: StripeInvoiceSync,
    state: str,
    since: datetime.datetime | None,
    event_id: str,
    failure_message: str = "",
) -> bool:
    """Move `sync` to `state` if that outranks where it is. The caller holds
    the sync row's lock. Returns whether it moved."""
    if state_key(state, since, event_id) <= state_key(
        sync.state, sync.state_since, sync.state_event_id
    ):
        return False
    sync.state = state
    sync.state_since = since
    sync.state_event_id = event_id
    fields = ["state", "state_since", "state_event_id", "updated_at"]
    if state == S.PAYMENT_FAILED:
        sync.failure_message = failure_message[:300]
        fields.append("failure_message")
    sync.save(update_fields=fields)
    return True


@dataclass(frozen=True)
class Reading:
    """What an event says about one Stripe invoice."""

    stripe_invoice_id: str
    state: str
    local_invoice_id: int | None  # from the metadata the push set
    amount_paid: int | None  # Stripe's units (Rp 1 = 100)
    paid_at: int | None
    reference: str
    attempts: int


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _number(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _id_of(value: Any) -> str:
    """An id, whether Stripe sent it bare or expanded into an object."""
    if isinstance(value, dict):
        return _text(value.get("id"))
    return _text(value)


def _payment_reference(payment: Any) -> str:
    if not isinstance(payment, dict):
        return ""
    return _id_of(payment.get("payment_intent")) or _id_of(payment.get("charge"))


def _invoice_reading(event_type: str, obj: dict[str, Any]) -> Reading | None:
    state = FROM_STRIPE_STATUS.get(_text(obj.get("status")))
    if state is None or not _text(obj.get("id")):
        return None
    if state == S.OPEN and event_type in FAILED_EVENTS:
        state = S.PAYMENT_FAILED
    metadata = obj.get("metadata")
    local = _text(metadata.get("sukowati_invoice")) if isinstance(metadata, dict) else ""
    transitions = obj.get("status_transitions")
    payments = obj.get("payments")
    # Older API versions name the charge on the invoice; newer ones list payments.
    reference = _id_of(obj.get("payment_intent")) or _id_of(obj.get("charge"))
    if not reference and isinstance(payments, dict) and isinstance(payments.get("data"), list):
        for entry in payments["data"]:
            if isinstance(entry, dict) and (found := _payment_reference(entry.get("payment"))):
                reference = found
                break
    return Reading(
        stripe_invoice_id=obj["id"],
        state=state,
        local_invoice_id=int(local) if local.isdigit() else None,
        amount_paid=_number(obj.get("amount_paid")),
        paid_at=_number(transitions.get("paid_at")) if isinstance(transitions, dict) else None,
        reference=reference or obj["id"],
        attempts=_number(obj.get("attempt_count")) or 0,
    )


def _invoice_payment_reading(obj: dict[str, Any]) -> Reading | None:
    """`invoice_payment.paid`: one payment that settled a Stripe invoice."""
    stripe_invoice_id = _id_of(obj.get("invoice"))
    if _text(obj.get("status")) != "paid" or not stripe_invoice_id:
        return None
    transitions = obj.get("status_transitions")
    return Reading(
        stripe_invoice_id=stripe_invoice_id,
        state=S.PAID,
        local_invoice_id=None,
        amount_paid=_number(obj.get("amount_paid")),
        paid_at=_number(transitions.get("paid_at")) if isinstance(transitions, dict) else None,
        reference=_payment_reference(obj.get("payment")) or _text(obj.get("id")),
        attempts=0,
    )


def event_read(event: dict[str, Any]) -> Reading | None:
    """What the event says about an invoice, or None for events Sukowati does
    not follow (they are stored all the same)."""
    obj = event["data"]["object"]
    if obj.get("object") == "invoice" and str(event["type"]).startswith("invoice."):
        return _invoice_reading(str(event["type"]), obj)
    if obj.get("object") == "invoice_payment" and event["type"] == "invoice_payment.paid":
        return _invoice_payment_reading(obj)
    return None


def _invoice_for(reading: Reading) -> Invoice | None:
    if reading.local_invoice_id is not None:
        invoice = Invoice.objects.filter(pk=reading.local_invoice_id).first()
        if invoice is not None and invoice.stripe_invoice_id in ("", reading.stripe_invoice_id):
            return invoice
    sync = (
        StripeInvoiceSync.objects.filter(stripe_invoice_id=reading.stripe_invoice_id)
        .select_related("invoice")
        .first()
    )
    if sync is not None:
        return sync.invoice
    return Invoice.objects.filter(stripe_invoice_id=reading.stripe_invoice_id).first()


def paid_key(stripe_invoice_id: str) -> str:
    return f"stripe-invoice-paid-{stripe_invoice_id}"


def _received_on(reading: Reading, created: datetime.datetime) -> datetime.date:
    when = (
        datetime.datetime.fromtimestamp(reading.paid_at, tz=datetime.UTC)
        if reading.paid_at
        else created
    )
    return min(timezone.localdate(when), timezone.localdate())


Outcome = tuple[str, str]  # (StripeEvent.Outcome, note)


def _conflict(invoice: Invoice, note: str, event_id: str) -> Outcome:
    platform_audit(
        action="invoice.stripe_conflict",
        actor_email=STRIPE.email,
        actor_name=STRIPE.name,
        target=invoice.number,
        detail={"event": event_id, "note": note},
    )
    return StripeEvent.Outcome.CONFLICT, note


def _record_payment(
    invoice: Invoice, reading: Reading, created: datetime.datetime, event_id: str
) -> Outcome:
    key = paid_key(reading.stripe_invoice_id)
    if Payment.objects.filter(idempotency_key=key).exists():
        return StripeEvent.Outcome.APPLIED, _("The payment was recorded already.")
    invoice.refresh_from_db()
    collected = None if reading.amount_paid is None else reading.amount_paid // 100
    if invoice.status not in Invoice.OPEN_STATUSES or invoice.balance_rupiah == 0:
        return _conflict(
            invoice,
            _(
                "Stripe collected %(amount)s, but the invoice is %(status)s here: refund the "
                "payment in Stripe or settle it with the regency."
            )
            % {
                "amount": rupiah(collected) if collected is not None else _("a payment"),
                "status": Invoice.Status(invoice.status).label,
            },
            event_id,
        )
    if collected == 0:
        return _conflict(
            invoice, _("Stripe reports the invoice paid but collected nothing."), event_id
        )
    amount = invoice.balance_rupiah if collected is None else min(collected, invoice.balance_rupiah)
    try:
        payment_record(
            invoice=invoice,
            amount_rupiah=amount,
            received_on=_received_on(reading, created),
            actor=STRIPE,
            method=Payment.Method.STRIPE,
            reference=reading.reference,
            idempotency_key=key,
        )
    except ValidationError as refused:
        return _conflict(invoice, " ".join(refused.messages), event_id)
    note = _("Payment of %(amount)s recorded.") % {"amount": rupiah(amount)}
    if collected is not None and collected > amount:
        note += " " + _("Stripe collected %(extra)s more than the balance.") % {
            "extra": rupiah(collected - amount)
        }
    return StripeEvent.Outcome.APPLIED, note


def _apply(
    event: dict[str, Any], created: datetime.datetime
) -> tuple[str, str, Invoice | None, str]:
    """(outcome, note, invoice, Stripe object id) of one new event."""
    reading = event_read(event)
    object_id = _text(event["data"]["object"].get("id"))
    if reading is None:
        return (
            StripeEvent.Outcome.IGNORED,
            _("Not an invoice event Sukowati follows."),
            None,
            object_id,
        )
    invoice = _invoice_for(reading)
    if invoice is None:
        note = _("No invoice here has the Stripe id %(id)s.") % {"id": reading.stripe_invoice_id}
        return StripeEvent.Outcome.IGNORED, note, None, reading.stripe_invoice_id
    StripeInvoiceSync.objects.get_or_create(invoice=invoice)
    sync = StripeInvoiceSync.objects.select_for_update().get(invoice=invoice)
    if sync.stripe_invoice_id and sync.stripe_invoice_id != reading.stripe_invoice_id:
        outcome, note = _conflict(
            invoice,
            _("The event is about Stripe invoice %(other)s, not %(ours)s.")
            % {"other": reading.stripe_invoice_id, "ours": sync.stripe_invoice_id},
            event["id"],
        )
        return outcome, note, invoice, reading.stripe_invoice_id
    if not sync.stripe_invoice_id:
        sync.stripe_invoice_id = reading.stripe_invoice_id
        sync.save(update_fields=["stripe_invoice_id", "updated_at"])
    failure = _("Stripe could not collect the payment (attempt %(n)s).") % {"n": reading.attempts}
    moved = stripe_state_merge(
        sync=sync,
        state=reading.state,
        since=created,
        event_id=event["id"],
        failure_message=failure,
    )
    if reading.state == S.PAID:
        outcome, note = _record_payment(invoice, reading, created, event["id"])
        return outcome, note, invoice, reading.stripe_invoice_id
    if moved and reading.state == S.PAYMENT_FAILED:
        platform_audit(
            action="invoice.stripe_payment_failed",
            actor_email=STRIPE.email,
            actor_name=STRIPE.name,
            target=invoice.number,
            detail={"event": event["id"], "attempts": reading.attempts},
        )
    if moved:
        note = _("Stripe state is now: %(state)s.") % {"state": S(reading.state).label}
    else:
        note = _("Nothing new: the Stripe state stays %(state)s.") % {"state": S(sync.state).label}
    return StripeEvent.Outcome.APPLIED, note, invoice, reading.stripe_invoice_id


def stripe_event_record(*, event: dict[str, Any]) -> tuple[StripeEvent, bool]:
    """Store a verified event and apply it, in one transaction; returns the
    stored event and whether this delivery was its first. Deliveries of one
    event are serialised by a lock on its id, so two at once act once."""
    created = datetime.datetime.fromtimestamp(event["created"], tz=datetime.UTC)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))",
                [f"stripe-event:{event['id']}"],
            )
        existing = StripeEvent.objects.filter(event_id=event["id"]).first()
        if existing is not None:
            return existing, False
        outcome, note, invoice, object_id = _apply(event, created)
        stored = StripeEvent.objects.create(
            event_id=event["id"],
            type=event["type"],
            created=created,
            livemode=bool(event.get("livemode")),
            object_id=object_id[:100],
            invoice=invoice,
            payload=event,
            outcome=outcome,
            note=note[:300],
        )
    return stored, True
