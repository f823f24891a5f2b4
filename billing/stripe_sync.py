"""Pushing finalised invoices to Stripe, when Stripe is configured.

Without STRIPE_SECRET_KEY billing works fully offline and the sync is reported
as off (`stripe_sync_status`). With it, each invoice finalised in Sukowati is
pushed once its transaction commits (`invoice_finalised` -> the task):

    customer      billing_customer_ensure          sukowati-customer-<tenant pk>
    invoice       a draft, items excluded          sukowati-invoice-<invoice pk>
    items         one per line, PPN, settled part  sukowati-invoiceitem-<line pk>, ...
    finalize                                       sukowati-invoice-finalize-<invoice pk>

Every call carries a stable idempotency key, so a retried push replays
Stripe's first answer instead of acting again; and each step is recorded on
the invoice's StripeInvoiceSync, so a push retried after Stripe has forgotten a
key (24 hours) skips what is already done. Stripe's amounts are its own at
this boundary only: Rp 1 = 100 (IDR is two-decimal in Stripe)."""

import datetime
import logging
from typing import Any
from zoneinfo import ZoneInfo

import stripe
from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.dispatch import receiver
from django.utils import timezone

from billing.models import BillingCustomer, Invoice, InvoiceLine, StripeInvoiceSync
from billing.money import rupiah
from billing.services import billing_customer_ensure
from billing.signals import invoice_finalised
from billing.stripe_client import rupiah_to_stripe, stripe_client, stripe_enabled
from billing.stripe_events import stripe_state_merge
from tenants.audit import platform_audit

logger = logging.getLogger(__name__)

CURRENCY = "idr"
DESCRIPTION_LIMIT = 500  # Stripe's limit on an invoice item's description
# Errors worth trying again later: Stripe or the network was down or busy.
TRANSIENT_ERRORS = (stripe.APIConnectionError, stripe.RateLimitError, stripe.APIError)


def stripe_sync_status() -> dict[str, bool]:
    """What the console reports: pushing needs the secret key, receiving
    payments back needs the webhook secret too."""
    pushing = stripe_enabled()
    return {"pushing": pushing, "webhooks": pushing and bool(settings.STRIPE_WEBHOOK_SECRET)}


def invoice_key(invoice: Invoice) -> str:
    return f"sukowati-invoice-{invoice.pk}"


def finalize_key(invoice: Invoice) -> str:
    return f"sukowati-invoice-finalize-{invoice.pk}"


def line_key(line: InvoiceLine) -> str:
    return f"sukowati-invoiceitem-{line.pk}"


def tax_key(invoice: Invoice) -> str:
    return f"sukowati-invoiceitem-tax-{invoice.pk}"


def settled_key(invoice: Invoice) -> str:
    return f"sukowati-invoiceitem-settled-{invoice.pk}"


def _due_timestamp(invoice: Invoice) -> int:
    """The end of the due day in the regency's time zone; Stripe refuses a due
    date in the past, so an invoice pushed late is due tomorrow there."""
    assert invoice.due_on is not None
    zone = ZoneInfo(invoice.tenant.time_zone)
    due = datetime.datetime.combine(invoice.due_on, datetime.time(23, 59), tzinfo=zone)
    return int(max(due, timezone.now() + datetime.timedelta(days=1)).timestamp())


def _invoice_params(invoice: Invoice, customer: BillingCustomer) -> dict[str, Any]:
    custom_fields = [{"name": "Nomor tagihan", "value": invoice.number}]
    if invoice.apbd_code:
        custom_fields.append({"name": "Kode rekening APBD", "value": invoice.apbd_code[:140]})
    return {
        "customer": customer.stripe_customer_id,
        "currency": CURRENCY,
        "collection_method": "send_invoice",
        "due_date": _due_timestamp(invoice),
        # Sukowati sends its own reminders (dunning); Stripe only collects.
        "auto_advance": False,
        # Only the items made for this invoice, never another's pending ones.
        "pending_invoice_items_behavior": "exclude",
        "description": f"Tagihan {invoice.number}: {invoice.customer_name}, "
        f"{invoice.period_start:%m/%Y}",
        "custom_fields": custom_fields,
        "metadata": {
            "sukowati_invoice": str(invoice.pk),
            "number": invoice.number,
            "tenant": invoice.tenant.slug,
        },
    }


def _items(invoice: Invoice) -> list[tuple[str, dict[str, Any]]]:
    """(idempotency key, params) of every item, in the invoice's order: its
    lines, its PPN as one item (so that Stripe's total is Sukowati's to the
    rupiah, rounding included), and what was already paid or credited when it
    was pushed (so that Stripe asks for the balance only)."""
    meta = {"sukowati_invoice": str(invoice.pk)}
    items = []
    for line in invoice.lines.order_by("position", "pk"):
        description = (
            f"{line.description} ({line.quantity} {line.unit} x {rupiah(line.unit_price_rupiah)})"
        )
        items.append(
            (
                line_key(line),
                {
                    "amount": rupiah_to_stripe(line.amount_rupiah),
                    "description": description[:DESCRIPTION_LIMIT],
                    "metadata": {**meta, "sukowati_line": str(line.pk)},
                },
            )
        )
    if invoice.tax_rupiah:
        rate = f"{invoice.tax_rate_bp / 100:g}".replace(".", ",")
        items.append(
            (
                tax_key(invoice),
                {
                    "amount": rupiah_to_stripe(invoice.tax_rupiah),
                    "description": f"PPN {rate}% atas {rupiah(invoice.taxable_rupiah)}",
                    "metadata": meta,
                },
            )
        )
    settled = invoice.credited_rupiah + invoice.paid_rupiah
    if settled:
        items.append(
            (
                settled_key(invoice),
                {
                    "amount": -rupiah_to_stripe(settled),
                    "description": "Sudah dibayar atau dikreditkan sebelumnya",
                    "metadata": meta,
                },
            )
        )
    return items


