"""Helpers for the Stripe tests: finalised invoices, and webhook deliveries
built from Stripe's published objects and signed the way Stripe signs them."""

import copy
import datetime
import hashlib
import hmac
import json
import time
from typing import Any

from django.test import Client

from billing.invoicing.run import invoice_run
from billing.invoicing.services import invoice_finalise
from billing.models import BillingCustomer, Invoice, StripeInvoiceSync, Subscription
from tests.billing.conftest import FINANCE, YEAR, bare_tenant
from tests.stripe_double import FIXTURES

OCTOBER = datetime.date(YEAR, 10, 1)
SECRET = "whsec_sukowati_test"
WEBHOOK = "/billing/stripe/webhook/"


def draft_invoice(slug: str, *, time_zone: str = "Asia/Jakarta") -> Invoice:
    """Permits for the whole of October: 3.000.000 + 11 % PPN = 3.330.000, a
    draft, with a billing customer."""
    tenant = bare_tenant(slug, time_zone=time_zone)
    BillingCustomer.objects.create(
        tenant=tenant, name=f"Pemerintah {tenant.name}", email=f"keuangan@{slug}.test"
    )
    Subscription.objects.create(
        tenant=tenant,
        module_code="permits",
        starts_on=datetime.date(YEAR, 1, 1),
        charge_installation=False,
    )
    invoice_run(period_start=OCTOBER, actor=FINANCE, tenant_ids=[tenant.pk])
    invoice = Invoice.objects.get(tenant=tenant, period_start=OCTOBER)
    assert invoice.total_rupiah == 3_330_000
    return invoice


def finalised_invoice(slug: str, *, time_zone: str = "Asia/Jakarta") -> Invoice:
    return invoice_finalise(invoice=draft_invoice(slug, time_zone=time_zone), actor=FINANCE)


def pushed_invoice(slug: str, stripe_id: str) -> Invoice:
    """A finalised invoice as if the push had run: Stripe knows it as `stripe_id`."""
    invoice = finalised_invoice(slug)
    Invoice.objects.filter(pk=invoice.pk).update(stripe_invoice_id=stripe_id)
    StripeInvoiceSync.objects.create(
        invoice=invoice,
        stripe_invoice_id=stripe_id,
        state=StripeInvoiceSync.State.OPEN,
        finalized_at=datetime.datetime.now(tz=datetime.UTC),
    )
    invoice.refresh_from_db()
    return invoice


def invoice_event(
    event_id: str,
    event_type: str,
    *,
    stripe_id: str,
    status: str,
    created: int,
    amount_paid: int | None = None,
    local_invoice: Invoice | None = None,
    attempt_count: int = 1,
) -> dict[str, Any]:
    """An event of Stripe's published shape carrying Stripe's published invoice,
    changed only where the test says."""
    invoice = copy.deepcopy(FIXTURES["invoice"])
    invoice.update(
        id=stripe_id,
        status=status,
        currency="idr",
        amount_due=333_000_000,
        amount_paid=333_000_000 if status == "paid" and amount_paid is None else amount_paid or 0,
        attempt_count=attempt_count,
        metadata={"sukowati_invoice": str(local_invoice.pk)} if local_invoice else {},
    )
    invoice["status_transitions"] = {
        **invoice["status_transitions"],
        "paid_at": created if status == "paid" else None,
    }
    event = copy.deepcopy(FIXTURES["event"])
    event.update(id=event_id, type=event_type, created=created, data={"object": invoice})
    return event


def signature(payload: bytes, *, secret: str = SECRET, timestamp: int | None = None) -> str:
    """Stripe's scheme: t=<unix time>,v1=<HMAC-SHA256 of "<t>.<payload>" with the secret>."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + payload, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def deliver(client: Client, body: dict[str, Any] | bytes, *, header: str | None = None) -> Any:
    """POST a webhook delivery, signed correctly unless `header` says otherwise."""
    payload = body if isinstance(body, bytes) else json.dumps(body).encode()
    return client.post(
        WEBHOOK,
        data=payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=signature(payload) if header is None else header,
    )