def stripe_invoice_push(*, invoice_id: int) -> StripeInvoiceSync | None:
    """Push one issued invoice to Stripe (customer, invoice, items, finalize).

    Returns None when there is nothing to push: Stripe is off, or the invoice
    is a draft, void, or settled already. Runs with the sync row locked, so a
    push started twice (the task and the sweep) acts once."""
    if not stripe_enabled():
        return None
    try:
        with transaction.atomic():
            return _push_locked(invoice_id)
    except stripe.StripeError as error:
        # The push's own writes are rolled back; what went wrong is kept.
        StripeInvoiceSync.objects.get_or_create(invoice_id=invoice_id)
        StripeInvoiceSync.objects.filter(invoice_id=invoice_id).update(
            push_attempts=F("push_attempts") + 1,
            last_error=str(error.user_message or error)[:1000],
            updated_at=timezone.now(),
        )
        raise


def _push_locked(invoice_id: int) -> StripeInvoiceSync | None:
    invoice = Invoice.objects.select_related("tenant").get(pk=invoice_id)
    if invoice.status not in Invoice.OPEN_STATUSES or invoice.balance_rupiah == 0:
        return None
    StripeInvoiceSync.objects.get_or_create(invoice=invoice)
    sync = StripeInvoiceSync.objects.select_for_update().get(invoice=invoice)
    if sync.is_pushed:
        return sync
    existing = BillingCustomer.objects.filter(tenant=invoice.tenant).first()
    customer = billing_customer_ensure(
        tenant=invoice.tenant, email=existing.email if existing else ""
    )
    client = stripe_client()
    if not sync.stripe_invoice_id:
        created = client.v1.invoices.create(
            params=_invoice_params(invoice, customer),  # type: ignore[arg-type]
            options={"idempotency_key": invoice_key(invoice)},
        )
        sync.stripe_invoice_id = str(created.id)
        Invoice.objects.filter(pk=invoice.pk).update(stripe_invoice_id=sync.stripe_invoice_id)
    for key, params in _items(invoice):
        if key in sync.items_pushed:
            continue
        client.v1.invoice_items.create(
            params={  # type: ignore[arg-type]
                **params,
                "customer": customer.stripe_customer_id,
                "invoice": sync.stripe_invoice_id,
                "currency": CURRENCY,
            },
            options={"idempotency_key": key},
        )
        sync.items_pushed = [*sync.items_pushed, key]
    finalized = client.v1.invoices.finalize_invoice(
        sync.stripe_invoice_id,
        params={"auto_advance": False},
        options={"idempotency_key": finalize_key(invoice)},
    )
    sync.finalized_at = timezone.now()
    sync.hosted_invoice_url = str(getattr(finalized, "hosted_invoice_url", None) or "")[:500]
    sync.push_attempts += 1
    sync.last_error = ""
    sync.save()
    stripe_state_merge(
        sync=sync,
        state=StripeInvoiceSync.State.OPEN,
        since=None,
        event_id="",
    )
    platform_audit(
        action="invoice.stripe_push",
        actor_email="",
        actor_name="Stripe sync",
        target=invoice.number,
        detail={"stripe_invoice": sync.stripe_invoice_id, "balance": invoice.balance_rupiah},
    )
    return sync


def invoices_awaiting_push() -> QuerySet[Invoice]:
    """Issued invoices with a balance that Stripe does not have yet."""
    return (
        Invoice.objects.filter(status__in=Invoice.OPEN_STATUSES)
        .filter(Q(stripe_sync__isnull=True) | Q(stripe_sync__finalized_at__isnull=True))
        .order_by("pk")
    )


@shared_task(
    bind=True,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=30,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=8,
)
def stripe_invoice_push_task(self: Any, invoice_id: int) -> str:
    """Push one invoice; Stripe being down or busy is retried with backoff. A
    refusal (a bad request) is left on the sync row for finance to see."""
    try:
        sync = stripe_invoice_push(invoice_id=invoice_id)
    except TRANSIENT_ERRORS:
        raise
    except stripe.StripeError:
        logger.exception("Stripe refused the push of invoice %s", invoice_id)
        return "refused"
    return sync.stripe_invoice_id if sync else "skipped"


@shared_task
def stripe_invoice_push_pending_task() -> int:
    """The hourly sweep: queue a push for every issued invoice Stripe does not
    have yet (a broker down at finalisation, retries exhausted). Pushing is
    idempotent, so a push already queued costs nothing."""
    if not stripe_enabled():
        return 0
    ids = list(invoices_awaiting_push().values_list("pk", flat=True))
    for invoice_id in ids:
        stripe_invoice_push_task.delay(invoice_id)
    return len(ids)


@receiver(invoice_finalised)
def _push_when_finalised(sender: Any, invoice_id: int, **kwargs: Any) -> None:
    """Sent after the finalising transaction committed: queue the push. A
    broker that cannot be reached does not undo the invoice; the sweep pushes
    it later."""
    if not stripe_enabled():
        return
    try:
        stripe_invoice_push_task.delay(invoice_id)
    except Exception:
        logger.exception("Could not queue the Stripe push of invoice %s", invoice_id)
